import type { Bus } from '../a2a/bus.js';
import type { ToolHost } from '../mcp/tool-host.js';
import type { Model } from '../model/model.js';
import type { OrgDefinition } from '../org/org-definition.js';
import type { EscalationRecord, RunSettings, Store } from '../store/store.js';
import type { RunEvent, RunTotals } from './run-event.js';

/** The id of the person who starts runs. */
export const userAgentId = '@user';

/** What a runtime is made of: the org and one implementation of each seam. */
export interface RuntimeOptions {
  org: OrgDefinition;
  model: Model;
  /** The message bus; a memory bus (closed with the runtime) unless given. */
  bus?: Bus;
  /** Where runs and events are kept; a memory store unless given. */
  store?: Store;
  /** The agents' MCP tools; the rehearsal host (calls answer what would have run) unless given. */
  toolHost?: ToolHost;
  /** Model id for agents and orgs that name none. */
  defaultModel?: string;
  /** Model id every agent uses, whatever it names (`cadre run --model <id>`). */
  modelOverride?: string;
  /** How many model calls may run at once across the runtime. Default 8. */
  maxConcurrentModelCalls?: number;
  /** Output tokens one model call may produce. Default 4096. */
  maxOutputTokens?: number;
  /**
   * Runs the clock this many times faster, so that waits of minutes and hours pass in seconds
   * (a drill); default 1. Ignored when `now` is given.
   */
  timeScale?: number;
  /**
   * The instant the scaled clock is anchored at (now by default). A resumed drill passes the
   * run's, so that its stored deadlines mean what they meant.
   */
  clockOrigin?: number;
  now?: () => number;
  newId?: () => string;
  /** How long a run's lease in a durable store lasts unless renewed (default 10 s). */
  leaseMs?: number;
}

/** How a run ended. */
export interface RunResult {
  runId: string;
  status: 'completed' | 'failed' | 'cancelled';
  answer?: string;
  error?: string;
  totals: RunTotals;
}

/** A run in progress. */
export interface RunHandle {
  runId: string;
  /** Resolves when the entry agent answers, the run fails, or it is cancelled. */
  result: Promise<RunResult>;
  /** Every event of the run, in order, ending with `run-end`. */
  events: AsyncIterable<RunEvent>;
  /** Stops the run: model calls in flight are aborted, nothing new starts. */
  cancel(): void;
}

/** A live org: sessions that delegate, ask, escalate and answer over the bus. */
export interface Runtime {
  /**
   * Starts a run. `history` holds earlier exchanges with the entry agent (a chat): they open
   * its conversation, so it answers with them in mind.
   */
  run(task: string, options?: RunOptions): RunHandle;
  /**
   * Continues a run whose process died, from the store: its sessions come back as they were
   * checkpointed, messages written but not handled are delivered again, and the deadlines of
   * its open requests are re-armed (those already past due fire at once). Throws a
   * `CadreError` for an unknown run, one that already ended, or one of another org.
   */
  resume(runId: string): Promise<RunHandle>;
  /**
   * Answers an escalation that reached a person (`human` in a rule set): the answer goes back
   * to whoever was waiting, and the run goes on. Throws a `CadreError` (`escalation-unknown`,
   * `escalation-answered`, `escalation-not-human`) otherwise.
   */
  answerEscalation(escalationId: string, text: string, by?: string): Promise<EscalationRecord>;
  /** Where the runtime keeps runs, events, messages and escalations. */
  readonly store: Store;
  close(): Promise<void>;
}

/** Options of one run. */
export interface RunOptions {
  /** The entry agent; the org's root unless given. */
  to?: string;
  /** Earlier exchanges with the entry agent, oldest first. */
  history?: { task: string; answer: string }[];
  /** How the run was started (org folder, model, tools), kept with it for `cadre resume`. */
  settings?: RunSettings;
}
