import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryBus } from '../../src/a2a/memory-bus.js';
import type { ToolHost } from '../../src/mcp/tool-host.js';
import type { Model, ModelRequest } from '../../src/model/model.js';
import type { OrgDefinition } from '../../src/org/org-definition.js';
import { ScriptedModel, toolResultsOf } from '../../src/model/scripted-model.js';
import { createRuntime } from '../../src/runtime/runtime.js';
import type { Runtime } from '../../src/runtime/runtime.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { loadTestOrg } from '../helpers/test-org.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * A runtime on the SQLite file `file`, as one `cadre` process would open it, with 100 ms run
 * leases; `die()` stops its lease renewals from reaching the store, as when the process is killed.
 */
async function processOn(
  file: string,
  org: OrgDefinition,
  model: Model,
  toolHost: ToolHost,
): Promise<{ runtime: Runtime; store: Store; die: () => void }> {
  const opened = await openSqliteStore(file);
  let dead = false;
  const store = Object.create(opened, {
    claimRun: {
      value: (...args: Parameters<Store['claimRun']>) =>
        dead ? Promise.resolve(false) : opened.claimRun(...args),
    },
  }) as Store;
  const runtime = createRuntime({
    org,
    model,
    bus: createMemoryBus(),
    store,
    toolHost,
    leaseMs: 100,
  });
  return {
    runtime,
    store,
    die: () => {
      dead = true;
    },
  };
}

/** Waits until `done` holds (polling every 20 ms), or fails naming `what` after 5 s. */
async function until(done: () => Promise<boolean>, what: string): Promise<void> {
  for (let waited = 0; !(await done()); waited += 20) {
    if (waited > 5000) throw new Error(`${what} never happened`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A tool host whose tools exist and whose calls are counted; `hang` makes every call wait for ever. */
function countingHost(tool: string, hang: boolean): ToolHost & { calls: number } {
  const host = {
    calls: 0,
    toolsFor: async () => [
      { name: tool, description: 'a database tool', input_schema: { type: 'object' as const } },
    ],
    call: () => {
      host.calls += 1;
      return hang
        ? new Promise<never>(() => undefined)
        : Promise.resolve({ content: 'ran', isError: false, bytes: 3 });
    },
    close: async () => undefined,
  };
  return host;
}

/**
 * Starts a run whose one agent calls `tool` once (the call never returns, as when the process
 * dies during it), waits until the store holds the call's start, then resumes the run in a
 * second runtime on the same store, as `cadre resume` does after a crash.
 */
async function crashDuringCall(tool: string, grant: 'read' | 'write') {
  const folder = await mkdtemp(join(tmpdir(), 'cadre-resume-'));
  const { org, remove } = await loadTestOrg(
    [{ id: 'ceo', role: 'ceo', extra: [`tools: [{ tool: psql, grant: ${grant} }]`] }],
    ['targets:', '  main: { kind: postgres, url: env:DATABASE_URL, access: write }'],
  );
  cleanups.push(remove, () => rm(folder, { recursive: true, force: true }));
  const seen: ModelRequest[] = [];
  const decide = (request: ModelRequest) => {
    seen.push(request);
    const results = toolResultsOf(request);
    return results.length > 0
      ? { text: `after: ${results.join(' | ')}` }
      : { tools: [{ name: tool, input: { sql: 'INSERT INTO marks VALUES (1)' } }] };
  };
  const file = join(folder, 'state.db');
  const first = await processOn(file, org, new ScriptedModel(decide), countingHost(tool, true));
  const handle = first.runtime.run('go');
  await until(
    async () =>
      (await first.store.events(handle.runId)).some((event) => event.type === 'tool-call-start'),
    'the tool call',
  );
  // The first process is gone: nothing of it runs on (its hanging call stays hanging).
  first.die();
  const host = countingHost(tool, false);
  const second = await processOn(file, org, new ScriptedModel(decide), host);
  cleanups.push(
    () => second.runtime.close(),
    () => second.store.close(),
  );
  const result = await (await second.runtime.resume(handle.runId)).result;
  return { result, host, seen };
}

describe('resuming a run whose process died while one of two calls ran', () => {
  it('keeps the recorded result of the call that had finished, and does not make it again', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'cadre-resume-'));
    const { org, remove } = await loadTestOrg(
      [{ id: 'ceo', role: 'ceo', extra: ['tools: [{ tool: psql, grant: write }]'] }],
      ['targets:', '  main: { kind: postgres, url: env:DATABASE_URL, access: write }'],
    );
    cleanups.push(remove, () => rm(folder, { recursive: true, force: true }));
    const decide = (request: ModelRequest) => {
      const results = toolResultsOf(request);
      return results.length > 0
        ? { text: `after: ${results.join(' | ')}` }
        : {
            tools: [
              { name: 'psql__execute', input: { sql: 'INSERT INTO marks VALUES (1)' } },
              { name: 'psql__query', input: { sql: 'SELECT pg_sleep(60)' } },
            ],
          };
    };
    const calls: string[] = [];
    const host = (hangOnQuery: boolean): ToolHost => ({
      toolsFor: async () =>
        ['psql__execute', 'psql__query'].map((name) => ({
          name,
          description: name,
          input_schema: { type: 'object' as const },
        })),
      call: (name) => {
        calls.push(name);
        if (name === 'psql__query' && hangOnQuery) return new Promise<never>(() => undefined);
        return Promise.resolve({ content: `${name} done`, isError: false, bytes: 4 });
      },
      close: async () => undefined,
    });
    const file = join(folder, 'state.db');
    const first = await processOn(file, org, new ScriptedModel(decide), host(true));
    const handle = first.runtime.run('go');
    await until(
      async () =>
        (await first.store.events(handle.runId)).some((event) => event.type === 'tool-call-end'),
      'the write',
    );
    first.die();
    const second = await processOn(file, org, new ScriptedModel(decide), host(false));
    cleanups.push(
      () => second.runtime.close(),
      () => second.store.close(),
    );
    const result = await (await second.runtime.resume(handle.runId)).result;
    expect(result.status).toBe('completed');
    // The write ran once, before the stop; the read ran again after it.
    expect(calls.filter((name) => name === 'psql__execute')).toHaveLength(1);
    expect(calls.filter((name) => name === 'psql__query')).toHaveLength(2);
    expect(result.answer).toBe('after: psql__execute done | psql__query done');
  });
});

