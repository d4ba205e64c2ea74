import { CadreError } from '../errors.js';
import { AsyncQueue } from './async-queue.js';
import { handlerFor } from './inbox.js';
import { createKernel } from './kernel.js';
import type { RunContext } from './kernel.js';
import { emptyTotals } from './run-event.js';
import type { RunEvent } from './run-event.js';
import { userAgentId } from './runtime-types.js';
import type { RunResult, Runtime, RuntimeOptions } from './runtime-types.js';

export { userAgentId } from './runtime-types.js';
export type { RunHandle, RunOptions, RunResult, Runtime, RuntimeOptions } from './runtime-types.js';

/** Creates a runtime for an org. Every agent's inbox is subscribed on the bus at once. */
export function createRuntime(options: RuntimeOptions): Runtime {
  const kernel = createKernel(options);
  const { org, bus, store, now, newId, limiter, runs, byId, ownBus, track, emit, send, endRun } =
    kernel;
  const unsubscribers = [...org.agents.map((agent) => agent.id), userAgentId].map((id) =>
    bus.subscribe(id, handlerFor(kernel, id)),
  );

  return {
    run(task, runOptions = {}) {
      const entry = runOptions.to ?? org.root;
      if (!byId.has(entry)) {
        throw new CadreError({
          code: 'unknown-agent',
          message: `agent '${entry}' is not in org '${org.name}'`,
          hint: `choose one of ${[...byId.keys()].join(', ')}`,
        });
      }
      if (task.trim() === '')
        throw new CadreError({
          code: 'empty-task',
          message: 'the task is empty',
          hint: 'say what the org should do, such as "check the cache hit ratio"',
        });
      const runId = newId();
      let finish: (result: RunResult) => void = () => undefined;
      const resultPromise = new Promise<RunResult>((resolve) => (finish = resolve));
      const run: RunContext = {
        history: runOptions.history ?? [],
        runId,
        entry,
        task,
        startedAt: now(),
        requestId: newId(),
        controller: new AbortController(),
        totals: emptyTotals(),
        queue: new AsyncQueue<RunEvent>(),
        finish,
        done: false,
        handled: new Set(),
      };
      runs.set(runId, run);
      emit(run, {
        type: 'run-start',
        runId,
        agent: userAgentId,
        at: now(),
        task,
        entry,
        org: org.name,
      });
      track(
        store.saveRun({
          runId,
          org: org.name,
          task,
          entry,
          status: 'running',
          startedAt: run.startedAt,
        }),
      );
      track(
        send(run, {
          messageId: run.requestId,
          from: userAgentId,
          to: entry,
          kind: 'task',
          text: task,
          taskId: newId(),
          hop: 0,
          data: { chain: [entry] },
        })
          .then(() => undefined)
          .catch((error: unknown) => endRun(run, { status: 'failed', error: String(error) })),
      );
      return {
        runId,
        result: resultPromise,
        events: run.queue,
        cancel: () => endRun(run, { status: 'cancelled', error: 'cancelled' }),
      };
    },
    async close() {
      for (const run of runs.values())
        if (!run.done) endRun(run, { status: 'cancelled', error: 'runtime closed' });
      for (const unsubscribe of unsubscribers) unsubscribe();
      limiter.clear();
      kernel.timers.close();
      await Promise.allSettled([...kernel.work]);
      if (ownBus) await bus.close();
    },
  };
}
