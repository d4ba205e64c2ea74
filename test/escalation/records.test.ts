import { describe, expect, it } from 'vitest';
import { onDue } from '../../src/escalation/plan.js';
import { escalationRecordOf, requestRecordOf } from '../../src/escalation/records.js';
import { at, bundledOrg, request } from './orgs.js';

const esa = await bundledOrg('esa');

describe('store records', () => {
  it('maps a watched request to its row, with its deadline', () => {
    const question = request({ asker: 'domain-1', to: 'domain-2', kind: 'question' });
    expect(
      requestRecordOf(question, {
        dueAt: at(30),
        overdue: false,
        rule: 'r',
        source: 'wait',
        to: [],
      }),
    ).toEqual({
      messageId: 'm-domain-1-domain-2',
      runId: 'run-1',
      from: 'domain-1',
      to: 'domain-2',
      kind: 'question',
      taskId: 'm-domain-1-domain-2',
      sentAt: at(0),
      dueAt: at(30),
      level: 0,
      status: 'open',
    });
  });

  it('marks an escalated request, and an answered one', () => {
    const question = request({ asker: 'domain-1', to: 'domain-2', kind: 'question' });
    const step = onDue(esa, question, at(30));
    expect(requestRecordOf(step.request, step.deadline)).toMatchObject({
      to: 'chief-1',
      level: 1,
      status: 'escalated',
      dueAt: at(90),
    });
    const answered = requestRecordOf({ ...step.request, status: 'answered' });
    expect(answered).toMatchObject({ status: 'answered' });
    expect(answered).not.toHaveProperty('dueAt');
  });

  it('maps a fired escalation to an open escalation row', () => {
    const question = request({ asker: 'domain-1', to: 'domain-2', kind: 'question' });
    const [escalation] = onDue(esa, question, at(30)).fire;
    if (!escalation) throw new Error('nothing fired');
    expect(escalationRecordOf(escalation)).toEqual({
      escalationId: 'm-domain-1-domain-2/1/chief-1',
      runId: 'run-1',
      requestMessageId: 'm-domain-1-domain-2',
      asker: 'domain-1',
      waitedOn: 'domain-2',
      to: 'chief-1',
      rule: 'peer-question-unanswered',
      reason: escalation.reason,
      level: 1,
      firedAt: at(30),
      status: 'open',
    });
  });
});
