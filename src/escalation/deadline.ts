import { peerWait, ruleSetOf, waitRuleMatches } from '../org/escalation-path.js';
import type { LadderStep, RuleSet } from '../org/escalation-schema.js';
import { parseDuration } from '../org/duration.js';
import type { AgentDefinition, OrgDefinition } from '../org/org-definition.js';
import type { Deadline } from './escalation.js';
import type { RequestState } from './request-state.js';
import { appliesTo, askerOf, fallbackTarget, isHuman, resolveEscalation } from './targets.js';

/** What a request's rules resolve against: its asker and the asker's rule set. */
export interface RequestContext {
  asker: AgentDefinition;
  rules: RuleSet | undefined;
}

/** The asker of a request and the rule set it works under. */
export function contextOf(org: OrgDefinition, request: RequestState): RequestContext {
  const asker = askerOf(org, request.asker);
  return { asker, rules: ruleSetOf(org, asker) };
}

/** The asker and everyone asked so far: an escalation going back to one of them is a loop. */
export function takenBy(request: RequestState): Set<string> {
  return new Set([
    request.asker,
    request.to,
    ...request.waitingOn,
    ...request.fired.map((fired) => fired.to),
  ]);
}

function milliseconds(duration: string): number {
  return parseDuration(duration) ?? 0;
}

/** The agents one ladder rung asks, the asker left out. */
export function rungTargets(
  org: OrgDefinition,
  context: RequestContext,
  step: LadderStep,
  request: RequestState,
): string[] {
  const written = Array.isArray(step.to) ? step.to : [step.to];
  const resolved = written
    .map(
      (target) =>
        resolveEscalation(org, context.asker, undefined, target, request.waitingOn[0], new Set())
          .to,
    )
    .filter((target): target is string => target !== undefined && target !== context.asker.id);
  return [...new Set(resolved)];
}

function ladderDeadline(
  org: OrgDefinition,
  context: RequestContext,
  request: RequestState,
): Omit<Deadline, 'overdue'> | undefined {
  const state = request.ladder;
  const ladder = context.rules?.ladders?.find((candidate) => candidate.id === state?.rule);
  const step = state ? ladder?.steps[state.step] : undefined;
  if (!state || !ladder || step?.wait === undefined) return undefined;
  const dueAt = state.stepStartedAt + milliseconds(step.wait);
  const following = ladder.steps[state.step + 1];
  if (following) {
    return {
      dueAt,
      rule: ladder.id,
      source: 'ladder',
      to: rungTargets(org, context, following, request),
      ladderStep: state.step + 1,
    };
  }
  const last = fallbackTarget(context.rules, takenBy(request), 'the ladder has no rung left');
  const deadline: Omit<Deadline, 'overdue'> = {
    dueAt,
    rule: ladder.id,
    source: 'ladder',
    to: last.to === undefined ? [] : [last.to],
  };
  return last.note === undefined ? deadline : { ...deadline, note: last.note };
}

function waitDeadline(
  org: OrgDefinition,
  context: RequestContext,
  request: RequestState,
): Omit<Deadline, 'overdue'> | undefined {
  if (request.ended) return undefined;
  const kind = request.level > 0 ? 'escalation' : request.kind;
  const awaited = request.waitingOn.filter((id) => !isHuman(id));
  for (const rule of context.rules?.waits ?? []) {
    const on = awaited.find((id) => waitRuleMatches(org, rule, context.asker, id, kind));
    if (on === undefined) continue;
    const after =
      rule.after === 'peer-wait'
        ? peerWait(org, context.asker.peers.find((peer) => peer.id === on) ?? {})
        : rule.after;
    const target = resolveEscalation(
      org,
      context.asker,
      context.rules,
      rule.to,
      on,
      takenBy(request),
    );
    const deadline: Omit<Deadline, 'overdue'> = {
      dueAt: request.waitingSince + milliseconds(after),
      rule: rule.id,
      source: 'wait',
      to: target.to === undefined ? [] : [target.to],
    };
    return target.note === undefined ? deadline : { ...deadline, note: target.note };
  }
  return undefined;
}

/** Severity rules that apply to the request and have not sent it to their target yet. */
function severityDeadlines(
  org: OrgDefinition,
  context: RequestContext,
  request: RequestState,
): Omit<Deadline, 'overdue'>[] {
  const taken = takenBy(request);
  const found: Omit<Deadline, 'overdue'>[] = [];
  for (const rule of context.rules?.severities ?? []) {
    if (!appliesTo(rule, request)) continue;
    if (request.fired.some((fired) => fired.rule === rule.id)) continue;
    const target = resolveEscalation(
      org,
      context.asker,
      undefined,
      rule.to,
      request.waitingOn[0],
      taken,
    );
    if (target.to === undefined) continue;
    found.push({
      dueAt: request.sentAt + milliseconds(rule.after ?? 'immediate'),
      rule: rule.id,
      source: 'severity',
      to: [target.to],
    });
  }
  return found;
}

/**
 * When the request's current wait runs out and what happens then: the soonest of its ladder
 * rung (or else its first matching wait rule) and the severity rules still pending;
 * `undefined` when no rule limits the wait (answered, waiting on a person, or the chain ended).
 */
export function deadlineOf(
  org: OrgDefinition,
  request: RequestState,
  now: number,
): Deadline | undefined {
  if (request.status !== 'open') return undefined;
  const context = contextOf(org, request);
  const primary = request.ladder
    ? ladderDeadline(org, context, request)
    : waitDeadline(org, context, request);
  const candidates = [...severityDeadlines(org, context, request), ...(primary ? [primary] : [])];
  const soonest = candidates.reduce<Omit<Deadline, 'overdue'> | undefined>(
    (best, candidate) => (best === undefined || candidate.dueAt < best.dueAt ? candidate : best),
    undefined,
  );
  return soonest && { ...soonest, overdue: soonest.dueAt <= now };
}
