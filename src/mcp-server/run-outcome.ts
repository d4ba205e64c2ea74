import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { summaryLine } from '../runtime/run-summary.js';
import type { RunTotals } from '../runtime/run-event.js';
import type { RunResult } from '../runtime/runtime-types.js';
import { structuredResult } from './tool-result.js';

/** What a run cost, as data: the totals, the dollars (estimated in a rehearsal) and one line to read. */
export function costOf(totals: RunTotals, rehearsal: boolean): Record<string, unknown> {
  return { ...totals, rehearsal, summary: summaryLine(totals, rehearsal) };
}

/**
 * The result of `run_task` / `ask_agent`: the answer, then the run id and the cost summary; a
 * failed or cancelled run is a tool error that says why, with the same facts.
 */
export function runOutcome(result: RunResult, rehearsal: boolean): CallToolResult {
  const footer = `run ${result.runId} · ${summaryLine(result.totals, rehearsal)}`;
  const data: Record<string, unknown> = {
    runId: result.runId,
    status: result.status,
    ...(result.answer === undefined ? {} : { answer: result.answer }),
    ...(result.error === undefined ? {} : { error: result.error }),
    cost: costOf(result.totals, rehearsal),
  };
  if (result.status === 'completed')
    return structuredResult(`${result.answer ?? ''}\n\n— ${footer}`, data);
  return structuredResult(
    `run ${result.status}${result.error ? `: ${result.error}` : ''}\n— ${footer}`,
    data,
    true,
  );
}
