import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateEscalationRules } from '../../src/escalation/validate-rules.js';
import { loadOrg } from '../../src/org/load-org.js';
import { loadRulesOrg, smallTeam } from './orgs.js';

const agentsDir = fileURLToPath(new URL('../../agents/', import.meta.url));

/** Loads a test org, runs the check, and removes the org. */
async function check(rules: string[], orgLines: string[] = [], agents = smallTeam) {
  const loaded = await loadRulesOrg(agents, rules, orgLines);
  try {
    return { loaded: loaded.diagnostics, found: validateEscalationRules(loaded) };
  } finally {
    await loaded.remove();
  }
}

describe('validateEscalationRules', () => {
  it('finds nothing wrong in the bundled orgs', async () => {
    for (const name of ['esa', 'heir', 'infra-ops']) {
      const loaded = await loadOrg(join(agentsDir, name));
      expect(validateEscalationRules(loaded), name).toEqual([]);
    }
  });

  it('names a loop of wait rules, at the rule that closes it', async () => {
    const { loaded, found } = await check([
      'waits:',
      '  - { id: peer-silence, request: question, waiting_on: peer, after: 30m, to: manager }',
      '  - { id: chief-silence, request: escalation, waiting_on: role:chief, after: 1h, to: back }',
    ]);
    expect(loaded).toEqual([]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      severity: 'error',
      code: 'escalation-cycle',
      file: expect.stringMatching(/escalation[/\\]test\.yaml$/),
      line: 4,
    });
    expect(found[0]?.message).toMatch(/back → chief → back/);
    expect(found[0]?.message).toContain("comes back by wait rule 'chief-silence'");
  });

  it('names a rule that asks the same agent again', async () => {
    const { found } = await check([
      'waits:',
      '  - { id: peer-silence, request: question, waiting_on: peer, after: 30m, to: front }',
    ]);
    expect(found.map((entry) => entry.message)).toEqual([
      expect.stringContaining('front → front: a question from back to front'),
    ]);
  });

  it('reports each loop once, whoever enters it', async () => {
    const { found } = await check([
      'waits:',
      '  - { id: ping, waiting_on: role:chief, after: 1h, to: boss }',
      '  - { id: pong, waiting_on: ceo, after: 1h, to: chief }',
    ]);
    expect(found.filter((entry) => entry.code === 'escalation-cycle')).toHaveLength(1);
  });

  it('refuses a zero wait written with a unit, and accepts immediate', async () => {
    const { found } = await check([
      'waits:',
      '  - { id: typo, request: question, waiting_on: peer, after: 0m, to: manager }',
      '  - { id: meant, request: task, after: immediate, to: ceo }',
      'ladders:',
      '  - id: pager',
      '    tags: [page]',
      '    steps:',
      '      - { to: chief, wait: 0s }',
      '      - { to: boss, wait: 0m }',
    ]);
    expect(found.map((entry) => [entry.code, entry.line, entry.message])).toEqual([
      ['wait-zero', 3, "wait rule 'typo' waits '0m', which is no wait at all (rule set 'test')"],
      ['wait-zero', 9, "rung 1 of ladder 'pager' waits '0s', which skips it (rule set 'test')"],
    ]);
    expect(found[0]?.hint).toContain('after: immediate');
  });

  it('refuses a zero peer wait, on a peer or as the org default', async () => {
    const { found } = await check(
      ['waits:', '  - { id: peer-silence, waiting_on: peer, after: peer-wait, to: manager }'],
      ['  peer_wait: 0m'],
      [
        { id: 'boss', role: 'ceo' },
        { id: 'front', role: 'chief', reports_to: 'boss', peers: ['back:0s'] },
        { id: 'back', role: 'chief', reports_to: 'boss' },
      ],
    );
    expect(found.map((entry) => [entry.code, entry.message])).toEqual([
      [
        'wait-zero',
        "peer_wait '0m' is no wait at all: unanswered peer questions would escalate at once",
      ],
      ['wait-zero', "front waits '0s' on back, which is no wait at all"],
    ]);
  });

  it('warns about a ladder no request can climb', async () => {
    const { found } = await check([
      'ladders:',
      '  - id: pager',
      '    steps:',
      '      - { to: chief, wait: 10m }',
    ]);
    expect(found).toMatchObject([{ severity: 'warning', code: 'ladder-never-applies', line: 3 }]);
  });

  it('leaves unknown agents to the loader, which reports them already', async () => {
    const { loaded, found } = await check([
      'waits:',
      '  - { id: typo, waiting_on: peer, after: 30m, to: chief-9 }',
    ]);
    expect(loaded.map((entry) => entry.code)).toEqual(['rule-target-unknown']);
    expect(found).toEqual([]);
  });

  it('never sees a negative wait: the rule set fails to load with a clear message', async () => {
    const { loaded } = await check([
      'waits:',
      '  - { id: back-in-time, waiting_on: peer, after: -5m, to: manager }',
      'ladders:',
      '  - id: pager',
      '    tags: [page]',
      '    steps:',
      '      - { to: chief, wait: -5m }',
    ]);
    expect(loaded.map((entry) => [entry.severity, entry.line, entry.message])).toEqual([
      [
        'error',
        3,
        "waits.0.after: '-5m' is a negative wait: a wait runs forward from when the request was sent; write 0 or more, such as 30m, or immediate",
      ],
      [
        'error',
        8,
        "ladders.0.steps.0.wait: '-5m' is a negative wait: a wait runs forward from when the request was sent; write 0 or more, such as 30m, or immediate",
      ],
    ]);
  });
});