describe('resuming a run whose process died during a tool call', () => {
  it('does not run a write again: the model is told its outcome is unknown', async () => {
    const { result, host } = await crashDuringCall('psql__execute', 'write');
    expect(result.status).toBe('completed');
    expect(host.calls).toBe(0);
    expect(result.answer).toContain('the outcome of this psql__execute call is unknown');
    expect(result.answer).toContain('It was not run again');
  });

  it('runs a call at the read grant again, since it cannot have written', async () => {
    const { result, host } = await crashDuringCall('psql__query', 'read');
    expect(result.status).toBe('completed');
    expect(host.calls).toBe(1);
    expect(result.answer).toBe('after: ran');
  });
});

describe('resuming a run whose process died at its edges', () => {
  async function setUp() {
    const folder = await mkdtemp(join(tmpdir(), 'cadre-resume-'));
    const { org, remove } = await loadTestOrg([{ id: 'ceo', role: 'ceo' }]);
    cleanups.push(remove, () => rm(folder, { recursive: true, force: true }));
    const store = await openSqliteStore(join(folder, 'state.db'));
    const runtime = createRuntime({
      org,
      model: new ScriptedModel((request) => ({ text: `answer to ${request.agent}` })),
      bus: createMemoryBus(),
      store,
      toolHost: countingHost('unused', false),
    });
    cleanups.push(
      () => runtime.close(),
      () => store.close(),
    );
    return { org, store, runtime };
  }

  it('sends the task when the run was stored but its task was not', async () => {
    const { org, store, runtime } = await setUp();
    await store.saveRun({
      runId: 'run-early',
      org: org.name,
      task: 'go',
      entry: 'ceo',
      status: 'running',
      startedAt: Date.now(),
      settings: { requestId: 'request-early' },
    });
    const result = await (await runtime.resume('run-early')).result;
    expect(result).toMatchObject({ status: 'completed', answer: 'answer to ceo' });
    expect((await store.getRun('run-early'))?.status).toBe('completed');
  });

  it('ends the run with the answer that was handled when the run’s end was not stored', async () => {
    const { store, runtime } = await setUp();
    const handle = runtime.run('go');
    const done = await handle.result;
    expect(done.status).toBe('completed');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const record = await store.getRun(handle.runId);
    if (!record) throw new Error('no run record');
    // As if the process died after the reply was handled and before the end was written.
    await store.saveRun({ ...record, status: 'running' });
    const resumed = await (await runtime.resume(handle.runId)).result;
    expect(resumed).toMatchObject({ status: 'completed', answer: 'answer to ceo' });
    expect((await store.getRun(handle.runId))?.status).toBe('completed');
  });
});

