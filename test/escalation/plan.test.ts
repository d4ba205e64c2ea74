import { afterAll, describe, expect, it } from 'vitest';
import { deadlineOf, onAnswer, onDue, onFailure, onSend } from '../../src/escalation/plan.js';
import type { RequestState } from '../../src/escalation/request-state.js';
import type { OrgDefinition } from '../../src/org/org-definition.js';
import { at, bundledOrg, loadRulesOrg, minute, request, smallTeam, start } from './orgs.js';

const commonRules = [
  'waits:',
  '  - { id: peer-silence, request: question, waiting_on: peer, after: peer-wait, to: manager }',
  '  - { id: chief-silence, request: escalation, waiting_on: role:chief, after: 1h, to: next }',
  '  - { id: boss-silence, request: escalation, waiting_on: ceo, after: 2h, to: next }',
  '  - { id: report-silence, request: task, waiting_on: report, after: 3h, to: role:chief }',
  'ladders:',
  '  - id: pager',
  '    tags: [page]',
  '    steps:',
  '      - { to: chief, wait: 10m }',
  '      - { to: boss, wait: 10m }',
];
/** With a person named: `human:oncall`. */
const withHuman = await loadRulesOrg(
  smallTeam,
  [
    ...commonRules,
    'strikes:',
    '  - { id: guard-once, count: 1, failures: [guard-tripped], to: manager }',
    '  - { id: two-tool-errors, count: 2, failures: [tool-error], to: human:oncall }',
    'severities:',
    '  - { id: slow-security, tags: [security], after: 10m, to: ceo }',
    '  - { id: hot, severity: [critical], to: ceo }',
  ],
  ['  peer_wait: 20m'],
);
/** With nobody above the top. */
const withoutHuman = await loadRulesOrg(smallTeam, [
  ...commonRules,
  'strikes:',
  '  - { id: any-failure, count: 1, to: manager }',
]);
afterAll(async () => {
  await withHuman.remove();
  await withoutHuman.remove();
});
const human: OrgDefinition = withHuman.org;
const bare: OrgDefinition = withoutHuman.org;
const esa = await bundledOrg('esa');
const infraOps = await bundledOrg('infra-ops');

describe('the bundled test orgs', () => {
  it('load without errors', () => {
    expect(withHuman.diagnostics).toEqual([]);
    expect(withoutHuman.diagnostics).toEqual([]);
  });
});

describe('deadlineOf', () => {
  it('waits on a peer for the wait the asker declared on it', () => {
    const question = request({ asker: 'back', to: 'front', kind: 'question' });
    expect(deadlineOf(human, question, start)).toEqual({
      dueAt: at(45),
      overdue: false,
      rule: 'peer-silence',
      source: 'wait',
      to: ['chief'],
    });
  });

  it('falls back to the org’s peer_wait, then to 30 minutes', () => {
    const question = request({ asker: 'front', to: 'back', kind: 'question' });
    expect(deadlineOf(human, question, start)?.dueAt).toBe(at(20));
    expect(deadlineOf(bare, question, start)?.dueAt).toBe(at(30));
  });

  it('says when the deadline has passed', () => {
    const question = request({ asker: 'front', to: 'back', kind: 'question' });
    expect(deadlineOf(human, question, at(19))?.overdue).toBe(false);
    expect(deadlineOf(human, question, at(20))?.overdue).toBe(true);
  });

  it('sends `next` to the manager of whoever did not answer', () => {
    const escalation = request({ asker: 'layer-1', to: 'domain-1', kind: 'escalation' });
    expect(deadlineOf(esa, escalation, start)).toMatchObject({
      dueAt: at(60),
      rule: 'domain-escalation-unanswered',
      to: ['chief-1'],
    });
  });

  it('resolves role:<role> to the nearest agent of that role above the asker', () => {
    const task = request({ asker: 'back', to: 'query', kind: 'task' });
    expect(deadlineOf(human, task, start)).toMatchObject({
      dueAt: at(180),
      rule: 'report-silence',
      to: ['chief'],
    });
  });

  it('is undefined when no rule limits the wait', () => {
    const task = request({ asker: 'ceo', to: 'chief-1', kind: 'task' });
    expect(deadlineOf(esa, task, start)).toBeUndefined();
  });

  it('is undefined once the request is answered, or while it waits on a person', () => {
    const question = request({ asker: 'front', to: 'back', kind: 'question' });
    expect(deadlineOf(human, { ...question, status: 'answered' }, start)).toBeUndefined();
    expect(deadlineOf(human, { ...question, waitingOn: ['human:oncall'] }, start)).toBeUndefined();
  });

  it('sends `next` above the root to the person the rule set names', () => {
    const escalation = request({ asker: 'chief', to: 'boss', kind: 'escalation' });
    const deadline = deadlineOf(human, escalation, start);
    expect(deadline).toMatchObject({ dueAt: at(120), rule: 'boss-silence', to: ['human:oncall'] });
    expect(deadline?.note).toBe(
      "'next' resolves to nobody (boss has no manager); it goes to human:oncall, the person the rule set names",
    );
  });

  it('has nobody to send to above the root when the rule set names no person', () => {
    const escalation = request({ asker: 'chief', to: 'boss', kind: 'escalation' });
    const deadline = deadlineOf(bare, escalation, start);
    expect(deadline).toMatchObject({ dueAt: at(120), to: [] });
    expect(deadline?.note).toContain('the rule set names no human: the chain ends here');
  });

  it('picks a pending severity rule when it falls due before the wait rule', () => {
    const question = request({ asker: 'front', to: 'back', kind: 'question', tags: ['security'] });
    expect(deadlineOf(human, question, start)).toMatchObject({
      dueAt: at(10),
      rule: 'slow-security',
      source: 'severity',
      to: ['boss'],
    });
  });

  it('on a ladder, runs out at the end of the current rung', () => {
    const paged: RequestState = {
      ...request({ asker: 'front', to: 'back', kind: 'question', tags: ['page'] }),
      ladder: { rule: 'pager', step: 0, stepStartedAt: start },
      waitingOn: ['chief'],
    };
    expect(deadlineOf(human, paged, start)).toEqual({
      dueAt: at(10),
      overdue: false,
      rule: 'pager',
      source: 'ladder',
      to: ['boss'],
      ladderStep: 1,
    });
  });
});

