import type { Command } from 'commander';
import { CadreError } from '../errors.js';
import { recordHumanAnswer } from '../escalation/human-answer.js';
import type { EscalationRecord, Store } from '../store/store.js';
import { findRun, withStore } from './cli-store.js';
import type { CommandOutput } from './output.js';
import { withCancel } from './with-cancel.js';

/** `cadre escalations`: escalations oldest first, the open ones only with `--open`. */
export async function listEscalations(
  options: { open?: boolean; run?: string; json?: boolean },
  output: CommandOutput,
): Promise<number> {
  const escalations = await withStore(async (store) =>
    store.listEscalations({
      ...(options.open ? { open: true } : {}),
      ...(options.run === undefined ? {} : { runId: (await findRun(store, options.run)).runId }),
    }),
  );
  if (options.json) {
    output.out(JSON.stringify(escalations, null, 2));
    return 0;
  }
  if (escalations.length === 0) {
    output.out(options.open ? 'no open escalations' : 'no escalations');
    return 0;
  }
  for (const escalation of escalations) {
    const answered =
      escalation.status === 'answered' && escalation.answeredBy
        ? ` (by ${escalation.answeredBy})`
        : '';
    output.out(
      `${escalation.escalationId}  ${escalation.status}${answered}  run ${escalation.runId.slice(0, 8)}  ${escalation.asker} → ${escalation.to}  [${escalation.rule}, level ${escalation.level}]  ${escalation.reason.replace(/\s+/g, ' ').slice(0, 100)}`,
    );
  }
  return 0;
}

/**
 * The full id of an escalation from what a person typed: the id itself, or the start of
 * exactly one open escalation's id.
 */
async function resolveEscalationId(store: Store, given: string): Promise<string> {
  if (await store.getEscalation(given)) return given;
  const open = await store.listEscalations({ open: true });
  const matches = open.filter((escalation: EscalationRecord) =>
    escalation.escalationId.startsWith(given),
  );
  if (matches.length === 1 && matches[0]) return matches[0].escalationId;
  if (matches.length > 1) {
    throw new CadreError({
      code: 'escalation-ambiguous',
      message: `'${given}' is the start of ${matches.length} open escalations`,
      hint: 'give more of the id (see `cadre escalations --open`)',
    });
  }
  return given;
}

/** `cadre answer <escalation> "…"`: a person's answer, which the waiting run picks up. */
export async function answerEscalation(
  given: string,
  text: string,
  options: { as?: string },
  output: CommandOutput,
): Promise<number> {
  const answered = await withStore(async (store) =>
    recordHumanAnswer(store, await resolveEscalationId(store, given), text, {
      ...(options.as === undefined ? {} : { by: options.as }),
    }),
  );
  output.out(
    `answered ${answered.escalationId} for ${answered.asker} (run ${answered.runId.slice(0, 8)}); a running cadre delivers it within a second, or \`cadre resume ${answered.runId.slice(0, 8)}\` does`,
  );
  return 0;
}

/** Registers `cadre escalations` and `cadre answer`. */
export function registerEscalations(
  program: Command,
  output: CommandOutput,
  setExit: (code: number) => void,
): void {
  program
    .command('escalations')
    .description('list escalations: who waited on whom, which rule fired, to whom it went')
    .option('--open', 'only those still waiting for an answer')
    .option('--run <run>', 'only those of one run')
    .option('--json', 'print them as JSON')
    .action(async (options: { open?: boolean; run?: string; json?: boolean }) => {
      setExit(await withCancel('escalations', output, () => listEscalations(options, output)));
    });
  program
    .command('answer')
    .description('answer an escalation that reached a person (human in the escalation rules)')
    .argument('<escalation>', 'the escalation id, or the start of an open one')
    .argument('<answer>', 'the decision, in words the waiting agent can act on')
    .option('--as <name>', 'who answers (default: the person the escalation went to)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ cadre escalations --open\n  $ cadre answer 7c1d… "Approved: restore from last night\'s backup"',
    )
    .action(async (id: string, text: string, options: { as?: string }) => {
      setExit(
        await withCancel('answer', output, () => answerEscalation(id, text, options, output)),
      );
    });
}