describe('a resume that is refused', () => {
  it('leaves the run as it was, to be resumed with the right org', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'cadre-resume-'));
    const full = await loadTestOrg([
      { id: 'ceo', role: 'ceo' },
      { id: 'helper', role: 'chief', reports_to: 'ceo' },
    ]);
    const smaller = await loadTestOrg([{ id: 'ceo', role: 'ceo' }]);
    cleanups.push(full.remove, smaller.remove, () => rm(folder, { recursive: true, force: true }));
    const file = join(folder, 'state.db');
    // The helper never answers in the first process (it died), so its session is on record.
    const first = await processOn(
      file,
      full.org,
      new ScriptedModel((request) =>
        request.agent === 'ceo'
          ? toolResultsOf(request).length > 0
            ? { text: `ceo: ${toolResultsOf(request).join(' | ')}` }
            : { tools: [{ name: 'delegate_task', input: { to: 'helper', task: 'help' } }] }
          : new Promise<never>(() => undefined),
      ),
      countingHost('unused', false),
    );
    const handle = first.runtime.run('go');
    await until(
      async () => (await first.store.sessions(handle.runId)).length >= 2,
      "the helper's session",
    );
    const answering = new ScriptedModel((request) =>
      toolResultsOf(request).length > 0
        ? { text: `ceo: ${toolResultsOf(request).join(' | ')}` }
        : { text: `${request.agent} helped` },
    );
    first.die();
    const wrong = await processOn(file, smaller.org, answering, countingHost('unused', false));
    await expect(wrong.runtime.resume(handle.runId)).rejects.toThrow(/which the org no longer has/);
    await wrong.runtime.close();
    await wrong.store.close();
    expect((await first.store.getRun(handle.runId))?.status).toBe('running');

    const right = await processOn(file, full.org, answering, countingHost('unused', false));
    cleanups.push(
      () => right.runtime.close(),
      () => right.store.close(),
    );
    const result = await (await right.runtime.resume(handle.runId)).result;
    expect(result).toMatchObject({
      status: 'completed',
      answer: 'ceo: Answer from helper: helper helped',
    });
  });
});

describe('one process at a time', () => {
  it('refuses to resume a run whose process still renews its lease, and takes it once that stops', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'cadre-resume-'));
    const { org, remove } = await loadTestOrg(
      [{ id: 'ceo', role: 'ceo', extra: ['tools: [{ tool: psql, grant: write }]'] }],
      ['targets:', '  main: { kind: postgres, url: env:DATABASE_URL, access: write }'],
    );
    cleanups.push(remove, () => rm(folder, { recursive: true, force: true }));
    const decide = (request: ModelRequest) =>
      toolResultsOf(request).length > 0
        ? { text: `after: ${toolResultsOf(request).join(' | ')}` }
        : { tools: [{ name: 'psql__execute', input: { sql: 'INSERT INTO marks VALUES (1)' } }] };
    const file = join(folder, 'state.db');
    const first = await processOn(
      file,
      org,
      new ScriptedModel(decide),
      countingHost('psql__execute', true),
    );
    const handle = first.runtime.run('go');
    await until(
      async () =>
        (await first.store.events(handle.runId)).some((event) => event.type === 'tool-call-start'),
      'the tool call',
    );
    const host = countingHost('psql__execute', false);
    const second = await processOn(file, org, new ScriptedModel(decide), host);
    cleanups.push(
      () => second.runtime.close(),
      () => second.store.close(),
    );
    await expect(second.runtime.resume(handle.runId)).rejects.toThrow(
      /is being worked on by another process/,
    );
    expect(host.calls).toBe(0);
    first.die();
    const result = await (await second.runtime.resume(handle.runId)).result;
    expect(result.status).toBe('completed');
    expect(host.calls).toBe(0);
  });
});
