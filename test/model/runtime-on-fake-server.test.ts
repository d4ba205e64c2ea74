import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryBus } from '../../src/a2a/memory-bus.js';
import { createRehearsalToolHost } from '../../src/mcp/rehearsal-tool-host.js';
import { AnthropicModel } from '../../src/model/anthropic-model.js';
import type { RunEvent } from '../../src/runtime/run-event.js';
import { createRuntime } from '../../src/runtime/runtime.js';
import type { RunResult } from '../../src/runtime/runtime.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import { startFakeServer } from '../../src/testing.js';
import type { FakeServer, Fault, RehearsalScript } from '../../src/testing.js';
import { loadTestOrg } from '../helpers/test-org.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const script: RehearsalScript = {
  agents: {
    boss: [
      { tools: [{ name: 'delegate_task', input: { to: 'worker', task: 'measure it' } }] },
      { text: 'boss: {{results}}' },
    ],
    worker: [
      { tools: [{ name: 'psql__health', input: {} }] },
      { tools: [{ name: 'psql__query', input: { sql: 'select 1' } }] },
      { text: 'worker done' },
    ],
  },
};

/** A two-agent org on the real SDK against the fake server, with the given faults. */
async function setUp(
  faults: Fault[],
  maxRetries = 2,
): Promise<{
  server: FakeServer;
  run: (task: string) => Promise<{
    result: RunResult;
    events: RunEvent[];
  }>;
}> {
  const { org, remove } = await loadTestOrg(
    [
      { id: 'boss', role: 'ceo' },
      { id: 'worker', role: 'chief', reports_to: 'boss', extra: ['tools: [psql]'] },
    ],
    ['defaults:', '  model: claude-sonnet-4-6'],
  );
  const server = await startFakeServer({ script });
  for (const fault of faults) server.injectFault(fault);
  const model = new AnthropicModel({
    apiKey: 'test',
    baseURL: server.url,
    maxRetries,
    sleep: async () => undefined,
  });
  const bus = createMemoryBus({ redeliveryDelayMs: 1 });
  const runtime = createRuntime({
    org,
    model,
    bus,
    store: createMemoryStore(),
    toolHost: createRehearsalToolHost(),
  });
  cleanups.push(
    remove,
    () => server.close(),
    () => bus.close(),
    () => runtime.close(),
  );
  return {
    server,
    run: async (task) => {
      const handle = runtime.run(task);
      const events: RunEvent[] = [];
      for await (const event of handle.events) events.push(event);
      return { result: await handle.result, events };
    },
  };
}

describe('the runtime on the real SDK against the fake Messages API', () => {
  it('completes a run whose calls meet a 429 with retry-after and a 529: the SDK retries them', async () => {
    const { server, run } = await setUp([
      { agent: 'worker', turn: 1, kind: 'rate-limit', retry_after: 0.01 },
      { agent: 'boss', turn: 2, kind: 'overloaded' },
    ]);
    const { result } = await run('check');
    expect(result.status).toBe('completed');
    expect(result.answer).toBe('boss: Answer from worker: worker done');
    expect(server.requests.filter((entry) => entry.status === 429)).toHaveLength(1);
    expect(server.requests.filter((entry) => entry.status === 529)).toHaveLength(1);
    expect(server.requests.filter((entry) => entry.status === 200)).toHaveLength(5);
  });

  it('retries a turn whose stream was cut mid-way, and a stream that sent an error event', async () => {
    const { server, run } = await setUp([
      { agent: 'worker', turn: 2, kind: 'cut-stream' },
      { agent: 'boss', turn: 1, kind: 'stream-error' },
    ]);
    const { result, events } = await run('check');
    expect(result.status).toBe('completed');
    expect(server.requests.filter((entry) => entry.fault === 'cut-stream')).toHaveLength(1);
    const retries = events.filter((event) => event.type === 'model-call-retry');
    expect(retries.map((event) => event.agent).sort()).toEqual(['boss', 'worker']);
    const ends = events.filter((event) => event.type === 'model-call-end' && event.attempts === 2);
    expect(ends).toHaveLength(2);
  });

  it('ends with a clear error and an escalation, within the retry budget, when every call fails', async () => {
    const { server, run } = await setUp([{ kind: 'overloaded', times: 'always' }], 1);
    const { result, events } = await run('check');
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(
      /^boss could not reach its model: model call of boss failed after 1 attempt \(HTTP 529\)/,
    );
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'escalation-raised', agent: 'boss' }),
    );
    expect(server.requests).toHaveLength(2);
    expect(events.filter((event) => event.type === 'run-end')).toHaveLength(1);
  });

  it('sends every request after a session’s first with a cached prefix byte-identical to the previous request', async () => {
    const { server, run } = await setUp([]);
    await run('check');
    const byAgent = new Map<string, Record<string, unknown>[]>();
    for (const entry of server.requests)
      byAgent.set(entry.agent ?? '', [
        ...(byAgent.get(entry.agent ?? '') ?? []),
        entry.body as Record<string, unknown>,
      ]);
    const workerRequests = byAgent.get('worker') ?? [];
    expect(workerRequests).toHaveLength(3);
    const withoutMarkers = (value: unknown) =>
      JSON.stringify(value).replaceAll(',"cache_control":{"type":"ephemeral"}', '');
    for (let index = 1; index < workerRequests.length; index++) {
      const previous = workerRequests[index - 1] as {
        system: unknown;
        tools: unknown;
        messages: unknown[];
      };
      const next = workerRequests[index] as {
        system: unknown;
        tools: unknown;
        messages: unknown[];
      };
      expect(JSON.stringify(next.system)).toBe(JSON.stringify(previous.system));
      expect(JSON.stringify(next.tools)).toBe(JSON.stringify(previous.tools));
      expect(JSON.stringify(next.system)).toContain('"cache_control":{"type":"ephemeral"}');
      // The previous request's whole conversation is the prefix of this one, and the breakpoint sits at its end.
      expect(withoutMarkers(next.messages.slice(0, previous.messages.length))).toBe(
        withoutMarkers(previous.messages),
      );
      expect(JSON.stringify(next.messages[previous.messages.length - 1])).toContain(
        '"cache_control":{"type":"ephemeral"}',
      );
    }
    const cacheReads = server.requests
      .filter((entry) => entry.agent === 'worker')
      .map((entry) => entry.status);
    expect(cacheReads).toEqual([200, 200, 200]);
  });

  it('reads the earlier turns of a session from the prompt cache', async () => {
    const { run } = await setUp([]);
    const { events } = await run('check');
    const workerCalls = events.filter(
      (event) => event.type === 'model-call-end' && event.agent === 'worker',
    );
    expect(workerCalls).toHaveLength(3);
    const [first, ...later] = workerCalls.map((event) =>
      event.type === 'model-call-end' ? event.usage : undefined,
    );
    expect(first?.cache_read_input_tokens).toBe(0);
    expect(first?.cache_creation_input_tokens).toBeGreaterThan(0);
    for (const usage of later) expect(usage?.cache_read_input_tokens).toBeGreaterThan(0);
  });
});
