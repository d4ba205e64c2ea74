import type { RunEvent } from '../runtime/run-event.js';
import type { RunRecord } from '../store/store.js';
import { describeEvent } from './describe-event.js';
import { costOf } from './run-outcome.js';
import { runTotals } from './run-details.js';

function time(at: number): string {
  return new Date(at).toISOString().slice(11, 23);
}

function quoted(text: string): string {
  return text
    .trim()
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

/**
 * A run's transcript as Markdown (the `cadre://runs/{id}` resource): the task, every message in
 * full, tool calls, escalations and guards as they happened, then the answer and the cost.
 */
export function renderTranscript(
  run: RunRecord,
  events: readonly RunEvent[],
  rehearsal: boolean,
): string {
  const lines = [
    `# Run ${run.runId}`,
    '',
    `- org: ${run.org}`,
    `- entry: ${run.entry}`,
    `- status: ${run.status}`,
    `- started: ${new Date(run.startedAt).toISOString()}`,
    ...(run.endedAt === undefined ? [] : [`- ended: ${new Date(run.endedAt).toISOString()}`]),
    '',
    '## Task',
    '',
    quoted(run.task),
    '',
    '## What happened',
    '',
  ];
  for (const event of events) {
    if (event.type === 'message-sent') {
      lines.push(
        `- ${time(event.at)} **${event.from} → ${event.to}** ${event.kind}${event.kind === 'escalation' ? ` [${event.severity}]` : ''}:`,
        '',
        quoted(event.text)
          .split('\n')
          .map((line) => `  ${line}`)
          .join('\n'),
        '',
      );
      continue;
    }
    if (event.type === 'run-start' || event.type === 'run-end') continue;
    const described = describeEvent(event);
    if (described) lines.push(`- ${time(event.at)} ${described.text}`);
  }
  lines.push('', '## Outcome', '');
  if (run.answer !== undefined) lines.push(quoted(run.answer), '');
  const end = events.findLast((event) => event.type === 'run-end');
  if (end?.type === 'run-end' && end.error) lines.push(`${end.status}: ${end.error}`, '');
  lines.push(String(costOf(runTotals(events), rehearsal).summary), '');
  return lines.join('\n');
}
