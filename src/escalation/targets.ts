import { resolveTarget } from '../org/escalation-path.js';
import type { EscalationTarget, RuleSet, Severity } from '../org/escalation-schema.js';
import type { AgentDefinition, OrgDefinition } from '../org/org-definition.js';

/** Whether a target is a person rather than an agent: `human` or `human:<name>`. */
export function isHuman(target: string): boolean {
  return target === 'human' || target.startsWith('human:');
}

/**
 * The agent a request's rules resolve against. An asker from outside the org (the user who
 * started the run) stands in as an agent with no manager and no peers, under the org's
 * default rule set.
 */
export function askerOf(org: OrgDefinition, id: string): AgentDefinition {
  const found = org.agents.find((agent) => agent.id === id);
  if (found) return found;
  return {
    id,
    name: id,
    role: 'ceo',
    reports_to: null,
    peers: [],
    description: 'someone outside the org',
    prompt: '',
    tools: [],
    external_tools: [],
    metrics: [],
    limits: {},
    source: { file: '', format: 'yaml' },
  };
}

/** Every target a rule set names, in the order waits, strikes, severities, ladders. */
function targetsOf(rules: RuleSet): EscalationTarget[] {
  return [
    ...(rules.waits ?? []).map((rule) => rule.to),
    ...(rules.strikes ?? []).map((rule) => rule.to),
    ...(rules.severities ?? []).map((rule) => rule.to),
    ...(rules.ladders ?? []).flatMap((ladder) =>
      ladder.steps.flatMap((step) => (Array.isArray(step.to) ? step.to : [step.to])),
    ),
  ];
}

/** The person a rule set names, if any: `human` when named plainly, else the first `human:<name>`. */
export function humanOf(rules: RuleSet | undefined): string | undefined {
  const humans = rules ? targetsOf(rules).filter(isHuman) : [];
  return humans.includes('human') ? 'human' : humans[0];
}

/** Whether a severity rule or ladder applies: the request's severity is listed, or one of its tags. */
export function appliesTo(
  rule: { severity?: Severity[]; tags?: string[] },
  request: { severity: Severity; tags: string[] },
): boolean {
  if (rule.severity?.includes(request.severity)) return true;
  return request.tags.some((tag) => rule.tags?.includes(tag) ?? false);
}

/** Where a rule's target leads: an agent id or a person, or nobody (with why). */
export interface ResolvedTarget {
  to?: string;
  /** Set when the rule's own target could not be used, saying what happened instead. */
  note?: string;
}

/**
 * Resolves a rule's target for a request. A target that resolves to nobody (`next` above the
 * root, `manager` of the top), to the asker, or to someone in `taken` (already asked: the
 * chain would come back) goes to the person the rule set names, if it names one and they
 * were not asked yet; otherwise to nobody, and the chain ends.
 */
export function resolveEscalation(
  org: OrgDefinition,
  asker: AgentDefinition,
  rules: RuleSet | undefined,
  target: EscalationTarget,
  waitedOn: string | undefined,
  taken: ReadonlySet<string>,
): ResolvedTarget {
  const resolved = resolveTarget(org, asker, target, waitedOn);
  if (resolved !== undefined && resolved !== asker.id && !taken.has(resolved)) {
    return { to: resolved };
  }
  const why =
    resolved === undefined
      ? `'${target}' resolves to nobody${nobodyDetail(org, asker, target, waitedOn)}`
      : resolved === asker.id
        ? `'${target}' is ${resolved}, the asker itself`
        : `'${target}' is ${resolved}, who has been asked already`;
  return fallbackTarget(rules, taken, why);
}

/**
 * Where a request goes when its rule leads nowhere (`why` says how): to the person the rule
 * set names if they were not asked yet, else nowhere, and the chain ends.
 */
export function fallbackTarget(
  rules: RuleSet | undefined,
  taken: ReadonlySet<string>,
  why: string,
): ResolvedTarget {
  const human = humanOf(rules);
  if (human !== undefined && !taken.has(human)) {
    return { to: human, note: `${why}; it goes to ${human}, the person the rule set names` };
  }
  return {
    note:
      human === undefined
        ? `${why}, and the rule set names no human: the chain ends here`
        : `${why}, and ${human} has been asked already: the chain ends here`,
  };
}

function nobodyDetail(
  org: OrgDefinition,
  asker: AgentDefinition,
  target: EscalationTarget,
  waitedOn: string | undefined,
): string {
  if (target === 'next') return ` (${waitedOn ?? 'nobody'} has no manager)`;
  if (target === 'manager') return ` (${asker.id} has no manager)`;
  if (target.startsWith('role:')) return ` (no ${target.slice('role:'.length)} above ${asker.id})`;
  return org.root === '' ? ' (the org has no root)' : '';
}
