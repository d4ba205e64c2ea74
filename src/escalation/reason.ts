import { formatDuration } from '../org/duration.js';
import type { EscalationTrigger } from './escalation.js';
import type { RequestState } from './request-state.js';

/** What an escalation's reason is built from. */
export interface ReasonInput {
  request: RequestState;
  trigger: EscalationTrigger;
  rule: string;
  /** Who gets it; empty when nobody is left. */
  to: string[];
  now: number;
  note?: string;
  /** For a ladder: the rung (0-based) the request moves to. */
  ladderStep?: number;
}

/** A duration in words: `30m`, or `no time` for zero. */
function span(milliseconds: number): string {
  return milliseconds <= 0 ? 'no time' : formatDuration(milliseconds);
}

/** `after 30m`, or `at once`. */
function after(milliseconds: number): string {
  return milliseconds <= 0 ? 'at once' : `after ${formatDuration(milliseconds)}`;
}

/** `a`, `a and b`, `a, b and c`. */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? 'nobody';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}

/** The request in a phrase: `the question domain-1 sent to domain-2 (critical, tagged data-loss)`. */
function subject(request: RequestState): string {
  const marks = [
    ...(request.severity === 'normal' ? [] : [request.severity]),
    ...(request.tags.length > 0 ? [`tagged ${request.tags.join(', ')}`] : []),
  ];
  const phrase = `the ${request.kind} ${request.asker} sent to ${request.to}`;
  return marks.length > 0 ? `${phrase} (${marks.join(', ')})` : phrase;
}

/** What was tried so far: the failures and the earlier escalations. */
function tried(request: RequestState): string {
  const parts = [
    ...request.failures.map(
      (failure) =>
        `${failure.kind} ${after(failure.at - request.sentAt)}${failure.detail ? ` (${failure.detail})` : ''}`,
    ),
    ...request.fired.map(
      (fired) => `escalated to ${fired.to} at level ${fired.level} (rule ${fired.rule})`,
    ),
  ];
  return parts.length > 0 ? `Tried so far: ${parts.join('; ')}.` : 'Nothing else was tried yet.';
}

/** Who waited, on whom, how long, what was tried: the text an escalation carries. */
export function escalationReason(input: ReasonInput): string {
  const { request, rule, to, now } = input;
  const since =
    request.waitingSince > request.sentAt
      ? ` (${span(now - request.sentAt)} since it was sent)`
      : '';
  const waited = `${request.asker} has waited ${span(now - request.waitingSince)} on ${listOf(request.waitingOn)}${since}`;
  const sends = to.length > 0 ? `sends it to ${listOf(to)}` : 'has nobody to send it to';
  let head: string;
  switch (input.trigger) {
    case 'wait':
      head = `${capital(subject(request))} is unanswered: ${waited}; rule ${rule} ${sends}.`;
      break;
    case 'ladder':
      head = `${capital(subject(request))} is unanswered: ${waited}; ladder ${rule} ${
        input.ladderStep === undefined
          ? sends
          : `moves to rung ${input.ladderStep + 1}: ${to.length > 0 ? listOf(to) : 'nobody new'}`
      }.`;
      break;
    case 'severity':
      head = `${capital(subject(request))} skips the levels: rule ${rule} ${sends} ${after(
        now - request.sentAt,
      )}.`;
      break;
    case 'strike':
      head = `${capital(subject(request))} has failed ${request.failures.length} time${
        request.failures.length === 1 ? '' : 's'
      }; rule ${rule} ${sends}${to.length > 0 ? ' with the attempts' : ''}.`;
      break;
  }
  const note = input.note === undefined ? '' : ` ${capital(input.note)}.`;
  return `${head}${note} ${tried(request)}`;
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
