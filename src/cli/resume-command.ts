import type { Command } from 'commander';
import { CadreError } from '../errors.js';
import { findRun, withStore } from './cli-store.js';
import { openRuntime } from './open-runtime.js';
import type { CommandOutput } from './output.js';
import { displayOf } from './run-command.js';
import { withCancel } from './with-cancel.js';
import { watchRun } from './watch-run.js';

/** Options of `cadre resume`: each defaults to what the run was started with. */
export interface ResumeCommandOptions {
  org?: string;
  model?: string;
  tools?: string;
  json?: boolean;
}

/**
 * Continues a run whose process died: the org, model, tools and drill clock it was started
 * with come from the store; resolves to the exit code (0 when it completes).
 */
export async function resumeTask(
  given: string,
  options: ResumeCommandOptions,
  output: CommandOutput,
  signal?: AbortSignal,
): Promise<number> {
  const record = await withStore((store) => findRun(store, given));
  const runId = record.runId;
  const settings = record.settings ?? {};
  const org = options.org ?? settings.orgDir;
  if (org === undefined) {
    throw new CadreError({
      code: 'resume-org-unknown',
      message: `run '${runId}' does not say which org folder it was started from`,
      hint: 'name it: cadre resume <run> --org agents/esa',
    });
  }
  const model = options.model ?? settings.model;
  const tools = options.tools ?? settings.tools;
  const opened = await openRuntime(
    'resume',
    {
      org,
      ...(model === undefined ? {} : { model }),
      ...(tools === undefined ? {} : { tools }),
      ...(settings.timeScale === undefined ? {} : { timeScale: settings.timeScale }),
      ...(settings.clockOrigin === undefined ? {} : { clockOrigin: settings.clockOrigin }),
    },
    output,
  );
  if (!opened) return 1;
  try {
    const handle = await opened.runtime.resume(runId);
    signal?.addEventListener('abort', () => handle.cancel(), { once: true });
    const result = await watchRun(
      handle,
      opened.org,
      displayOf(options.json, output),
      opened.chosen.mode === 'rehearsal',
      output,
    );
    return result.status === 'completed' ? 0 : 1;
  } finally {
    await opened.close();
  }
}

/** Registers `cadre resume <run>`. */
export function registerResume(
  program: Command,
  output: CommandOutput,
  setExit: (code: number) => void,
): void {
  program
    .command('resume')
    .description(
      'continue a run whose process died: sessions from their checkpoints, unhandled messages delivered again, deadlines re-armed',
    )
    .argument('<run>', 'the run id (see `cadre runs`)')
    .option('--org <dir>', 'the org folder (default: the one the run was started from)')
    .option('--model <model>', 'the model choice (default: the one the run was started with)')
    .option('--tools <mode>', 'live or rehearsal (default: as the run was started)')
    .option('--json', 'print the events as NDJSON, one per line')
    .addHelpText('after', '\nExamples:\n  $ cadre runs\n  $ cadre resume 3f2a9c1e-…')
    .action(async (runId: string, options: ResumeCommandOptions) => {
      setExit(
        await withCancel('resume', output, (signal) => resumeTask(runId, options, output, signal)),
      );
    });
}
