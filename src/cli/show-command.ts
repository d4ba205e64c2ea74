import type { Command } from 'commander';
import { totalsOf } from '../runtime/run-event.js';
import { findRun, withStore } from './cli-store.js';
import type { CommandOutput } from './output.js';
import { withCancel } from './with-cancel.js';
import { summaryLine } from '../runtime/run-summary.js';
import { eventLine } from './run-view.js';

/** `cadre show <run>`: the run's transcript from the store, in time order. */
export async function showRun(
  given: string,
  options: { json?: boolean },
  output: CommandOutput,
): Promise<number> {
  return withStore(async (store) => {
    const run = await findRun(store, given);
    const [events, escalations] = await Promise.all([
      store.events(run.runId),
      store.listEscalations({ runId: run.runId }),
    ]);
    if (options.json) {
      output.out(JSON.stringify({ run, escalations, events }, null, 2));
      return 0;
    }
    output.out(`run ${run.runId} · ${run.status} · org ${run.org} · entry ${run.entry}`);
    output.out(`task: ${run.task}`);
    for (const event of events) {
      const line = eventLine(event);
      if (line === undefined) continue;
      const offset = ((event.at - run.startedAt) / 1000).toFixed(1).padStart(8);
      output.out(`${offset} s ${line}`);
    }
    const open = escalations.filter((escalation) => escalation.status === 'open');
    for (const escalation of open) {
      output.out(
        `open escalation ${escalation.escalationId} → ${escalation.to}: ${escalation.reason}`,
      );
    }
    if (run.answer !== undefined) output.out(`answer: ${run.answer}`);
    if (run.error !== undefined) output.out(`error: ${run.error}`);
    output.out(summaryLine(run.totals ?? totalsOf(events)));
    return 0;
  });
}

/** Registers `cadre show <run>`. */
export function registerShow(
  program: Command,
  output: CommandOutput,
  setExit: (code: number) => void,
): void {
  program
    .command('show')
    .description('the transcript of a run: messages, tool calls, escalations, in time order')
    .argument('<run>', 'a run id, or the start of one (see `cadre runs`)')
    .option('--json', 'print the run, its escalations and every event as JSON')
    .action(async (runId: string, options: { json?: boolean }) => {
      setExit(await withCancel('show', output, () => showRun(runId, options, output)));
    });
}
