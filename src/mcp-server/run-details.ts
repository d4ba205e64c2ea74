import { totalsOf } from '../runtime/run-event.js';
import type { RunEvent, RunTotals } from '../runtime/run-event.js';
import type { EscalationRecord, RunRecord } from '../store/store.js';
import { shorten } from './describe-event.js';
import { costOf } from './run-outcome.js';

/** The messages `get_run` shows at most (the latest); the transcript resource has them all. */
export const summaryMessageLimit = 40;

/** A run as `get_run` gives it: status, agents, a summary of its messages, escalations and cost. */
export interface RunDetails {
  runId: string;
  org: string;
  task: string;
  entry: string;
  status: RunRecord['status'];
  startedAt: string;
  endedAt?: string;
  answer?: string;
  /** Every agent that worked on it, in the order they started. */
  agents: string[];
  messageCount: number;
  /** The latest messages (at most `summaryMessageLimit`), each cut to 300 characters. */
  messages: { at: string; from: string; to: string; kind: string; text: string }[];
  escalations: Pick<
    EscalationRecord,
    'escalationId' | 'asker' | 'to' | 'rule' | 'status' | 'reason'
  >[];
  cost: Record<string, unknown>;
  /** Where the full transcript is. */
  transcript: string;
}

/** The URI of a run's transcript resource. */
export function transcriptUri(runId: string): string {
  return `cadre://runs/${encodeURIComponent(runId)}`;
}

/** A run's totals: those its `run-end` recorded, else what its events so far add up to. */
export function runTotals(events: readonly RunEvent[]): RunTotals {
  const end = events.findLast((event) => event.type === 'run-end');
  if (end?.type === 'run-end') return end.totals;
  const totals = totalsOf(events);
  const [first, last] = [events[0], events.at(-1)];
  totals.wallMs = first && last ? last.at - first.at : 0;
  return totals;
}

/** Builds what `get_run` returns from the stored run, its events and its escalations. */
export function runDetails(
  run: RunRecord,
  events: readonly RunEvent[],
  escalations: readonly EscalationRecord[],
  rehearsal: boolean,
): RunDetails {
  const agents: string[] = [];
  for (const event of events)
    if (event.type === 'session-start' && !agents.includes(event.agent)) agents.push(event.agent);
  const messages = events.flatMap((event) =>
    event.type === 'message-sent'
      ? [
          {
            at: new Date(event.at).toISOString(),
            from: event.from,
            to: event.to,
            kind: event.kind,
            text: shorten(event.text, 300),
          },
        ]
      : [],
  );
  return {
    runId: run.runId,
    org: run.org,
    task: run.task,
    entry: run.entry,
    status: run.status,
    startedAt: new Date(run.startedAt).toISOString(),
    ...(run.endedAt === undefined ? {} : { endedAt: new Date(run.endedAt).toISOString() }),
    ...(run.answer === undefined ? {} : { answer: run.answer }),
    agents,
    messageCount: messages.length,
    messages: messages.slice(-summaryMessageLimit),
    escalations: escalations.map(({ escalationId, asker, to, rule, status, reason }) => ({
      escalationId,
      asker,
      to,
      rule,
      status,
      reason,
    })),
    cost: costOf(runTotals(events), rehearsal),
    transcript: transcriptUri(run.runId),
  };
}

/** `get_run`'s text: the facts in a few lines, then the messages. */
export function runDetailsText(details: RunDetails): string {
  const lines = [
    `run ${details.runId}: ${details.status}`,
    `org ${details.org} · entry ${details.entry} · started ${details.startedAt}${details.endedAt ? ` · ended ${details.endedAt}` : ''}`,
    `task: ${shorten(details.task, 300)}`,
    `agents: ${details.agents.join(', ') || 'none yet'}`,
    `cost: ${String(details.cost.summary)}`,
  ];
  if (details.answer !== undefined) lines.push(`answer: ${shorten(details.answer, 600)}`);
  for (const escalation of details.escalations)
    lines.push(
      `escalation ${escalation.escalationId} (${escalation.status}): ${escalation.asker} → ${escalation.to}, rule ${escalation.rule}: ${shorten(escalation.reason, 200)}`,
    );
  lines.push(
    '',
    `messages (${details.messageCount}${details.messageCount > details.messages.length ? `, the latest ${details.messages.length}` : ''}; full transcript: ${details.transcript}):`,
  );
  for (const message of details.messages)
    lines.push(`- ${message.from} → ${message.to} ${message.kind}: ${message.text}`);
  return lines.join('\n');
}