describe('onSend', () => {
  it('sends a critical request to the CEO at once, one level up', () => {
    const question = request({
      asker: 'front',
      to: 'back',
      kind: 'question',
      severity: 'critical',
      tags: ['db'],
    });
    const step = onSend(human, question, start);
    expect(step.fire).toEqual([
      expect.objectContaining({
        escalationId: 'm-front-back/1/boss',
        requestMessageId: 'm-front-back',
        runId: 'run-1',
        asker: 'front',
        waitedOn: ['back'],
        to: 'boss',
        rule: 'hot',
        trigger: 'severity',
        level: 1,
        firedAt: start,
        waitedMs: 0,
        severity: 'critical',
        tags: ['db'],
        attempts: [],
        earlier: [],
      }),
    ]);
    expect(step.fire[0]?.reason).toContain('skips the levels: rule hot sends it to boss at once');
    expect(step.request).toMatchObject({ level: 1, waitingOn: ['boss'], waitingSince: start });
    expect(step.deadline).toMatchObject({ rule: 'boss-silence', dueAt: at(120) });
  });

  it('fires nothing the second time it is called for the same request', () => {
    const question = request({
      asker: 'front',
      to: 'back',
      kind: 'question',
      severity: 'critical',
    });
    const first = onSend(human, question, start);
    expect(onSend(human, first.request, start).fire).toEqual([]);
  });

  it('fires nothing when the severity target already has the request', () => {
    const escalation = request({
      asker: 'chief',
      to: 'boss',
      kind: 'escalation',
      severity: 'critical',
    });
    const step = onSend(human, escalation, start);
    expect(step.fire).toEqual([]);
    expect(step.request).toBe(escalation);
  });

  it('leaves a severity rule with a wait for its deadline', () => {
    const question = request({ asker: 'front', to: 'back', kind: 'question', tags: ['security'] });
    const sent = onSend(human, question, start);
    expect(sent.fire).toEqual([]);
    const due = onDue(human, sent.request, at(10));
    expect(due.fire).toMatchObject([{ to: 'boss', rule: 'slow-security', trigger: 'severity' }]);
    expect(due.fire[0]?.reason).toContain('sends it to boss after 10m');
  });

  it('leaves an ordinary request alone and returns its deadline', () => {
    const question = request({ asker: 'front', to: 'back', kind: 'question' });
    expect(onSend(human, question, start)).toEqual({
      request: question,
      fire: [],
      deadline: deadlineOf(human, question, start),
    });
  });

  it('starts a ladder and asks its first rung at once', () => {
    const question = request({ asker: 'front', to: 'back', kind: 'question', tags: ['page'] });
    const step = onSend(human, question, start);
    expect(step.fire).toMatchObject([{ to: 'chief', level: 1, rule: 'pager', trigger: 'ladder' }]);
    expect(step.request.ladder).toEqual({ rule: 'pager', step: 0, stepStartedAt: start });
    expect(step.deadline).toMatchObject({ dueAt: at(10), to: ['boss'], ladderStep: 1 });
  });

  it('leaves the asker out of a ladder rung: the request stays where it is for that rung', () => {
    const task = request({
      asker: 'systems-administrator',
      to: 'automation-engineer',
      kind: 'task',
      tags: ['p2'],
    });
    const sent = onSend(infraOps, task, start);
    expect(sent.fire).toMatchObject([{ to: 'site-reliability-engineer', level: 1 }]);
    const second = onDue(infraOps, sent.request, at(15));
    expect(second.fire).toEqual([]);
    expect(second.request).toMatchObject({
      level: 1,
      waitingOn: ['site-reliability-engineer'],
      ladder: { step: 1, stepStartedAt: at(15) },
    });
    const third = onDue(infraOps, second.request, at(30));
    expect(third.fire.map((escalation) => [escalation.to, escalation.level])).toEqual([
      ['network-engineer', 2],
      ['database-administrator', 2],
    ]);
  });

  it('prefers a severity rule that fires at once to a ladder', () => {
    const task = request({
      asker: 'automation-engineer',
      to: 'site-reliability-engineer',
      kind: 'question',
      tags: ['incident', 'major-incident'],
    });
    const step = onSend(infraOps, task, start);
    expect(step.fire).toMatchObject([{ to: 'human', rule: 'major-incident-or-business-decision' }]);
    expect(step.request.ladder).toBeUndefined();
  });
});

