import type { EscalationTarget, RuleSet, WaitRule } from './escalation-schema.js';
import type { AgentDefinition, OrgDefinition } from './org-definition.js';

/** The rule set an agent works under: its own `escalation`, else the org default. */
export function ruleSetNameOf(
  org: Pick<OrgDefinition, 'defaults'>,
  agent: { escalation?: string },
): string | undefined {
  return agent.escalation ?? org.defaults.escalation;
}

/** One step of an agent's escalation path: who is waited on, and for how long. */
export interface EscalationStep {
  to: string;
  /** How long a request waits on `to` before going on; absent when no rule limits it. */
  wait?: string;
  /** The wait rule that limits it. */
  rule?: string;
}

/** A rule that skips the ordinary path: a severity or tag goes straight to a target. */
export interface EscalationShortcut {
  to: string;
  when: string[];
  wait: string;
  rule: string;
}

/** An agent's escalations, resolved against its org and rule set. */
export interface EscalationView {
  rules?: string;
  path: EscalationStep[];
  shortcuts: EscalationShortcut[];
  strikes: { count: number; failures?: string[]; to: string; rule: string }[];
  ladders: { rule: string; when: string[]; steps: { to: string[]; wait?: string }[] }[];
}

/** The nearest agent above `agent` (itself excluded) whose role or id matches. */
function ancestors(org: OrgDefinition, agent: AgentDefinition): AgentDefinition[] {
  const chain: AgentDefinition[] = [];
  let current = agent.reports_to
    ? org.agents.find((other) => other.id === agent.reports_to)
    : undefined;
  while (current && !chain.includes(current)) {
    chain.push(current);
    const managerId = current.reports_to;
    current = managerId ? org.agents.find((other) => other.id === managerId) : undefined;
  }
  return chain;
}

/**
 * Resolves a rule target for a request asked by `asker` and last waiting on `waitedOn`:
 * `manager`, `next`, `ceo`/`root`, `role:<role>`, `human[:name]` or an agent id.
 */
export function resolveTarget(
  org: OrgDefinition,
  asker: AgentDefinition,
  target: EscalationTarget,
  waitedOn?: string,
): string | undefined {
  if (target === 'manager') return asker.reports_to ?? undefined;
  if (target === 'ceo' || target === 'root') return org.root;
  if (target === 'next') {
    const current = org.agents.find((agent) => agent.id === waitedOn);
    return current?.reports_to ?? undefined;
  }
  if (target.startsWith('role:')) {
    const role = target.slice('role:'.length);
    return ancestors(org, asker).find((agent) => agent.role === role)?.id;
  }
  return target;
}

/** Whether a wait rule watches a request of this kind waiting on `waitedOn` (asked by `asker`). */
export function waitRuleMatches(
  org: OrgDefinition,
  rule: WaitRule,
  asker: AgentDefinition,
  waitedOn: string,
  request: 'task' | 'question' | 'escalation',
): boolean {
  if (rule.request !== undefined && rule.request !== 'any' && rule.request !== request)
    return false;
  const match = rule.waiting_on ?? 'any';
  const awaited = org.agents.find((agent) => agent.id === waitedOn);
  if (match === 'any') return true;
  if (match === 'ceo' || match === 'root') return waitedOn === org.root;
  if (match === 'manager') return asker.reports_to === waitedOn;
  if (match === 'peer') return asker.peers.some((peer) => peer.id === waitedOn);
  if (match === 'report') return awaited?.reports_to === asker.id;
  if (match.startsWith('role:')) return awaited?.role === match.slice('role:'.length);
  return match === waitedOn;
}

/** The rule set an agent works under, if loaded. */
export function ruleSetOf(org: OrgDefinition, agent: AgentDefinition): RuleSet | undefined {
  const name = ruleSetNameOf(org, agent);
  return name && Object.hasOwn(org.rule_sets, name) ? org.rule_sets[name] : undefined;
}

/**
 * How an agent's escalations travel: the ordinary path (its manager, then on by the wait
 * rules), the severity shortcuts, the strike rules and the ladders.
 */
export function escalationView(org: OrgDefinition, agent: AgentDefinition): EscalationView {
  const rules = ruleSetOf(org, agent);
  const view: EscalationView = { path: [], shortcuts: [], strikes: [], ladders: [] };
  const name = ruleSetNameOf(org, agent);
  if (name) view.rules = name;
  let waitedOn = agent.reports_to ?? undefined;
  const seen = new Set<string>();
  while (waitedOn && !seen.has(waitedOn) && view.path.length < 16) {
    seen.add(waitedOn);
    const current = waitedOn;
    const rule = rules?.waits?.find((candidate) =>
      waitRuleMatches(org, candidate, agent, current, 'escalation'),
    );
    const step: EscalationStep = { to: current };
    if (rule) {
      step.wait =
        rule.after === 'peer-wait'
          ? (agent.peers.find((peer) => peer.id === current)?.wait ??
            org.defaults.peer_wait ??
            '30m')
          : rule.after;
      step.rule = rule.id;
    }
    view.path.push(step);
    waitedOn = rule ? resolveTarget(org, agent, rule.to, current) : undefined;
  }
  for (const rule of rules?.severities ?? []) {
    const to = resolveTarget(org, agent, rule.to);
    if (to && to !== agent.id)
      view.shortcuts.push({
        to,
        when: [...(rule.severity ?? []), ...(rule.tags ?? [])],
        wait: rule.after ?? 'immediate',
        rule: rule.id,
      });
  }
  for (const rule of rules?.strikes ?? []) {
    const to = resolveTarget(org, agent, rule.to);
    if (to && to !== agent.id) {
      view.strikes.push(
        rule.failures
          ? { count: rule.count, failures: rule.failures, to, rule: rule.id }
          : { count: rule.count, to, rule: rule.id },
      );
    }
  }
  for (const ladder of rules?.ladders ?? []) {
    view.ladders.push({
      rule: ladder.id,
      when: [...(ladder.severity ?? []), ...(ladder.tags ?? [])],
      steps: ladder.steps.map((step) => {
        const targets = (Array.isArray(step.to) ? step.to : [step.to]).map(
          (target) => resolveTarget(org, agent, target) ?? target,
        );
        return step.wait === undefined ? { to: targets } : { to: targets, wait: step.wait };
      }),
    });
  }
  return view;
}

/** The wait an agent declared on a peer, else the org default, else 30m. */
export function peerWait(org: OrgDefinition, peer: { wait?: string }): string {
  return peer.wait ?? org.defaults.peer_wait ?? '30m';
}
