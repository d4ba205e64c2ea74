import type { RunEvent } from '../runtime/run-event.js';
import type { RunRecord, Store } from './store.js';

/** A Store in memory: one process, nothing kept after it ends. */
export function createMemoryStore(): Store {
  const runs = new Map<string, RunRecord>();
  const events = new Map<string, RunEvent[]>();
  return {
    async saveRun(run) {
      runs.set(run.runId, { ...run });
    },
    async getRun(runId) {
      const run = runs.get(runId);
      return run && { ...run };
    },
    async appendEvent(event) {
      const list = events.get(event.runId) ?? [];
      list.push(event);
      events.set(event.runId, list);
    },
    async events(runId) {
      return [...(events.get(runId) ?? [])];
    },
  };
}
