import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { escalationView } from '../../src/org/escalation-path.js';
import { loadPaths } from '../../src/org/load-paths.js';
import type { OrgDefinition } from '../../src/org/org-definition.js';

const agentsDir = fileURLToPath(new URL('../../agents/', import.meta.url));
const bundled = await loadPaths([agentsDir]);
const org = (name: string): OrgDefinition => {
  const found = bundled.find((loaded) => loaded.org.name === name)?.org;
  if (!found) throw new Error(`org ${name} is not bundled`);
  return found;
};
const agent = (from: OrgDefinition, id: string) => {
  const found = from.agents.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`${from.name} has no agent ${id}`);
  return found;
};

describe('the bundled orgs', () => {
  it('are all valid, and only the raw seed 003 file carries warnings', () => {
    for (const loaded of bundled) {
      expect(
        loaded.diagnostics.filter((entry) => entry.severity === 'error'),
        loaded.org.name,
      ).toEqual([]);
      if (loaded.org.name !== 'infrastructure-platform')
        expect(loaded.diagnostics, loaded.org.name).toEqual([]);
    }
  });

  it('esa: ceo → Chief #1 → Domain #1 → Layers #1, #3, #14, with the peers the seeds name', () => {
    const esa = org('esa');
    expect(esa.root).toBe('ceo');
    expect(agent(esa, 'chief-1').reports_to).toBe('ceo');
    expect(agent(esa, 'domain-1').reports_to).toBe('chief-1');
    for (const layer of ['layer-1', 'layer-3', 'layer-14'])
      expect(agent(esa, layer).reports_to).toBe('domain-1');
    for (const peer of ['domain-2', 'domain-3', 'domain-4', 'domain-5', 'domain-6', 'domain-9']) {
      expect(agent(esa, peer).role).toBe('domain');
    }
    expect(agent(esa, 'domain-1').peers.find((peer) => peer.id === 'domain-2')?.wait).toBe('30m');
    expect(agent(esa, 'layer-1').peers.map((peer) => [peer.id, peer.wait])).toEqual(
      expect.arrayContaining([
        ['layer-2', '30m'],
        ['layer-3', '30m'],
      ]),
    );
  });

  it('esa: a layer waits 1h on its chief, and data loss goes to the CEO at once', () => {
    const esa = org('esa');
    const view = escalationView(esa, agent(esa, 'layer-1'));
    const targets = view.path.map((step) => step.to);
    expect(targets.slice(0, 3)).toEqual(['domain-1', 'chief-1', 'ceo']);
    expect(view.path.find((step) => step.to === 'chief-1')?.wait).toBe('1h');
    const dataLoss = view.shortcuts.find((shortcut) => shortcut.when.includes('data-loss'));
    expect(dataLoss).toMatchObject({ to: 'ceo', wait: 'immediate' });
  });

  it('esa: success metrics are data, with probes for the index and cache hit ratios', () => {
    const esa = org('esa');
    const domainMetrics = agent(esa, 'domain-1').metrics.map((metric) => metric.target);
    expect(domainMetrics).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^< ?100ms/),
        expect.stringMatching(/^> ?85%/),
        expect.stringMatching(/^< ?50ms/),
        expect.stringMatching(/^> ?99\.9%/),
      ]),
    );
    const indexHit = agent(esa, 'layer-1').metrics.find((metric) => /index hit/i.test(metric.name));
    expect(indexHit?.probe?.sql).toMatch(/pg_stat/);
    const cacheHit = agent(esa, 'layer-14').metrics.find((metric) => /hit/i.test(metric.name));
    expect(cacheHit?.probe?.redis).toEqual(['INFO', 'stats']);
  });

  it('heir: the Data Orchestrator manages the two specialists under the 3-strike protocol', () => {
    const heir = org('heir');
    expect(heir.root).toBe('master-orchestrator');
    expect(agent(heir, 'data-orchestrator').reports_to).toBe('master-orchestrator');
    for (const id of ['database-specialist', 'api-specialist'])
      expect(agent(heir, id).reports_to).toBe('data-orchestrator');
    const strikes = escalationView(heir, agent(heir, 'database-specialist')).strikes;
    expect(strikes).toEqual([expect.objectContaining({ count: 3, to: 'master-orchestrator' })]);
  });

  it('infra-ops: the on-call ladder walks 0–15–30–60 minutes, then reaches a human', () => {
    const ops = org('infra-ops');
    expect(ops.root).toBe('infrastructure-architect');
    expect(ops.agents).toHaveLength(6);
    const [ladder] = escalationView(ops, agent(ops, 'site-reliability-engineer')).ladders;
    expect(ladder?.steps.map((step) => [step.to, step.wait])).toEqual([
      [['site-reliability-engineer'], '15m'],
      [['systems-administrator'], '15m'],
      [['network-engineer', 'database-administrator'], '30m'],
      [['infrastructure-architect'], '60m'],
      [['human'], undefined],
    ]);
  });

  it('infrastructure-platform: the seed 003 file loads as it is, as an org of one', () => {
    const platform = org('infrastructure-platform');
    expect(platform.agents.map((entry) => entry.id)).toEqual(['infrastructure-platform']);
    expect(platform.agents[0]?.model).toBe('claude-sonnet-4-5-20250929');
  });
});
