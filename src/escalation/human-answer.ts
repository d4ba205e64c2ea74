import { CadreError } from '../errors.js';
import type { EscalationRecord, Store } from '../store/store.js';
import { isHuman } from './targets.js';

/**
 * Writes a person's answer to an escalation that reached them (`human` or `human:<name>`) into
 * the store, once. Errors (`CadreError`): `escalation-unknown`, `escalation-not-human` (it
 * went to an agent), `escalation-answered` (answered already, or closed because the request
 * was answered in the run or the run ended), `answer-empty`.
 */
export async function recordHumanAnswer(
  store: Store,
  escalationId: string,
  text: string,
  options: { by?: string; at?: number } = {},
): Promise<EscalationRecord> {
  const known = await store.getEscalation(escalationId);
  if (!known) {
    throw new CadreError({
      code: 'escalation-unknown',
      message: `no escalation '${escalationId}'`,
      hint: 'list the open ones with `cadre escalations --open`',
    });
  }
  if (!isHuman(known.to)) {
    throw new CadreError({
      code: 'escalation-not-human',
      message: `escalation '${escalationId}' went to agent ${known.to}, not to a person`,
      hint: 'only escalations addressed to human (or human:<name>) are answered from outside the org',
    });
  }
  if (known.status !== 'open') throw answeredAlready(known);
  if (text.trim() === '') {
    throw new CadreError({
      code: 'answer-empty',
      message: 'the answer is empty',
      hint: 'say what the org should do, such as "approved: restore from last night\'s backup"',
    });
  }
  const answered = await store.answerEscalation(
    escalationId,
    text.trim(),
    options.by ?? known.to,
    options.at ?? Date.now(),
  );
  if (!answered) throw answeredAlready((await store.getEscalation(escalationId)) ?? known);
  return answered;
}

function answeredAlready(record: EscalationRecord): CadreError {
  const how =
    record.status === 'cancelled'
      ? 'closed: the request it was fired for was answered in the run, or the run ended'
      : `answered${record.answeredBy ? ` by ${record.answeredBy}` : ''}`;
  return new CadreError({
    code: 'escalation-answered',
    message: `escalation '${record.escalationId}' was already ${how}`,
    hint: 'an escalation takes one answer; list the open ones with `cadre escalations --open`',
  });
}
