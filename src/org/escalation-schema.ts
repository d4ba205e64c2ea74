import { z } from 'zod';
import { Identifier } from './agent-schema.js';
import { Duration } from './duration-schema.js';

/** How severe a request is. */
export const Severity = z.enum(['low', 'normal', 'high', 'critical']);
/** How severe a request is. */
export type Severity = z.infer<typeof Severity>;

const roleNames = 'ceo|chief|domain|layer';
const targetPattern = new RegExp(
  `^(?:manager|next|ceo|root|human(?::[a-z][a-z0-9-]*)?|role:(?:${roleNames})|[a-z][a-z0-9]*(?:-[a-z0-9]+)*)$`,
);

/**
 * Where an escalation goes: `manager` (the asker's manager), `next` (the manager of whoever
 * did not answer), `ceo`/`root`, `role:<role>` (the nearest agent of that role above the asker),
 * `human` or `human:<name>`, or an agent id.
 */
export const EscalationTarget = z.string().regex(targetPattern, {
  error: (issue) =>
    `'${String(issue.input)}' is not an escalation target: write manager, next, ceo, role:chief (any role), human, human:<name>, or an agent id`,
});
/** Where an escalation goes. */
export type EscalationTarget = z.infer<typeof EscalationTarget>;

/** Which open requests a wait rule watches, by the relation of the awaited agent to the asker. */
export const AwaitedMatch = z
  .string()
  .regex(
    new RegExp(
      `^(?:any|peer|report|manager|ceo|root|role:(?:${roleNames})|[a-z][a-z0-9]*(?:-[a-z0-9]+)*)$`,
    ),
    { error: 'waiting_on is any, peer, report, manager, ceo, role:<role>, or an agent id' },
  );

/** A wait-time rule: a request unanswered past `after` goes to `to`. */
export const WaitRule = z.strictObject({
  id: Identifier,
  description: z.string().optional(),
  request: z.enum(['task', 'question', 'escalation', 'any']).optional(),
  waiting_on: AwaitedMatch.optional(),
  /** A duration, or `peer-wait`: the wait the asker declared on that peer. */
  after: z.union([z.literal('peer-wait'), Duration], {
    error: 'after is a duration such as 30m, or peer-wait',
  }),
  to: EscalationTarget,
});
/** A wait-time rule. */
export type WaitRule = z.infer<typeof WaitRule>;

/** Failures that count as strikes. */
export const FailureKind = z.enum(['tool-error', 'model-error', 'guard-tripped', 'task-failed']);
/** A failure that counts as a strike. */
export type FailureKind = z.infer<typeof FailureKind>;

/** A strike rule: `count` failures of these kinds on one request escalate, carrying the attempts. */
export const StrikeRule = z.strictObject({
  id: Identifier,
  description: z.string().optional(),
  count: z.int().min(1).max(100),
  failures: z.array(FailureKind).min(1).optional(),
  to: EscalationTarget,
});
/** A strike rule. */
export type StrikeRule = z.infer<typeof StrikeRule>;

/** A severity rule: a request of this severity or carrying one of these tags escalates at once (or after `after`). */
export const SeverityRule = z
  .strictObject({
    id: Identifier,
    description: z.string().optional(),
    severity: z.array(Severity).min(1).optional(),
    tags: z.array(Identifier).min(1).optional(),
    after: Duration.optional(),
    to: EscalationTarget,
  })
  .refine((rule) => rule.severity !== undefined || rule.tags !== undefined, {
    error: 'a severity rule names a severity, tags, or both',
  });
/** A severity rule. */
export type SeverityRule = z.infer<typeof SeverityRule>;

/** One rung of a ladder: who is asked, and for how long before the next rung. */
export const LadderStep = z.strictObject({
  /** One target, or several asked at once (the first answer wins), such as the component owners. */
  to: z.union([EscalationTarget, z.array(EscalationTarget).min(1)]),
  wait: Duration.optional(),
});
/** One rung of a ladder. */
export type LadderStep = z.infer<typeof LadderStep>;

/** An on-call ladder: targets asked in order, each for its wait (the last may wait forever or hand to a human). */
export const Ladder = z.strictObject({
  id: Identifier,
  description: z.string().optional(),
  severity: z.array(Severity).min(1).optional(),
  tags: z.array(Identifier).min(1).optional(),
  steps: z.array(LadderStep).min(1),
});
/** An on-call ladder. */
export type Ladder = z.infer<typeof Ladder>;

/** What a person who does not answer in time is taken to have decided. */
export const DefaultDecision = z.enum(['approve', 'deny', 'go-on'], {
  error: (issue) =>
    `'${String(issue.input)}' is not a default decision: write approve, deny or go-on`,
});
/** A default decision. */
export type DefaultDecision = z.infer<typeof DefaultDecision>;

/**
 * The person at the top (`human` targets): how long they have to answer an escalation, and
 * what stands when they do not.
 */
export const HumanRule = z.strictObject({
  description: z.string().optional(),
  answer_within: Duration,
  default: DefaultDecision,
});
/** The human rule of a rule set. */
export type HumanRule = z.infer<typeof HumanRule>;

/** `escalation/<name>.yaml`: a rule set agents work under. */
export const RuleSet = z.strictObject({
  name: Identifier,
  description: z.string().optional(),
  waits: z.array(WaitRule).optional(),
  strikes: z.array(StrikeRule).optional(),
  severities: z.array(SeverityRule).optional(),
  ladders: z.array(Ladder).optional(),
  human: HumanRule.optional(),
});
/** A rule set. */
export type RuleSet = z.infer<typeof RuleSet>;
