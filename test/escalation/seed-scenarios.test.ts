import { describe, expect, it } from 'vitest';
import { createDrill } from './drill.js';
import { bundledOrg } from './orgs.js';

const esa = await bundledOrg('esa');
const heir = await bundledOrg('heir');
const infraOps = await bundledOrg('infra-ops');

const path = (drill: ReturnType<typeof createDrill>) =>
  drill.fired.map((firing) => `${firing.minute} ${firing.to} L${firing.level}`);

describe('the ESA escalation path (seeds 000 and 001)', () => {
  it('sends an unanswered peer question to the asker’s chief after 30 minutes, then to the CEO after the chief’s hour', () => {
    const drill = createDrill(esa);
    const id = drill.send({ asker: 'domain-1', to: 'domain-2', kind: 'question' });
    drill.advanceTo(29);
    expect(drill.fired).toEqual([]);
    drill.advanceTo(30);
    expect(path(drill)).toEqual(['30 chief-1 L1']);
    expect(drill.fired[0]).toMatchObject({ rule: 'peer-question-unanswered', trigger: 'wait' });
    expect(drill.fired[0]?.reason).toContain('domain-1 has waited 30m on domain-2');
    drill.advanceTo(89);
    expect(path(drill)).toEqual(['30 chief-1 L1']);
    drill.advanceTo(90);
    expect(path(drill)).toEqual(['30 chief-1 L1', '90 ceo L2']);
    expect(drill.fired[1]).toMatchObject({ rule: 'chief-escalation-unanswered' });
    expect(drill.fired[1]?.reason).toContain('has waited 1h on chief-1');
    expect(drill.fired[1]?.reason).toContain('escalated to chief-1 at level 1');
    expect(drill.state(id)).toMatchObject({ level: 2, waitingOn: ['ceo'], kind: 'question' });
  });

  it('goes on to a human when the CEO has not answered in 30 minutes, and stops there', () => {
    const drill = createDrill(esa);
    drill.send({ asker: 'domain-1', to: 'domain-2', kind: 'question' });
    drill.advanceTo(24 * 60);
    expect(path(drill)).toEqual(['30 chief-1 L1', '90 ceo L2', '120 human L3']);
    expect(drill.timers.pending()).toEqual([]);
  });

  it('cancels everything when the peer answers at minute 20', () => {
    const drill = createDrill(esa);
    const id = drill.send({ asker: 'domain-1', to: 'domain-2', kind: 'question' });
    drill.advanceTo(20);
    const answered = drill.answer(id, 'domain-2');
    expect(answered).toMatchObject({ settle: [], escalated: false });
    drill.advanceTo(24 * 60);
    expect(drill.fired).toEqual([]);
    expect(drill.state(id)).toMatchObject({ status: 'answered', answeredBy: 'domain-2' });
  });

  it('sends a data-loss request to the CEO at once', () => {
    const drill = createDrill(esa);
    drill.send({ asker: 'domain-1', to: 'domain-2', kind: 'question', tags: ['data-loss'] });
    expect(drill.fired).toMatchObject([
      { minute: 0, to: 'ceo', level: 1, rule: 'emergency-to-ceo', trigger: 'severity' },
    ]);
    expect(drill.fired[0]?.reason).toContain('at once');
  });

  it('fires the chief’s escalation 1.8 s of real time after the question at time scale 1000', () => {
    const drill = createDrill(esa, 1000);
    drill.send({ asker: 'domain-1', to: 'domain-2', kind: 'question' });
    expect(drill.scheduler.delays).toEqual([1800]);
    drill.scheduler.advance(1799);
    expect(drill.fired).toEqual([]);
    drill.scheduler.advance(1);
    expect(path(drill)).toEqual(['30 chief-1 L1']);
  });
});

