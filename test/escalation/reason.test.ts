import { describe, expect, it } from 'vitest';
import { escalationIdOf } from '../../src/escalation/escalation.js';
import { escalationReason, listOf } from '../../src/escalation/reason.js';
import { at, request } from './orgs.js';

describe('listOf', () => {
  it('joins names as a sentence does', () => {
    expect(listOf([])).toBe('nobody');
    expect(listOf(['a'])).toBe('a');
    expect(listOf(['a', 'b'])).toBe('a and b');
    expect(listOf(['a', 'b', 'c'])).toBe('a, b and c');
  });
});

describe('escalationReason', () => {
  const question = request({
    asker: 'domain-1',
    to: 'domain-2',
    kind: 'question',
    severity: 'high',
    tags: ['db'],
  });

  it('says who waited, on whom, how long, and what was tried', () => {
    const reason = escalationReason({
      request: {
        ...question,
        waitingOn: ['chief-1'],
        waitingSince: at(30),
        level: 1,
        failures: [{ kind: 'tool-error', at: at(5), detail: 'psql timed out' }],
        fired: [{ escalationId: 'e', to: 'chief-1', level: 1, rule: 'peer', at: at(30) }],
      },
      trigger: 'wait',
      rule: 'chief-silence',
      to: ['ceo'],
      now: at(90),
    });
    expect(reason).toBe(
      'The question domain-1 sent to domain-2 (high, tagged db) is unanswered: domain-1 has waited 1h on chief-1 (1h30m since it was sent); rule chief-silence sends it to ceo. Tried so far: tool-error after 5m (psql timed out); escalated to chief-1 at level 1 (rule peer).',
    );
  });

  it('counts strikes, and says when nobody is left', () => {
    const reason = escalationReason({
      request: { ...question, failures: [{ kind: 'guard-tripped', at: at(0), detail: '' }] },
      trigger: 'strike',
      rule: 'guard',
      to: [],
      now: at(0),
      note: 'the chain ends here',
    });
    expect(reason).toBe(
      'The question domain-1 sent to domain-2 (high, tagged db) has failed 1 time; rule guard has nobody to send it to. The chain ends here. Tried so far: guard-tripped at once.',
    );
  });

  it('names the ladder rung a request moves to', () => {
    const reason = escalationReason({
      request: question,
      trigger: 'ladder',
      rule: 'on-call',
      to: ['a', 'b'],
      now: at(15),
      ladderStep: 2,
    });
    expect(reason).toContain('ladder on-call moves to rung 3: a and b.');
  });
});

describe('escalationIdOf', () => {
  it('is the request, the level and the target', () => {
    expect(escalationIdOf('m-1', 2, 'human:oncall')).toBe('m-1/2/human:oncall');
  });
});
