import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrg } from '../../src/org/load-org.js';
import type { OrgDefinition } from '../../src/org/org-definition.js';
import { orgContextEnd, orgContextStart, stripOrgContext } from '../../src/org/prompt-markers.js';
import { modelToolNames, renderPrompt } from '../../src/org/render-prompt.js';
import { smallOrg, writeTempTree } from '../helpers/temp-org.js';

let org: OrgDefinition;
let remove: () => Promise<void> = async () => undefined;
beforeAll(async () => {
  const tree = await writeTempTree(smallOrg);
  remove = tree.remove;
  org = (await loadOrg(join(tree.dir, 'agents/acme'))).org;
});
afterAll(async () => remove());

const agent = (id: string) => {
  const found = org.agents.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no agent ${id}`);
  return found;
};

describe('rendered prompts', () => {
  it('expose the operations a grant allows, and no more', () => {
    expect(modelToolNames(agent('layer-1'))).toEqual([
      'psql__query',
      'psql__explain',
      'psql__describe',
      'psql__health',
      'psql__execute',
      'redis-cli__command',
      'redis-cli__info',
      'redis-cli__slowlog',
      'redis-cli__latency',
      'redis-cli__memory',
      'redis-cli__bigkeys',
    ]);
    for (const name of modelToolNames(agent('layer-1')))
      expect(name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
  });

  it('tell a manager its reports and how to delegate, and a layer its manager, peers and path', () => {
    const chief = renderPrompt(org, agent('chief-1'));
    expect(chief).toContain('You run data.');
    expect(chief).toContain('- You report to The Boss (`boss`)');
    expect(chief).toContain('`delegate_task`');
    expect(chief).toContain('  - Domain One (`domain-1`): Runs infra.');
    const domain = renderPrompt(org, agent('domain-1'));
    expect(domain).toContain('  - Domain Two (`domain-2`): wait 45m');
    expect(domain).toContain('`ask_peer`');
    const layer = renderPrompt(org, agent('layer-1'));
    expect(layer).toContain('- Path: domain-1 (after 2h) → chief-1 (after 1h) → boss');
    expect(layer).toContain('- critical, data-loss: straight to The Boss (`boss`), at once');
    expect(layer).toContain('- Index hit ratio: > 95%');
    expect(layer).not.toContain('delegate_task');
  });

  it('keep the generated section between markers, so it can be stripped back to what the author wrote', () => {
    const rendered = renderPrompt(org, agent('boss'));
    expect(rendered.indexOf(orgContextStart)).toBeGreaterThan(0);
    expect(rendered.trimEnd().endsWith(orgContextEnd)).toBe(true);
    expect(stripOrgContext(rendered).trim()).toBe('You are the boss.');
  });
});
