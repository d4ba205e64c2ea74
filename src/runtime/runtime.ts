import { redactSecrets } from '../../tools/shared/redact.js';
import { CadreError } from '../errors.js';
import { answerHumanEscalation } from './escalations.js';
import { handlerFor } from './inbox.js';
import { createKernel } from './kernel.js';
import type { Kernel, RunContext } from './kernel.js';
import { resumeRun } from './resume-run.js';
import { emptyTotals } from './run-event.js';
import type { RunEvent, RunTotals } from './run-event.js';
import { AsyncQueue } from './async-queue.js';
import { userAgentId } from './runtime-types.js';
import type { RunHandle, RunResult, Runtime, RuntimeOptions } from './runtime-types.js';
import type { RunSettings } from '../store/store.js';

export { userAgentId } from './runtime-types.js';
export type { RunHandle, RunOptions, RunResult, Runtime, RuntimeOptions } from './runtime-types.js';

/** Creates a runtime for an org. Every agent's inbox is subscribed on the bus at once. */
export function createRuntime(options: RuntimeOptions): Runtime {
  const kernel = createKernel(options);
  const { org, bus, store, now, newId, limiter, byId, ownBus, track, emit, send, endRun } = kernel;
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
      const requestId = newId();
      const { run, handle } = openRun(kernel, {
        runId: newId(),
        entry,
        task,
        startedAt: now(),
        requestId,
        history: runOptions.history ?? [],
        totals: emptyTotals(),
        resumed: false,
        settings: {
          ...runOptions.settings,
          requestId,
          ...(kernel.timeScale === 1
            ? {}
            : { timeScale: kernel.timeScale, clockOrigin: kernel.clockOrigin }),
        },
      });
      emit(run, {
        type: 'run-start',
        runId: run.runId,
        agent: userAgentId,
        at: now(),
        task: redactSecrets(task),
        entry,
        org: org.name,
      });
      const saved = store.saveRun({
        runId: run.runId,
        org: org.name,
        task: redactSecrets(task),
        entry,
        status: 'running',
        startedAt: run.startedAt,
        settings: run.settings,
      });
      const deliver = () =>
        send(run, {
          messageId: requestId,
          from: userAgentId,
          to: entry,
          kind: 'task',
          text: task,
          taskId: newId(),
          hop: 0,
          data: { chain: [entry] },
        }).then(() => undefined);
      const failed = (error: unknown) => endRun(run, { status: 'failed', error: String(error) });
      // A durable store has the run before any of its messages; a memory store needs no wait.
      if (kernel.durable)
        track(
          saved
            .then(() => kernel.leases.hold(run.runId))
            .then(deliver)
            .catch(failed),
        );
      else {
        track(saved);
        track(deliver().catch(failed));
      }
      return handle;
    },
    resume: (runId) => resumeRun(kernel, runId, openRun),
    store,
    answerEscalation: (escalationId, text, by) =>
      answerHumanEscalation(kernel, escalationId, text, by),
    async close() {
      for (const run of kernel.runs.values())
        if (!run.done) endRun(run, { status: 'cancelled', error: 'runtime closed' });
      for (const unsubscribe of unsubscribers) unsubscribe();
      limiter.clear();
      kernel.timers.close();
      kernel.leases.close();
      clearInterval(kernel.humanPoll.timer);
      await Promise.allSettled([...kernel.work]);
      if (ownBus) await bus.close();
    },
  };
}

/** The facts a run starts (or resumes) with. */
export interface RunStart {
  runId: string;
  entry: string;
  task: string;
  startedAt: number;
  requestId: string;
  history: { task: string; answer: string }[];
  totals: RunTotals;
  resumed: boolean;
  settings: RunSettings;
}

/** Registers a run with the kernel: its context, and the handle its caller holds. */
export function openRun(kernel: Kernel, start: RunStart): { run: RunContext; handle: RunHandle } {
  let finish: (result: RunResult) => void = () => undefined;
  const result = new Promise<RunResult>((resolve) => (finish = resolve));
  const run: RunContext = {
    ...start,
    controller: new AbortController(),
    queue: new AsyncQueue<RunEvent>(),
    finish,
    done: false,
    handled: new Set(),
  };
  kernel.runs.set(run.runId, run);
  return {
    run,
    handle: {
      runId: run.runId,
      result,
      events: run.queue,
      cancel: () => kernel.endRun(run, { status: 'cancelled', error: 'cancelled' }),
    },
  };
}
