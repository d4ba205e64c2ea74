import type { RunEvent } from '../runtime/run-event.js';

/** A run as the store keeps it. */
export interface RunRecord {
  runId: string;
  org: string;
  task: string;
  entry: string;
  status: 'running' | 'completed' | 'failed' | 'cancelled';
  startedAt: number;
  endedAt?: number;
  answer?: string;
}

/**
 * The Store seam: where runs and their events are kept. The memory store serves one process;
 * the durable stores (SQLite, PostgreSQL) come with the escalation engine.
 */
export interface Store {
  saveRun(run: RunRecord): Promise<void>;
  getRun(runId: string): Promise<RunRecord | undefined>;
  appendEvent(event: RunEvent): Promise<void>;
  events(runId: string): Promise<RunEvent[]>;
}
