import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryBus } from '../../src/a2a/memory-bus.js';
import { createRehearsalToolHost } from '../../src/mcp/rehearsal-tool-host.js';
import type { ModelRequest } from '../../src/model/model.js';
import { ScriptedModel, toolResultsOf } from '../../src/model/scripted-model.js';
import type { ScriptedDecision } from '../../src/model/scripted-model.js';
import type { OrgDefinition } from '../../src/org/org-definition.js';
import type { RunEvent } from '../../src/runtime/run-event.js';
import { createRuntime } from '../../src/runtime/runtime.js';
import type { Runtime } from '../../src/runtime/runtime.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import { loadTestOrg } from '../helpers/test-org.js';
import type { TestAgent } from '../helpers/test-org.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(
  agents: TestAgent[],
  decide: ScriptedDecision,
  orgLines: string[] = [],
): Promise<{
  runtime: Runtime;
  model: ScriptedModel;
  org: OrgDefinition;
  store: ReturnType<typeof createMemoryStore>;
}> {
  const { org, remove } = await loadTestOrg(agents, orgLines);
  const model = new ScriptedModel(decide);
  const bus = createMemoryBus({ redeliveryDelayMs: 1 });
  // Keeps runs' events (the default keeps none): the tests read them.
  const store = createMemoryStore({ keepEvents: 'all' });
  const runtime = createRuntime({ org, model, bus, store, toolHost: createRehearsalToolHost() });
  cleanups.push(
    remove,
    () => bus.close(),
    () => runtime.close(),
  );
  return { runtime, model, org, store };
}

const hierarchy: TestAgent[] = [
  { id: 'ceo', role: 'ceo' },
  { id: 'chief', role: 'chief', reports_to: 'ceo' },
  { id: 'infra', role: 'domain', reports_to: 'chief' },
  { id: 'db', role: 'layer', reports_to: 'infra', extra: ['tools: [psql]'] },
  { id: 'cache', role: 'layer', reports_to: 'infra', extra: ['tools: [redis-cli]'] },
];

/** Arguments the leaves' first tools need (a rehearsal refuses a call its live server would). */
const leafInputs: Record<string, Record<string, unknown>> = {
  psql__query: { sql: 'SELECT 1' },
  'redis-cli__command': { args: ['PING'] },
};

/** Delegates to every report on the first turn; then answers with the joined results. */
const delegateDown =
  (org: () => OrgDefinition): ScriptedDecision =>
  (request) => {
    const results = toolResultsOf(request);
    const reports = org().agents.filter((agent) => agent.reports_to === request.agent);
    if (results.length > 0) return { text: `${request.agent}[${results.join(' | ')}]` };
    if (reports.length > 0)
      return {
        tools: reports.map((report) => ({
          name: 'delegate_task',
          input: { to: report.id, task: `work for ${report.id}` },
        })),
      };
    const tool = request.tools.find((candidate) => candidate.name.includes('__'));
    return tool
      ? { tools: [{ name: tool.name, input: leafInputs[tool.name] ?? {} }] }
      : { text: `${request.agent}:ok` };
  };

