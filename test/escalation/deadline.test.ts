import { describe, expect, it } from 'vitest';
import { contextOf, rungTargets, takenBy } from '../../src/escalation/deadline.js';
import { bundledOrg, request } from './orgs.js';

const infraOps = await bundledOrg('infra-ops');

describe('contextOf', () => {
  it('gives the asker and the rule set it works under', () => {
    const context = contextOf(
      infraOps,
      request({ asker: 'network-engineer', to: 'x', kind: 'task' }),
    );
    expect(context.asker.id).toBe('network-engineer');
    expect(context.rules?.name).toBe('infra-ops');
  });
});

describe('takenBy', () => {
  it('holds the asker, the recipient, whoever has it now and everyone it escalated to', () => {
    const state = {
      ...request({ asker: 'a', to: 'b', kind: 'question' as const }),
      waitingOn: ['c'],
      fired: [{ escalationId: 'e', to: 'd', level: 1, rule: 'r', at: 0 }],
    };
    expect([...takenBy(state)].sort()).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('rungTargets', () => {
  it('resolves a rung’s targets and leaves the asker out', () => {
    const asker = request({ asker: 'network-engineer', to: 'systems-administrator', kind: 'task' });
    const context = contextOf(infraOps, asker);
    const rung = { to: ['network-engineer', 'database-administrator', 'manager'] };
    expect(rungTargets(infraOps, context, rung, asker)).toEqual([
      'database-administrator',
      'infrastructure-architect',
    ]);
  });
});
