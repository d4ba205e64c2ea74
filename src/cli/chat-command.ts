import { LineSource } from './line-source.js';
import { createPersonPrompt } from './person-prompt.js';
import type { Command } from 'commander';
import { openRuntime } from './open-runtime.js';
import type { CommandOutput } from './output.js';
import { addRunOptions } from './run-options.js';
import type { RunLikeOptions } from './run-options.js';
import { displayOf } from './run-command.js';
import { withCancel } from './with-cancel.js';
import { watchRun } from './watch-run.js';

/** Options of `cadre chat`. */
export type ChatOptions = RunLikeOptions;

/**
 * A conversation with the entry agent: each line is a task; each answer joins the history that
 * opens the entry agent's next conversation. Ends at end of input or `/exit`.
 */
export async function chat(
  options: ChatOptions,
  input: NodeJS.ReadableStream,
  output: CommandOutput,
  signal: AbortSignal,
): Promise<number> {
  const opened = await openRuntime('chat', options, output);
  if (!opened) return 1;
  const history: { task: string; answer: string }[] = [];
  const entry = options.to ?? opened.org.root;
  const lines = new LineSource(input);
  const prompt = () => output.interactive && output.raw?.(`${entry}> `);
  let failures = 0;
  try {
    output.error(
      `chatting with ${entry} of org ${opened.org.name}${opened.chosen.mode === 'rehearsal' ? ' (rehearsal: no tokens spent)' : ''}; /exit or end of input to stop`,
    );
    prompt();
    for (;;) {
      const raw = await lines.read();
      if (raw === undefined || signal.aborted) break;
      const task = raw.trim();
      if (task === '/exit' || task === '/quit') break;
      if (task === '') {
        prompt();
        continue;
      }
      const handle = opened.runtime.run(task, {
        settings: opened.settings,
        ...(options.to === undefined ? {} : { to: options.to }),
        history: [...history],
      });
      const cancel = () => handle.cancel();
      signal.addEventListener('abort', cancel, { once: true });
      // An escalation that reaches a person is answered by the next line of input.
      const result = await watchRun(
        handle,
        opened.org,
        displayOf(options.json, output),
        opened.chosen.mode === 'rehearsal',
        output,
        createPersonPrompt(opened.runtime, lines, output),
      );
      signal.removeEventListener('abort', cancel);
      if (result.status === 'completed') history.push({ task, answer: result.answer ?? '' });
      else failures += 1;
      prompt();
    }
    return failures > 0 ? 1 : 0;
  } finally {
    lines.close();
    await opened.close(options.rehearsalLog);
  }
}

/** Registers `cadre chat`. */
export function registerChat(
  program: Command,
  output: CommandOutput,
  setExit: (code: number) => void,
): void {
  addRunOptions(
    program
      .command('chat')
      .description(
        'talk with the org’s entry agent: each line is a task, and it remembers the conversation',
      ),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  $ cadre chat --model rehearsal --org agents/heir\n  $ printf "check the cache\\nand the database?\\n" | cadre chat --model auto',
    )
    .action(async (options: ChatOptions) => {
      setExit(
        await withCancel('chat', output, (signal) => chat(options, process.stdin, output, signal)),
      );
    });
}