describe('onDue', () => {
  it('changes nothing before the deadline', () => {
    const question = request({ asker: 'front', to: 'back', kind: 'question' });
    const step = onDue(human, question, at(19));
    expect(step.fire).toEqual([]);
    expect(step.request).toBe(question);
    expect(step.deadline?.dueAt).toBe(at(20));
  });

  it('escalates one level and sets the new target’s deadline', () => {
    const question = request({ asker: 'front', to: 'back', kind: 'question' });
    const step = onDue(human, question, at(20));
    expect(step.fire).toMatchObject([{ to: 'chief', level: 1, waitedMs: 20 * minute }]);
    expect(step.request).toMatchObject({
      level: 1,
      waitingOn: ['chief'],
      waitingSince: at(20),
      fired: [
        { escalationId: 'm-front-back/1/chief', to: 'chief', level: 1, rule: 'peer-silence' },
      ],
    });
    expect(step.deadline).toMatchObject({ rule: 'chief-silence', dueAt: at(80), to: ['boss'] });
  });

  it('fires once per level: a second call at the same time fires nothing', () => {
    const question = request({ asker: 'front', to: 'back', kind: 'question' });
    const first = onDue(human, question, at(20));
    const second = onDue(human, first.request, at(20));
    expect(first.fire).toHaveLength(1);
    expect(second.fire).toEqual([]);
  });

  it('gives the same escalation the same id, so a replay with an old state writes nothing new', () => {
    const question = request({ asker: 'front', to: 'back', kind: 'question' });
    const once = onDue(human, question, at(20)).fire.map((escalation) => escalation.escalationId);
    const again = onDue(human, question, at(21)).fire.map((escalation) => escalation.escalationId);
    expect(again).toEqual(once);
  });

  it('ends the chain when nobody is left, says why, and stops', () => {
    const escalation = request({ asker: 'chief', to: 'boss', kind: 'escalation' });
    const step = onDue(bare, escalation, at(120));
    expect(step.fire).toEqual([]);
    expect(step.deadline).toBeUndefined();
    expect(step.ended).toContain("'next' resolves to nobody (boss has no manager)");
    expect(step.ended).toContain('the chain ends here');
    expect(step.request.ended?.at).toBe(at(120));
    expect(onDue(bare, step.request, at(500))).toEqual({ request: step.request, fire: [] });
  });

  it('hands a finished ladder to the person the rule set names, or ends it', () => {
    const question = request({ asker: 'front', to: 'back', kind: 'question', tags: ['page'] });
    const climb = (org: OrgDefinition) => {
      let state = onSend(org, question, start).request;
      const fired: string[] = [];
      let ended: string | undefined;
      for (const minutes of [10, 20, 30]) {
        const step = onDue(org, state, at(minutes));
        fired.push(...step.fire.map((escalation) => `${minutes} ${escalation.to}`));
        ended ??= step.ended;
        state = step.request;
      }
      return { fired, ended, state };
    };
    const named = climb(human);
    expect(named.fired).toEqual(['10 boss', '20 human:oncall']);
    expect(named.state.ladder).toBeUndefined();
    const unnamed = climb(bare);
    expect(unnamed.fired).toEqual(['10 boss']);
    expect(unnamed.ended).toContain('ladder has no rung left, and the rule set names no human');
  });

  it('does not send a request back to someone already asked', () => {
    const question: RequestState = {
      ...request({ asker: 'front', to: 'back', kind: 'question' }),
      level: 1,
      waitingOn: ['chief'],
      fired: [{ escalationId: 'x', to: 'boss', level: 1, rule: 'hot', at: start }],
    };
    const deadline = deadlineOf(human, question, start);
    expect(deadline?.to).toEqual(['human:oncall']);
    expect(deadline?.note).toContain("'next' is boss, who has been asked already");
  });
});

