import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { createMemoryBus } from '../a2a/memory-bus.js';
import { CadreError } from '../errors.js';
import { createRehearsalToolHost } from '../mcp/rehearsal-tool-host.js';
import { createRuntime } from '../runtime/runtime.js';
import { createMemoryStore } from '../store/memory-store.js';
import { loadValidOrgs } from './load-valid-orgs.js';
import { chooseModel } from './model-choice.js';
import type { CommandOutput } from './output.js';
import { eventLine, summaryLine } from './run-view.js';

/** Options of `cadre run`. */
export interface RunOptions {
  org: string;
  to?: string;
  model?: string;
  json?: boolean;
  rehearsalLog?: string;
}

/** Runs one task on an org and prints the answer; resolves to the exit code (0 completed, 1 otherwise). */
export async function runTask(
  task: string,
  options: RunOptions,
  output: CommandOutput,
  signal?: AbortSignal,
): Promise<number> {
  const orgs = await loadValidOrgs([options.org], output);
  if (!orgs) return 1;
  const [org] = orgs;
  if (!org || orgs.length > 1) {
    output.error(
      `cadre run: ${options.org} holds ${orgs.length} orgs; name one org folder, such as agents/esa`,
    );
    return 1;
  }
  const chosen = await chooseModel(options.model, org);
  const bus = createMemoryBus();
  const runtime = createRuntime({
    org,
    model: chosen.model,
    bus,
    store: createMemoryStore(),
    toolHost: createRehearsalToolHost(),
    ...(chosen.modelId ? { modelOverride: chosen.modelId } : {}),
  });
  try {
    const handle = runtime.run(task, options.to === undefined ? {} : { to: options.to });
    signal?.addEventListener('abort', () => handle.cancel(), { once: true });
    if (!options.json && chosen.mode === 'rehearsal') {
      output.error(
        `rehearsal: no tokens are spent and no database is touched${chosen.script ? ` (script ${chosen.script})` : ''}`,
      );
    }
    for await (const event of handle.events) {
      if (options.json) {
        if (event.type !== 'model-text-delta') output.out(JSON.stringify(event));
      } else {
        const line = eventLine(event);
        if (line) output.error(line);
      }
    }
    const result = await handle.result;
    if (!options.json) {
      if (result.status === 'completed') output.out(result.answer ?? '');
      else output.error(`run ${result.status}: ${result.error ?? ''}`);
      output.error(summaryLine(result.totals, chosen.mode === 'rehearsal'));
    }
    if (options.rehearsalLog && chosen.requestLog) {
      await writeFile(options.rehearsalLog, `${JSON.stringify(chosen.requestLog(), null, 2)}\n`);
    }
    return result.status === 'completed' ? 0 : 1;
  } finally {
    await runtime.close();
    await bus.close();
    await chosen.close();
  }
}

/** Registers `cadre run "task"`. */
export function registerRun(
  program: Command,
  output: CommandOutput,
  setExit: (code: number) => void,
): void {
  program
    .command('run')
    .description('hand the org a task: the entry agent delegates down the org and answers')
    .argument('<task>', 'what the org should do')
    .option('--org <dir>', 'the org folder', 'agents/esa')
    .option('--to <agent>', 'the entry agent (default: the org’s root)')
    .option(
      '--model <model>',
      'rehearsal[:script.yaml] (no tokens), auto (rehearsal without ANTHROPIC_API_KEY), or a model id for every agent (default: CADRE_MODEL, else each agent’s own)',
    )
    .option(
      '--json',
      'print the events as NDJSON, one per line; the last is run-end with the answer',
    )
    .option(
      '--rehearsal-log <file>',
      "in a rehearsal, write the fake API server's request log (times, agent, status, body) to this file",
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ cadre run --model rehearsal --org agents/esa "Check the database and cache health"\n  $ cadre run --org agents/heir --to data-orchestrator "Design the orders schema"\n  $ cadre run --model auto --json "Why is the cache hit ratio low?" > run.ndjson',
    )
    .action(async (task: string, options: RunOptions) => {
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      try {
        setExit(await runTask(task, options, output, controller.signal));
      } catch (error) {
        if (error instanceof CadreError) {
          output.error(`cadre run: ${error.message}${error.hint ? `\n  ${error.hint}` : ''}`);
          setExit(1);
        } else throw error;
      } finally {
        process.off('SIGINT', stop);
      }
    });
}
