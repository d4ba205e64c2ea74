import { onAnswer, onDue, onFailure, onSend } from '../../src/escalation/plan.js';
import type { PlanStep } from '../../src/escalation/plan.js';
import type { FailureKind } from '../../src/org/escalation-schema.js';
import type { RequestState } from '../../src/escalation/request-state.js';
import { createTimers } from '../../src/escalation/timers.js';
import type { OrgDefinition } from '../../src/org/org-definition.js';
import { fakeScheduler } from './fake-scheduler.js';
import { minute, request, start } from './orgs.js';

/** An escalation as a drill saw it fire. */
export interface DrillFiring {
  /** Scaled minutes since the start. */
  minute: number;
  to: string;
  level: number;
  rule: string;
  trigger: string;
  reason: string;
  attempts: number;
}

/**
 * The plan functions wired to timers on a fake clock, the way the runtime will wire them:
 * every step's state is kept, its escalations recorded, its deadline armed (or cancelled).
 */
export function createDrill(org: OrgDefinition, timeScale = 1) {
  const scheduler = fakeScheduler();
  const now = () => start + scheduler.realNow() * timeScale;
  const timers = createTimers({ now, schedule: scheduler.schedule, timeScale });
  const requests = new Map<string, RequestState>();
  const fired: DrillFiring[] = [];
  const ended: { minute: number; reason: string }[] = [];
  const minuteNow = () => (now() - start) / minute;

  const state = (id: string): RequestState => {
    const found = requests.get(id);
    if (!found) throw new Error(`no request ${id}`);
    return found;
  };
  const apply = (step: PlanStep) => {
    const id = step.request.messageId;
    requests.set(id, step.request);
    for (const escalation of step.fire) {
      fired.push({
        minute: minuteNow(),
        to: escalation.to,
        level: escalation.level,
        rule: escalation.rule,
        trigger: escalation.trigger,
        reason: escalation.reason,
        attempts: escalation.attempts.length,
      });
    }
    if (step.ended !== undefined) ended.push({ minute: minuteNow(), reason: step.ended });
    if (step.deadline) timers.arm(id, step.deadline.dueAt, due);
    else timers.cancel(id);
  };
  const due = (id: string) => apply(onDue(org, state(id), now()));

  return {
    fired,
    ended,
    scheduler,
    timers,
    state,
    /** Sends a request now; returns its id. */
    send(fields: Parameters<typeof request>[0]): string {
      const sent = request({ ...fields, sentAt: now() });
      apply(onSend(org, sent, now()));
      return sent.messageId;
    },
    fail(id: string, kind: FailureKind, detail = `${kind} on attempt`) {
      apply(onFailure(org, state(id), { kind, at: now(), detail }, now()));
    },
    answer(id: string, from: string) {
      const step = onAnswer(state(id), from, now());
      requests.set(id, step.request);
      timers.cancel(id);
      return step;
    },
    /** Runs the clock to `minutes` of scaled time after the start. */
    advanceTo(minutes: number) {
      const scaled = start + minutes * minute - now();
      scheduler.advance(scaled / timeScale);
    },
    minuteNow,
  };
}
