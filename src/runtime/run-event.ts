import type { ModelUsage } from '../model/model.js';

/** Fields every event has. */
interface EventBase {
  runId: string;
  /** The agent it concerns (`@user` for the person who started the run). */
  agent: string;
  /** Epoch milliseconds. */
  at: number;
}

/**
 * Everything that happens in a run, named noun-verb. Each event is stored (text deltas excepted)
 * and streamed to whoever watches the run.
 */
export type RunEvent =
  | (EventBase & { type: 'run-start'; task: string; entry: string; org: string })
  | (EventBase & {
      type: 'run-resume';
      /** Sessions taken back from the store that were still working or waiting. */
      sessions: number;
      /** Messages written before the process died and not yet handled: delivered again. */
      pendingMessages: number;
      /** Requests still waiting for an answer, whose deadlines were re-armed. */
      openRequests: number;
    })
  | (EventBase & {
      type: 'run-end';
      status: 'completed' | 'failed' | 'cancelled';
      answer?: string;
      error?: string;
      totals: RunTotals;
    })
  | (EventBase & {
      type: 'session-start';
      sessionId: string;
      asker: string;
      kind: string;
      taskId: string;
    })
  | (EventBase & {
      type: 'session-end';
      sessionId: string;
      status: 'answered' | 'stopped' | 'failed' | 'cancelled';
    })
  | (EventBase & {
      type: 'message-sent';
      messageId: string;
      from: string;
      to: string;
      kind: string;
      taskId: string;
      hop: number;
      text: string;
      severity: string;
    })
  | (EventBase & { type: 'model-call-start'; sessionId: string; turn: number })
  | (EventBase & {
      type: 'model-call-end';
      sessionId: string;
      turn: number;
      usage: ModelUsage;
      latencyMs: number;
      costUsd: number;
      attempts: number;
      stopReason: string;
      toolCalls: number;
    })
  | (EventBase & {
      type: 'model-call-retry';
      sessionId: string;
      attempt: number;
      reason: string;
      delayMs: number;
    })
  | (EventBase & { type: 'model-call-error'; sessionId: string; error: string; attempts: number })
  | (EventBase & { type: 'model-text-delta'; sessionId: string; text: string })
  | (EventBase & {
      type: 'tool-call-start';
      sessionId: string;
      toolUseId: string;
      tool: string;
      input: unknown;
    })
  | (EventBase & {
      type: 'tool-call-end';
      sessionId: string;
      toolUseId: string;
      tool: string;
      isError: boolean;
      /** The output as the model saw it (secrets redacted), cut at 2,000 characters. */
      output: string;
      /** The whole output's size in bytes. */
      bytes: number;
      durationMs: number;
    })
  | (EventBase & {
      type: 'escalation-fired';
      escalationId: string;
      requestMessageId: string;
      to: string;
      rule: string;
      trigger: string;
      level: number;
      reason: string;
    })
  | (EventBase & { type: 'guard-tripped'; sessionId: string; guard: GuardName; detail: string })
  | (EventBase & {
      type: 'escalation-raised';
      sessionId: string;
      to: string;
      reason: string;
      severity: string;
    });

/** The guards that stop a branch of a run. */
export type GuardName =
  'max-hops' | 'max-turns' | 'max-tokens' | 'max-run-tokens' | 'delegation-loop';

/** What a run used, summed over its model calls. */
export interface RunTotals {
  modelCalls: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
  toolCalls: number;
  messages: number;
  wallMs: number;
}

/** A RunEvent of one type. */
export type RunEventOf<T extends RunEvent['type']> = Extract<RunEvent, { type: T }>;

/** Totals with nothing counted yet. */
export function emptyTotals(): RunTotals {
  return {
    modelCalls: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    costUsd: 0,
    toolCalls: 0,
    messages: 0,
    wallMs: 0,
  };
}

/** The totals of a run as its events tell them (what a resumed run starts from). */
export function totalsOf(events: readonly RunEvent[]): RunTotals {
  const totals = emptyTotals();
  for (const event of events) {
    if (event.type === 'message-sent') totals.messages += 1;
    else if (event.type === 'tool-call-start') totals.toolCalls += 1;
    else if (event.type === 'model-call-end') {
      totals.modelCalls += 1;
      totals.inputTokens += event.usage.input_tokens;
      totals.outputTokens += event.usage.output_tokens;
      totals.cacheReadTokens += event.usage.cache_read_input_tokens;
      totals.cacheWriteTokens += event.usage.cache_creation_input_tokens;
      totals.costUsd += event.costUsd;
    }
  }
  return totals;
}
