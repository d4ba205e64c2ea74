import type { RunEventOf } from '../runtime/run-event.js';
import type { Runtime } from '../runtime/runtime.js';
import type { LineSource } from './line-source.js';
import type { CommandOutput } from './output.js';

/** Asks the person at the terminal to answer escalations that reach them, one at a time. */
export interface PersonPrompt {
  /** Queues an escalation to a person (`human`, `human:<name>`) for an answer at the prompt. */
  ask(event: RunEventOf<'escalation-fired'>): void;
  /** Stops asking (the run ended): a question still on screen is withdrawn. */
  close(): void;
}

/**
 * The prompt of `cadre run` on a terminal and of `cadre chat`: each escalation that reaches a
 * person is shown with its reason, and the next line is the answer
 * (`runtime.answerEscalation`). An answer given meanwhile from elsewhere (`cadre answer`) wins;
 * a line not yet typed when the run ends stays for whoever reads next.
 */
export function createPersonPrompt(
  runtime: Runtime,
  lines: LineSource,
  output: CommandOutput,
): PersonPrompt {
  const controller = new AbortController();
  let queue = Promise.resolve();

  async function askOne(event: RunEventOf<'escalation-fired'>): Promise<void> {
    const record = await runtime.store.getEscalation(event.escalationId);
    if (controller.signal.aborted || record?.status !== 'open') return;
    output.error(`\n${event.to}, you are asked (escalation ${event.escalationId.slice(0, 8)}):`);
    output.error(event.reason);
    for (;;) {
      output.raw?.('your answer> ');
      const text = await lines.read(controller.signal);
      if (text === undefined) return;
      if (text.trim() === '') {
        output.error('an empty answer is not an answer: say what the org should do');
        continue;
      }
      try {
        await runtime.answerEscalation(event.escalationId, text);
      } catch (error) {
        output.error(error instanceof Error ? error.message : String(error));
      }
      return;
    }
  }

  return {
    ask(event) {
      queue = queue.then(() => askOne(event)).catch(() => undefined);
    },
    close() {
      controller.abort();
    },
  };
}