async function collect(events: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const all: RunEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

describe('the runtime', () => {
  it('runs a delegation chain down the org and back up, with tools at the leaves', async () => {
    const holder: { org?: OrgDefinition } = {};
    const started = await start(hierarchy, (request) =>
      delegateDown(() => holder.org as OrgDefinition)(request),
    );
    holder.org = started.org;
    const handle = started.runtime.run('check the foundation');
    const [result, events] = await Promise.all([handle.result, collect(handle.events)]);
    expect(result.status).toBe('completed');
    expect(result.answer).toContain('Answer from chief: chief[Answer from infra: infra[');
    expect(result.answer).toMatch(/db\[rehearsal: psql__query/);
    expect(result.answer).toMatch(/cache\[rehearsal: redis-cli__command/);
    expect(events.filter((event) => event.type === 'run-end')).toHaveLength(1);
    expect(events.at(-1)?.type).toBe('run-end');
    expect(result.totals.modelCalls).toBe(10);
    const delegations = events.filter(
      (event) => event.type === 'message-sent' && event.kind === 'task',
    );
    expect(
      delegations
        .map((event) => (event.type === 'message-sent' ? `${event.from}>${event.to}` : ''))
        .sort(),
    ).toEqual(['@user>ceo', 'ceo>chief', 'chief>infra', 'infra>cache', 'infra>db']);
    expect(await started.store.events(handle.runId)).toHaveLength(events.length);
  });

  it('gives each agent only the org tools its place allows', async () => {
    const seen = new Map<string, string[]>();
    const started = await start(
      [
        ...hierarchy.slice(0, 3),
        {
          id: 'db',
          role: 'layer',
          reports_to: 'infra',
          extra: ['tools: [psql]', 'peers: [{ id: cache, wait: 5m }]'],
        },
        hierarchy[4] as TestAgent,
      ],
      (request) => {
        seen.set(
          request.agent,
          request.tools.map((tool) => tool.name),
        );
        return { text: 'done' };
      },
    );
    await started.runtime.run('hello', { to: 'db' }).result;
    await started.runtime.run('hello', { to: 'ceo' }).result;
    expect(seen.get('db')).toEqual([
      'ask_peer',
      'escalate',
      'report',
      'psql__query',
      'psql__explain',
      'psql__describe',
      'psql__health',
    ]);
    expect(seen.get('ceo')).toEqual(['delegate_task']);
  });

  it('runs parallel delegations at the same time', async () => {
    let arrived = 0;
    let release: () => void = () => undefined;
    const bothArrived = new Promise<void>((resolve) => (release = resolve));
    const holder: { org?: OrgDefinition } = {};
    const started = await start(hierarchy, async (request: ModelRequest) => {
      if (
        (request.agent === 'db' || request.agent === 'cache') &&
        toolResultsOf(request).length === 0
      ) {
        arrived += 1;
        if (arrived === 2) release();
        const outcome = await Promise.race([
          bothArrived.then(() => 'together'),
          new Promise((resolve) => setTimeout(() => resolve('alone'), 2000)),
        ]);
        return { text: `${request.agent}:${String(outcome)}` };
      }
      return delegateDown(() => holder.org as OrgDefinition)(request);
    });
    holder.org = started.org;
    const result = await started.runtime.run('parallel please').result;
    expect(result.answer).toContain('db:together');
    expect(result.answer).toContain('cache:together');
  });

  it('stops a delegation loop between peers with guard-tripped and an escalation', async () => {
    const started = await start(
      [
        { id: 'ceo', role: 'ceo' },
        {
          id: 'alpha',
          role: 'chief',
          reports_to: 'ceo',
          extra: ['peers: [{ id: beta, wait: 10m }]'],
        },
        {
          id: 'beta',
          role: 'chief',
          reports_to: 'ceo',
          extra: ['peers: [{ id: alpha, wait: 10m }]'],
        },
      ],
      (request) => {
        const results = toolResultsOf(request);
        if (results.length > 0) return { text: `${request.agent} got: ${results.join(' | ')}` };
        if (request.agent === 'alpha')
          return {
            tools: [{ name: 'ask_peer', input: { to: 'beta', question: 'what do you think?' } }],
          };
        if (request.agent === 'beta')
          return {
            tools: [{ name: 'ask_peer', input: { to: 'alpha', question: 'what do YOU think?' } }],
          };
        return { text: 'noted' };
      },
    );
    const handle = started.runtime.run('think', { to: 'alpha' });
    const [result, events] = await Promise.all([handle.result, collect(handle.events)]);
    expect(result.status).toBe('completed');
    const guard = events.find((event) => event.type === 'guard-tripped');
    expect(guard).toMatchObject({
      agent: 'beta',
      guard: 'delegation-loop',
      detail: 'alpha → beta → alpha',
    });
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'escalation-raised', agent: 'beta', to: 'ceo' }),
    );
    expect(result.answer).toContain('refused: alpha is already working on this thread');
  });

  it('stops a run over its token budget with guard-tripped, not a hang', async () => {
    const started = await start(
      hierarchy,
      (request) => {
        const delegate = request.tools.find((tool) => tool.name === 'delegate_task');
        const reports =
          (delegate?.input_schema.properties?.to as { enum?: string[] } | undefined)?.enum ?? [];
        return reports[0]
          ? { tools: [{ name: 'delegate_task', input: { to: reports[0], task: 'go' } }] }
          : { tools: [{ name: 'report', input: { progress: 'working' } }] };
      },
      ['defaults:', '  limits: { max_run_tokens: 9 }'],
    );
    const handle = started.runtime.run('burn tokens');
    const [result, events] = await Promise.all([handle.result, collect(handle.events)]);
    expect(result.status).toBe('failed');
    expect(
      events
        .filter((event) => event.type === 'guard-tripped')
        .map((event) => (event.type === 'guard-tripped' ? event.guard : '')),
    ).toContain('max-run-tokens');
    expect(result.totals.modelCalls).toBeLessThanOrEqual(5);
  });

  it('stops an agent that keeps calling tools after its max turns', async () => {
    const started = await start(
      hierarchy,
      (request) =>
        request.agent === 'db'
          ? { tools: [{ name: 'psql__query', input: { sql: 'select 1' } }] }
          : { text: 'x' },
      ['defaults:', '  limits: { max_turns: 3 }'],
    );
    const handle = started.runtime.run('loop forever', { to: 'db' });
    const [result, events] = await Promise.all([handle.result, collect(handle.events)]);
    expect(result.status).toBe('failed');
    expect(result.error).toContain('Stopped by the max-turns guard');
    expect(
      events.filter((event) => event.type === 'model-call-end' && event.agent === 'db'),
    ).toHaveLength(3);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'guard-tripped', guard: 'max-turns', agent: 'db' }),
    );
  });

  it('cancels a run: the pending model call is abandoned and the run ends cancelled', async () => {
    let reached: () => void = () => undefined;
    const inModel = new Promise<void>((resolve) => (reached = resolve));
    const started = await start(hierarchy, (request) => {
      reached();
      return new Promise((_, reject) =>
        request.signal?.addEventListener('abort', () => reject(new Error('aborted'))),
      );
    });
    const handle = started.runtime.run('take forever');
    await inModel;
    handle.cancel();
    const result = await handle.result;
    expect(result.status).toBe('cancelled');
    expect((await started.store.getRun(handle.runId))?.status).toBe('cancelled');
  });

  it('ends the run with a clear error and an escalation event when the entry agent’s model fails', async () => {
    const started = await start(hierarchy, () =>
      Promise.reject(new Error('529 overloaded, retries exhausted')),
    );
    const handle = started.runtime.run('anything');
    const [result, events] = await Promise.all([handle.result, collect(handle.events)]);
    expect(result.status).toBe('failed');
    expect(result.error).toBe('ceo could not reach its model: 529 overloaded, retries exhausted');
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'escalation-raised', agent: 'ceo' }),
    );
  });

  it('keeps secrets out of every event and the stored run: task, answer, escalation reason', async () => {
    const url = 'postgres://admin:TopS3cret@db.internal:5432/app';
    const key = 'sk-ant-api03-ABCDEFGHIJKLMNOPQRSTUVWX';
    const started = await start(
      [
        { id: 'ceo', role: 'ceo' },
        { id: 'worker', role: 'chief', reports_to: 'ceo' },
      ],
      (request) => {
        const results = toolResultsOf(request);
        if (request.agent === 'ceo') {
          return results.length > 0
            ? { text: `done; the key was ${key} and the URL ${url}` }
            : { tools: [{ name: 'delegate_task', input: { to: 'worker', task: `use ${url}` } }] };
        }
        return results.length > 0
          ? { text: 'escalated' }
          : {
              tools: [
                {
                  name: 'escalate',
                  input: { reason: `cannot reach ${url} with ${key}`, severity: 'low' },
                },
              ],
            };
      },
    );
    const handle = started.runtime.run(`check ${url} with key ${key}`);
    const [result, events] = await Promise.all([handle.result, collect(handle.events)]);
    expect(result.status).toBe('completed');
    expect(events.some((event) => event.type === 'escalation-raised')).toBe(true);
    const stored = JSON.stringify([
      events,
      await started.store.events(handle.runId),
      await started.store.getRun(handle.runId),
      await started.store.listRuns(10),
    ]);
    expect(stored).not.toContain('TopS3cret');
    expect(stored).not.toContain(key);
    expect(stored).toContain('postgres://admin:[redacted]@db.internal:5432/app');
  });

  it('survives a store that refuses its event writes: the run ends, nothing is left unhandled', async () => {
    const { org, remove } = await loadTestOrg([{ id: 'ceo', role: 'ceo' }]);
    const store = createMemoryStore({ keepEvents: 'all' });
    const refusing = Object.assign(Object.create(store) as typeof store, {
      appendEvents: () => Promise.reject(new Error('SQLITE_BUSY: database is locked')),
    });
    const bus = createMemoryBus({ redeliveryDelayMs: 1 });
    const runtime = createRuntime({
      org,
      model: new ScriptedModel(() => ({ text: 'done' })),
      bus,
      store: refusing,
      toolHost: createRehearsalToolHost(),
    });
    cleanups.push(
      remove,
      () => bus.close(),
      () => runtime.close(),
    );
    const result = await runtime.run('go').result;
    expect(result).toMatchObject({ status: 'completed', answer: 'done' });
    // Let the refused writes settle: an unhandled rejection would fail this test file.
    await new Promise((resolve) => setTimeout(resolve, 20));
  });

  it('refuses an unknown entry agent and an empty task before anything runs', async () => {
    const started = await start(hierarchy, () => ({ text: 'x' }));
    expect(() => started.runtime.run('x', { to: 'nobody' })).toThrow(
      "agent 'nobody' is not in org 'test'",
    );
    expect(() => started.runtime.run('   ')).toThrow('the task is empty');
    expect(started.model.calls).toHaveLength(0);
  });
});
