import { afterAll, describe, expect, it } from 'vitest';
import { loadOrg } from '../../src/org/load-org.js';
import type { OrgDefinition } from '../../src/org/org-definition.js';
import { orgToolsFor } from '../../src/runtime/org-tools.js';
import { loadTestOrg } from '../helpers/test-org.js';

/** The description of `escalate`'s tags for one agent of an org. */
function tagsHint(org: OrgDefinition, id: string): string {
  const agent = org.agents.find((candidate) => candidate.id === id);
  if (!agent) throw new Error(id);
  const escalate = orgToolsFor(org, agent).find((tool) => tool.name === 'escalate');
  const properties = escalate?.input_schema.properties as
    Record<string, { description?: string }> | undefined;
  return properties?.tags?.description ?? '';
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => Promise.all(cleanups.map((cleanup) => cleanup())));

describe('the escalate tool', () => {
  it('names the tags the agent’s rules route by, so a severe problem reaches its rule', async () => {
    const { org, diagnostics } = await loadOrg('agents/esa');
    expect(diagnostics.filter((entry) => entry.severity === 'error')).toEqual([]);
    const hint = tagsHint(org, 'layer-1');
    expect(hint).toBe(
      'the tags your escalation rules route by: data-loss, database-corruption, critical-performance, schema-recovery, architecture-decision, major-schema-change, system-health (other tags are kept with the escalation but route nothing)',
    );
    const infraOps = await loadOrg('agents/infra-ops');
    expect(tagsHint(infraOps.org, 'site-reliability-engineer')).toMatch(
      /^the tags your escalation rules route by: /,
    );
  });

  it('gives an example when the agent’s rules route by no tag', async () => {
    const { org, remove } = await loadTestOrg([
      { id: 'ceo', role: 'ceo' },
      { id: 'chief', role: 'chief', reports_to: 'ceo' },
    ]);
    cleanups.push(remove);
    expect(tagsHint(org, 'chief')).toBe('such as data-loss or security');
  });
});
