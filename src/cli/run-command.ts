import type { Command } from 'commander';
import { openRuntime } from './open-runtime.js';
import { LineSource } from './line-source.js';
import { createPersonPrompt } from './person-prompt.js';
import type { CommandOutput } from './output.js';
import { withCancel } from './with-cancel.js';
import { addRunOptions } from './run-options.js';
import type { RunLikeOptions } from './run-options.js';
import { watchRun } from './watch-run.js';
import type { RunDisplay } from './watch-run.js';

/** Options of `cadre run`. */
export type RunCommandOptions = RunLikeOptions;

/** The display for a run: NDJSON when asked, a live tree on a terminal, else lines. */
export function displayOf(json: boolean | undefined, output: CommandOutput): RunDisplay {
  return json ? 'json' : output.interactive ? 'tree' : 'lines';
}

/** Runs one task on an org and prints the answer; resolves to the exit code (0 completed, 1 otherwise). */
export async function runTask(
  task: string,
  options: RunCommandOptions,
  output: CommandOutput,
  signal?: AbortSignal,
): Promise<number> {
  const opened = await openRuntime('run', options, output);
  if (!opened) return 1;
  try {
    const handle = opened.runtime.run(task, {
      settings: opened.settings,
      ...(options.to === undefined ? {} : { to: options.to }),
    });
    signal?.addEventListener('abort', () => handle.cancel(), { once: true });
    const rehearsal = opened.chosen.mode === 'rehearsal';
    if (!options.json && rehearsal) {
      output.error(
        `rehearsal: no tokens are spent${opened.tools === 'live' ? '; the tools are live (real databases)' : ' and no database is touched'}${opened.chosen.script ? ` (script ${opened.chosen.script})` : ''}`,
      );
    }
    // On a terminal the person at the top answers at the prompt; elsewhere with `cadre answer`.
    const lines = process.stdin.isTTY && !options.json ? new LineSource(process.stdin) : undefined;
    const person = lines ? createPersonPrompt(opened.runtime, lines, output) : undefined;
    const result = await watchRun(
      handle,
      opened.org,
      displayOf(options.json, output),
      rehearsal,
      output,
      person,
    );
    lines?.close();
    return result.status === 'completed' ? 0 : 1;
  } finally {
    await opened.close(options.rehearsalLog);
  }
}

/** Registers `cadre run "task"`. */
export function registerRun(
  program: Command,
  output: CommandOutput,
  setExit: (code: number) => void,
): void {
  addRunOptions(
    program
      .command('run')
      .description('hand the org a task: the entry agent delegates down the org and answers')
      .argument('<task>', 'what the org should do'),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  $ cadre run --model rehearsal --org agents/esa "Check the database and cache health"\n  $ cadre run --org agents/heir --to data-orchestrator "Design the orders schema"\n  $ cadre run --model auto --json "Why is the cache hit ratio low?" > run.ndjson',
    )
    .action(async (task: string, options: RunCommandOptions) => {
      setExit(await withCancel('run', output, (signal) => runTask(task, options, output, signal)));
    });
}
