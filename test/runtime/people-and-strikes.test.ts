import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { recordHumanAnswer } from '../../src/escalation/human-answer.js';
import { createMcpToolHost } from '../../src/mcp/mcp-tool-host.js';
import type { ModelRequest } from '../../src/model/model.js';
import { ScriptedModel, toolResultsOf } from '../../src/model/scripted-model.js';
import type { RunEvent, RunEventOf } from '../../src/runtime/run-event.js';
import { createRuntime } from '../../src/runtime/runtime.js';
import type { Runtime } from '../../src/runtime/runtime.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import { loadTestOrg } from '../helpers/test-org.js';
import type { TestAgent } from '../helpers/test-org.js';

const serverScript = fileURLToPath(new URL('../fixtures/mcp/test-server.mjs', import.meta.url));
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Decide = ConstructorParameters<typeof ScriptedModel>[0];

/** A model call that waits until the run ends (an agent that never answers). */
const never = (request: ModelRequest) =>
  new Promise<never>((_, reject) =>
    request.signal?.addEventListener('abort', () => reject(new Error('aborted'))),
  );

async function start(options: {
  agents: TestAgent[];
  rules: string[];
  decide: Decide;
  orgLines?: string[];
  withTools?: boolean;
}): Promise<Runtime> {
  const { org, remove } = await loadTestOrg(
    options.agents,
    ['defaults:', '  escalation: people', ...(options.orgLines ?? [])],
    { 'escalation/people.yaml': ['name: people', ...options.rules].join('\n') },
  );
  const toolHost = options.withTools ? createMcpToolHost({ org }) : undefined;
  const runtime = createRuntime({
    org,
    model: new ScriptedModel(options.decide),
    store: createMemoryStore(),
    timeScale: 1000,
    ...(toolHost ? { toolHost } : {}),
  });
  cleanups.push(remove, async () => {
    await runtime.close();
    await toolHost?.close();
  });
  return runtime;
}

