import { redactSecrets } from '../../tools/shared/redact.js';
import type { EscalationRecord, OpenRequestRecord } from '../store/store.js';
import type { Deadline, Escalation } from './escalation.js';
import type { RequestState } from './request-state.js';

/**
 * The store's row for a watched request. The row keeps what `cadre runs` and `resume` list;
 * the full `RequestState` (waiting on whom, failures, ladder rung, escalations fired) must be
 * kept beside it to resume the engine.
 */
export function requestRecordOf(request: RequestState, deadline?: Deadline): OpenRequestRecord {
  const record: OpenRequestRecord = {
    messageId: request.messageId,
    runId: request.runId,
    from: request.asker,
    to: request.waitingOn.join(','),
    kind: request.kind,
    taskId: request.taskId,
    sentAt: request.sentAt,
    level: request.level,
    status: request.status === 'answered' ? 'answered' : request.level > 0 ? 'escalated' : 'open',
  };
  return deadline === undefined ? record : { ...record, dueAt: deadline.dueAt };
}

/** The store's row for an escalation just fired (open until answered or cancelled). */
export function escalationRecordOf(escalation: Escalation): EscalationRecord {
  return {
    escalationId: escalation.escalationId,
    runId: escalation.runId,
    requestMessageId: escalation.requestMessageId,
    asker: escalation.asker,
    waitedOn: escalation.waitedOn.join(','),
    to: escalation.to,
    rule: escalation.rule,
    reason: redactSecrets(escalation.reason),
    level: escalation.level,
    firedAt: escalation.firedAt,
    status: 'open',
  };
}