describe('the HEIR ORBT three strikes (seed 002)', () => {
  it('sends the third failure on a database-specialist request to the master orchestrator with the three attempts', () => {
    const drill = createDrill(heir);
    const id = drill.send({ asker: 'data-orchestrator', to: 'database-specialist', kind: 'task' });
    drill.advanceTo(5);
    drill.fail(id, 'tool-error', 'psql: connection refused');
    drill.advanceTo(10);
    drill.fail(id, 'model-error', 'overloaded (529)');
    expect(drill.fired).toEqual([]);
    drill.advanceTo(15);
    drill.fail(id, 'task-failed', 'the read replica is behind too');
    expect(drill.fired).toMatchObject([
      {
        minute: 15,
        to: 'master-orchestrator',
        level: 1,
        rule: 'orbt-third-strike',
        trigger: 'strike',
        attempts: 3,
      },
    ]);
    const reason = drill.fired[0]?.reason ?? '';
    for (const detail of ['psql: connection refused', 'overloaded (529)', 'read replica is behind'])
      expect(reason).toContain(detail);
  });

  it('escalates nothing on two failures', () => {
    const drill = createDrill(heir);
    const id = drill.send({ asker: 'data-orchestrator', to: 'database-specialist', kind: 'task' });
    drill.fail(id, 'tool-error');
    drill.fail(id, 'task-failed');
    drill.advanceTo(59);
    expect(drill.fired).toEqual([]);
    expect(drill.state(id).failures).toHaveLength(2);
  });
});

describe('the infra-ops on-call ladder (seed 004)', () => {
  const incident = {
    asker: 'automation-engineer',
    to: 'site-reliability-engineer',
    kind: 'question' as const,
    tags: ['incident'],
  };

  it('walks SRE, systems administrator, both component owners, the architect, then a human, each at its minute', () => {
    const drill = createDrill(infraOps);
    const id = drill.send(incident);
    expect(drill.state(id).ladder).toEqual({
      rule: 'on-call',
      step: 0,
      stepStartedAt: expect.any(Number),
    });
    expect(drill.fired).toEqual([]);
    for (const minutes of [14, 15, 29, 30, 59, 60, 119, 120, 24 * 60]) drill.advanceTo(minutes);
    expect(path(drill)).toEqual([
      '15 systems-administrator L1',
      '30 network-engineer L2',
      '30 database-administrator L2',
      '60 infrastructure-architect L3',
      '120 human L4',
    ]);
    expect(drill.fired.every((firing) => firing.rule === 'on-call')).toBe(true);
    expect(drill.timers.pending()).toEqual([]);
  });

  it('stops the ladder when an answer arrives at minute 40', () => {
    const drill = createDrill(infraOps);
    const id = drill.send(incident);
    drill.advanceTo(40);
    const answered = drill.answer(id, 'database-administrator');
    expect(answered.settle).toEqual([
      { escalationId: `${id}/1/systems-administrator`, status: 'cancelled' },
      { escalationId: `${id}/2/network-engineer`, status: 'cancelled' },
      { escalationId: `${id}/2/database-administrator`, status: 'answered' },
    ]);
    drill.advanceTo(24 * 60);
    expect(path(drill)).toEqual([
      '15 systems-administrator L1',
      '30 network-engineer L2',
      '30 database-administrator L2',
    ]);
  });
});

describe('no escalation storms', () => {
  it('a late answer after the chief was asked cancels the pending escalation to the CEO', () => {
    const drill = createDrill(esa);
    const id = drill.send({ asker: 'domain-1', to: 'domain-2', kind: 'question' });
    drill.advanceTo(45);
    expect(path(drill)).toEqual(['30 chief-1 L1']);
    const answered = drill.answer(id, 'domain-2');
    expect(answered).toMatchObject({
      escalated: true,
      settle: [{ escalationId: `${id}/1/chief-1`, status: 'cancelled' }],
    });
    drill.advanceTo(24 * 60);
    expect(path(drill)).toEqual(['30 chief-1 L1']);
  });
});