describe('onFailure', () => {
  const failure = (kind: 'tool-error' | 'model-error' | 'guard-tripped' | 'task-failed') => ({
    kind,
    at: start,
    detail: kind,
  });

  it('records failures and counts only the kinds a strike rule lists', () => {
    let task = request({ asker: 'domain-1', to: 'layer-1', kind: 'task' });
    for (let index = 0; index < 3; index += 1) {
      const step = onFailure(esa, task, failure('model-error'), start);
      expect(step.fire).toEqual([]);
      task = step.request;
    }
    expect(task.failures).toHaveLength(3);
  });

  it('escalates a tripped guard to the asker’s manager at the first occurrence', () => {
    const task = request({ asker: 'domain-1', to: 'layer-1', kind: 'task' });
    const step = onFailure(esa, task, failure('guard-tripped'), start);
    expect(step.fire).toMatchObject([
      {
        to: 'chief-1',
        rule: 'guard-tripped-to-manager',
        trigger: 'strike',
        attempts: [failure('guard-tripped')],
      },
    ]);
  });

  it('fires each strike rule once per request', () => {
    let task = request({ asker: 'front', to: 'back', kind: 'task' });
    const fired: string[] = [];
    for (let index = 0; index < 5; index += 1) {
      const step = onFailure(human, task, failure('tool-error'), start);
      fired.push(...step.fire.map((escalation) => escalation.to));
      task = step.request;
    }
    expect(fired).toEqual(['human:oncall']);
  });

  it('says the chain ends when a strike has nobody to go to', () => {
    const task = request({ asker: 'boss', to: 'chief', kind: 'task' });
    const step = onFailure(bare, task, failure('task-failed'), start);
    expect(step.fire).toEqual([]);
    expect(step.ended).toContain("'manager' resolves to nobody (boss has no manager)");
    expect(step.request.failures).toHaveLength(1);
    expect(step.request.ended).toBeUndefined();
  });

  it('ignores a failure on an answered request', () => {
    const task = {
      ...request({ asker: 'front', to: 'back', kind: 'task' }),
      status: 'answered' as const,
    };
    expect(onFailure(human, task, failure('guard-tripped'), start)).toEqual({
      request: task,
      fire: [],
    });
  });
});

describe('onAnswer', () => {
  it('closes the request, and a second answer changes nothing', () => {
    const question = request({ asker: 'front', to: 'back', kind: 'question' });
    const answered = onAnswer(question, 'back', at(5));
    expect(answered).toEqual({
      request: { ...question, status: 'answered', answeredBy: 'back', answeredAt: at(5) },
      settle: [],
      escalated: false,
    });
    expect(onAnswer(answered.request, 'chief', at(6))).toEqual({
      request: answered.request,
      settle: [],
      escalated: false,
    });
  });

  it('settles the fired escalations and leaves no deadline', () => {
    const question = request({ asker: 'front', to: 'back', kind: 'question' });
    const escalated = onDue(human, question, at(20)).request;
    const answered = onAnswer(escalated, 'chief', at(30));
    expect(answered).toMatchObject({
      settle: [{ escalationId: 'm-front-back/1/chief', status: 'answered' }],
      escalated: true,
    });
    expect(deadlineOf(human, answered.request, at(30))).toBeUndefined();
    expect(onDue(human, answered.request, at(500)).fire).toEqual([]);
  });
});