async function collect(events: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const all: RunEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

/** Resolves the first `escalation-fired` event of a run that goes to `to`. */
async function firedTo(events: AsyncIterable<RunEvent>, to: string) {
  for await (const event of events) {
    if (event.type === 'escalation-fired' && event.to === to) return event;
  }
  throw new Error(`no escalation to ${to}`);
}

const topAndTeam: TestAgent[] = [
  { id: 'boss', role: 'ceo' },
  { id: 'lead', role: 'chief', reports_to: 'boss' },
];

/** The top asks the person for a decision, then answers with what came back. */
const askThePerson: Decide = (request) => {
  if (request.agent !== 'boss') return { text: 'lead' };
  const results = toolResultsOf(request);
  return results.length === 0
    ? {
        tools: [
          {
            name: 'escalate',
            input: {
              reason: 'Restore orders from last night (3 h of orders lost)?',
              severity: 'critical',
            },
          },
        ],
      }
    : { text: `boss: ${results.join(' | ')}` };
};

describe('a person at the top of the org', () => {
  it('lets the top escalate to the person its rules name; their answer (runtime.answerEscalation) goes back and the run completes', async () => {
    const runtime = await start({
      agents: topAndTeam,
      rules: [],
      decide: askThePerson,
      orgLines: [],
    });
    // No `human` in the rules: the top has nobody to escalate to.
    expect(
      (await collect(runtime.run('restore the orders table').events)).some(
        (event) => event.type === 'escalation-fired',
      ),
    ).toBe(false);

    const withPerson = await start({
      agents: topAndTeam,
      rules: [
        'waits:',
        '  - { id: to-person, request: escalation, waiting_on: ceo, after: 30m, to: human }',
      ],
      decide: askThePerson,
    });
    const handle = withPerson.run('restore the orders table');
    const fired = await firedTo(handle.events, 'human');
    expect(fired).toMatchObject({ agent: 'boss', trigger: 'escalate', level: 1 });
    expect(await withPerson.store.listEscalations({ open: true })).toMatchObject([
      { escalationId: fired.escalationId, to: 'human', status: 'open' },
    ]);

    const answered = await withPerson.answerEscalation(fired.escalationId, 'Approved: restore it');
    expect(answered).toMatchObject({ status: 'answered', answeredBy: 'human' });
    const result = await handle.result;
    expect(result.status).toBe('completed');
    expect(result.answer).toBe('boss: Answer from human: Approved: restore it');

    await expect(withPerson.answerEscalation(fired.escalationId, 'again')).rejects.toMatchObject({
      code: 'escalation-answered',
      message: `escalation '${fired.escalationId}' was already answered by human`,
    });
    await expect(withPerson.answerEscalation('no-such-escalation', 'yes')).rejects.toMatchObject({
      code: 'escalation-unknown',
    });
  });

  it('takes an answer written to the store by another process (cadre answer), found by polling', async () => {
    const runtime = await start({
      agents: topAndTeam,
      rules: [
        'waits:',
        '  - { id: to-person, request: escalation, waiting_on: ceo, after: 30m, to: human }',
      ],
      decide: askThePerson,
    });
    const handle = runtime.run('restore the orders table');
    const fired = await firedTo(handle.events, 'human');
    await expect(recordHumanAnswer(runtime.store, fired.escalationId, '   ')).rejects.toMatchObject(
      {
        code: 'answer-empty',
      },
    );

    await recordHumanAnswer(runtime.store, fired.escalationId, 'Denied: wait for the DBA', {
      by: 'human:dana',
    });

    const result = await handle.result;
    expect(result.answer).toBe('boss: Answer from human:dana: Denied: wait for the DBA');
  });

  it('lets the default decision stand when the person does not answer within the rule’s time', async () => {
    const runtime = await start({
      agents: topAndTeam,
      rules: [
        'waits:',
        '  - { id: to-person, request: escalation, waiting_on: ceo, after: 30m, to: human }',
        'human: { answer_within: 10m, default: deny }',
      ],
      decide: askThePerson,
    });
    const handle = runtime.run('restore the orders table');
    const [result, events] = await Promise.all([handle.result, collect(handle.events)]);

    expect(result.answer).toBe(
      'boss: Answer from human: Nobody answered within 10m; the default decision stands: denied: do not go ahead.',
    );
    const fired = events.find((event) => event.type === 'escalation-fired');
    const reply = events.find(
      (event): event is RunEventOf<'message-sent'> =>
        event.type === 'message-sent' && event.from === 'human',
    );
    // Ten minutes of scaled time passed before the default stood, never less.
    expect((reply?.at ?? 0) - (fired?.at ?? 0)).toBeGreaterThanOrEqual(10 * 60_000);
    expect(await runtime.store.listEscalations({})).toMatchObject([
      { status: 'answered', answeredBy: 'default' },
    ]);
  });

  it('refuses to answer an escalation that went to an agent', async () => {
    const runtime = await start({
      agents: [
        ...topAndTeam,
        {
          id: 'asker',
          role: 'domain',
          reports_to: 'lead',
          extra: ['peers: [{ id: silent, wait: 1m }]'],
        },
        { id: 'silent', role: 'domain', reports_to: 'lead' },
      ],
      rules: [
        'waits:',
        '  - { id: peer-silence, request: question, waiting_on: peer, after: peer-wait, to: manager }',
      ],
      decide: (request) => {
        if (request.agent === 'silent' || request.agent === 'lead') return never(request);
        const results = toolResultsOf(request);
        return results.length === 0
          ? { tools: [{ name: 'ask_peer', input: { to: 'silent', question: 'warm?' } }] }
          : { text: results.join(' | ') };
      },
    });
    const handle = runtime.run('check', { to: 'asker' });
    const fired = await firedTo(handle.events, 'lead');

    await expect(runtime.answerEscalation(fired.escalationId, 'yes')).rejects.toMatchObject({
      code: 'escalation-not-human',
      message: `escalation '${fired.escalationId}' went to agent lead, not to a person`,
    });
    handle.cancel();
  });
});

/**
 * boss delegates "load the orders" to lead, lead to worker (decided by `worker`); boss answers
 * an escalation with `decision`, and each manager answers with what came back.
 */
function delegatingChain(worker: Decide, decision: string): Decide {
  return (request) => {
    if (request.agent === 'worker') return worker(request);
    const results = toolResultsOf(request);
    const report = request.agent === 'lead' ? 'worker' : 'lead';
    const text = request.messages[0]?.content;
    if (request.agent === 'boss' && typeof text === 'string' && text.startsWith('Escalation'))
      return { text: decision };
    return results.length === 0
      ? { tools: [{ name: 'delegate_task', input: { to: report, task: 'load the orders' } }] }
      : { text: `${request.agent}: ${results.join(' | ')}` };
  };
}

describe('strike rules in a run', () => {
  it('escalates a request after three tool errors of the agent working on it, carrying the attempts; the answer goes to the asker', async () => {
    let failedCalls = 0;
    const runtime = await start({
      agents: [
        ...topAndTeam,
        { id: 'worker', role: 'domain', reports_to: 'lead', extra: ['tools: [helper/fail]'] },
      ],
      orgLines: [
        'mcp_servers:',
        `  helper: { command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(serverScript)}], tools: [fail] }`,
      ],
      withTools: true,
      rules: [
        'strikes:',
        '  - { id: three-strikes, count: 3, failures: [tool-error], to: manager }',
      ],
      decide: delegatingChain((request) => {
        failedCalls = toolResultsOf(request).length;
        // Keeps retrying the failing tool, as a stuck agent would.
        return { tools: [{ name: 'helper__fail', input: {} }] };
      }, 'boss: stop retrying, read from the replica'),
    });
    const handle = runtime.run('load the orders');
    const [result, events] = await Promise.all([handle.result, collect(handle.events)]);

    const fired = events.filter(
      (event): event is RunEventOf<'escalation-fired'> => event.type === 'escalation-fired',
    );
    expect(fired).toEqual([
      expect.objectContaining({
        agent: 'lead',
        to: 'boss',
        rule: 'three-strikes',
        trigger: 'strike',
      }),
    ]);
    expect(fired[0]?.reason).toMatch(/3 failed attempts|tool-error/);
    expect(
      events.filter((event) => event.type === 'tool-call-end' && event.isError).length,
    ).toBeGreaterThanOrEqual(3);
    expect(failedCalls).toBeGreaterThanOrEqual(2);
    expect(result.answer).toBe(
      'boss: Answer from lead: lead: Answer from boss (worker failed 3 times; the request escalated to boss): boss: stop retrying, read from the replica',
    );
  });
});

describe('a failed task as a strike', () => {
  it('escalates on the failed answer that makes the count, and the asker takes the escalation’s answer instead of the failure', async () => {
    const runtime = await start({
      agents: [...topAndTeam, { id: 'worker', role: 'domain', reports_to: 'lead' }],
      rules: [
        'strikes:',
        '  - { id: two-strikes, count: 2, failures: [model-error, task-failed], to: manager }',
      ],
      decide: delegatingChain(() => {
        throw new Error('the model is overloaded');
      }, 'boss: load them from yesterday’s export'),
    });
    const handle = runtime.run('load the orders');
    const [result, events] = await Promise.all([handle.result, collect(handle.events)]);

    expect(
      events
        .filter(
          (event): event is RunEventOf<'escalation-fired'> => event.type === 'escalation-fired',
        )
        .map((event) => [event.agent, event.to, event.rule]),
    ).toEqual([['lead', 'boss', 'two-strikes']]);
    expect(result.answer).toBe(
      'boss: Answer from lead: lead: Answer from boss (worker failed 2 times; the request escalated to boss): boss: load them from yesterday’s export',
    );
  });
});

describe('a person in an agent’s place', () => {
  it('waits for the person’s answer (human: true) and passes it on as the agent’s, without a model call', async () => {
    const agentsAsked = new Set<string>();
    const runtime = await start({
      agents: [
        { id: 'boss', role: 'ceo' },
        { id: 'lead', role: 'chief', reports_to: 'boss', extra: ['human: true'] },
      ],
      rules: [],
      decide: (request) => {
        agentsAsked.add(request.agent);
        const results = toolResultsOf(request);
        return results.length === 0
          ? {
              tools: [{ name: 'delegate_task', input: { to: 'lead', task: 'approve the budget' } }],
            }
          : { text: `boss: ${results.join(' | ')}` };
      },
    });
    const handle = runtime.run('plan the quarter');
    const asked = await firedTo(handle.events, 'human:lead');
    expect(asked).toMatchObject({ agent: 'lead', rule: 'person', level: 0 });
    expect(asked.reason).toContain('approve the budget');

    await runtime.answerEscalation(asked.escalationId, 'Approved, within 10%');

    const result = await handle.result;
    expect(result.answer).toBe('boss: Answer from lead: Approved, within 10%');
    expect([...agentsAsked]).toEqual(['boss']);
  });
});

describe('escalations of a run that ended', () => {
  it('closes those still open, so that nobody answers them for nothing', async () => {
    const runtime = await start({
      agents: topAndTeam,
      rules: [
        'waits:',
        '  - { id: to-person, request: escalation, waiting_on: ceo, after: 30m, to: human }',
      ],
      decide: askThePerson,
    });
    const handle = runtime.run('restore the orders table');
    const fired = await firedTo(handle.events, 'human');

    handle.cancel();
    await handle.result;

    await expect
      .poll(async () => (await runtime.store.getEscalation(fired.escalationId))?.status)
      .toBe('cancelled');
    expect(await runtime.store.listEscalations({ open: true })).toEqual([]);
    await expect(runtime.answerEscalation(fired.escalationId, 'too late')).rejects.toMatchObject({
      code: 'escalation-answered',
      message: expect.stringContaining('or the run ended'),
    });
  });
});
