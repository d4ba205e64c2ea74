import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { totalsOf } from '../runtime/run-event.js';
import type { RunTotals } from '../runtime/run-event.js';
import type { RunRecord, Store } from '../store/store.js';
import { withStore } from './cli-store.js';
import type { CommandOutput } from './output.js';
import { withCancel } from './with-cancel.js';

/** A run as `cadre runs` lists it. */
export interface RunSummary {
  runId: string;
  status: RunRecord['status'];
  org: string;
  task: string;
  startedAt: number;
  endedAt?: number;
  /** The agents that took part (had a session), the person excluded. */
  agents: string[];
  costUsd: number;
  openEscalations: number;
}

/** Summaries of the most recent runs, newest first. */
export async function summarizeRuns(store: Store, limit: number): Promise<RunSummary[]> {
  const [runs, open] = await Promise.all([
    store.listRuns(limit),
    store.listEscalations({ open: true }),
  ]);
  return Promise.all(
    runs.map(async (run) => {
      const events = await store.events(run.runId);
      const totals: RunTotals = run.totals ?? totalsOf(events);
      const agents = new Set(
        events.flatMap((event) => (event.type === 'session-start' ? [event.agent] : [])),
      );
      return {
        runId: run.runId,
        status: run.status,
        org: run.org,
        task: run.task,
        startedAt: run.startedAt,
        ...(run.endedAt === undefined ? {} : { endedAt: run.endedAt }),
        agents: [...agents],
        costUsd: totals.costUsd,
        openEscalations: open.filter((escalation) => escalation.runId === run.runId).length,
      };
    }),
  );
}

function when(at: number): string {
  return new Date(at).toISOString().replace('T', ' ').slice(0, 19);
}

/** `cadre runs`: one line per run. */
export async function listRuns(
  options: { limit: number; json?: boolean },
  output: CommandOutput,
): Promise<number> {
  const summaries = await withStore((store) => summarizeRuns(store, options.limit));
  if (options.json) {
    output.out(JSON.stringify(summaries, null, 2));
    return 0;
  }
  if (summaries.length === 0) {
    output.out('no runs yet: start one with `cadre run "…"`');
    return 0;
  }
  for (const run of summaries) {
    const escalations = run.openEscalations > 0 ? ` · ${run.openEscalations} open escalations` : '';
    output.out(
      `${run.runId.slice(0, 8)}  ${run.status.padEnd(9)}  ${when(run.startedAt)}  ${run.org}  ${run.agents.length} agents  $${run.costUsd.toFixed(4)}${escalations}  ${run.task.replace(/\s+/g, ' ').slice(0, 60)}`,
    );
  }
  return 0;
}

function parseLimit(value: string): number {
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1) {
    throw new InvalidArgumentError(
      `'${value}' is not a number of runs: give a whole number such as 20`,
    );
  }
  return limit;
}

/** Registers `cadre runs`. */
export function registerRuns(
  program: Command,
  output: CommandOutput,
  setExit: (code: number) => void,
): void {
  program
    .command('runs')
    .description('list recent runs: status, org, agents, cost, open escalations (newest first)')
    .option('--limit <n>', 'how many runs', parseLimit, 20)
    .option('--json', 'print them as JSON')
    .action(async (options: { limit: number; json?: boolean }) => {
      setExit(await withCancel('runs', output, () => listRuns(options, output)));
    });
}
