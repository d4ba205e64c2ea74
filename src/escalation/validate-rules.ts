import { resolveTarget, ruleSetOf, waitRuleMatches } from '../org/escalation-path.js';
import { diagnostic } from '../org/diagnostic.js';
import type { Diagnostic, Location } from '../org/diagnostic.js';
import { parseDuration } from '../org/duration.js';
import type { RuleSet } from '../org/escalation-schema.js';
import { ruleSetNameOf } from '../org/load-rule-sets.js';
import type { AgentDefinition, LoadedOrg, OrgDefinition } from '../org/org-definition.js';
import type { ValuePath } from '../org/yaml-source.js';
import { isHuman } from './targets.js';

/** A wait written as a zero with a unit (`0m`, `0s`): `immediate` is how a zero wait is meant. */
function zeroByAccident(duration: string | undefined): boolean {
  return duration !== undefined && duration !== 'immediate' && parseDuration(duration) === 0;
}

interface Start {
  kind: 'task' | 'question' | 'escalation';
  to: string;
  /** How the request begins, for the message. */
  how: string;
}

/** The requests an agent can start, and where escalations it sets off land first. */
function startsOf(org: OrgDefinition, asker: AgentDefinition, rules: RuleSet): Start[] {
  const starts: Start[] = [];
  for (const report of org.agents.filter((agent) => agent.reports_to === asker.id))
    starts.push({ kind: 'task', to: report.id, how: `a task from ${asker.id} to ${report.id}` });
  for (const peer of asker.peers)
    starts.push({
      kind: 'question',
      to: peer.id,
      how: `a question from ${asker.id} to ${peer.id}`,
    });
  if (asker.reports_to)
    starts.push({
      kind: 'escalation',
      to: asker.reports_to,
      how: `an escalation from ${asker.id} to ${asker.reports_to}`,
    });
  for (const rule of [...(rules.severities ?? []), ...(rules.strikes ?? [])]) {
    const to = resolveTarget(org, asker, rule.to);
    if (to !== undefined && !isHuman(to) && to !== asker.id)
      starts.push({
        kind: 'escalation',
        to,
        how: `${asker.id}'s request sent by rule ${rule.id} to ${to}`,
      });
  }
  return starts;
}

interface Loop {
  /** The agents around the loop, the first repeated at the end. */
  agents: string[];
  /** The index (in `waits`) of the rule that closes it. */
  closing: number;
  how: string;
}

/**
 * Follows a request's wait rules from `start` until it ends (no rule, nobody, a person, or
 * back at the asker, where the engine hands it to a person or stops) or comes back to an
 * agent it already waited on: a loop.
 */
function walk(
  org: OrgDefinition,
  asker: AgentDefinition,
  rules: RuleSet,
  start: Start,
): Loop | undefined {
  const asked = [start.to];
  let kind = start.kind;
  let waitedOn = start.to;
  for (let hops = 0; hops <= org.agents.length + 1; hops += 1) {
    const index = (rules.waits ?? []).findIndex((rule) =>
      waitRuleMatches(org, rule, asker, waitedOn, kind),
    );
    const rule = rules.waits?.[index];
    if (!rule) return undefined;
    const target = resolveTarget(org, asker, rule.to, waitedOn);
    // Back at the asker, the chain has reached its end: nobody above is left to ask.
    if (target === undefined || isHuman(target) || target === asker.id) return undefined;
    const seen = asked.indexOf(target);
    if (seen >= 0)
      return { agents: [...asked.slice(seen), target], closing: index, how: start.how };
    asked.push(target);
    waitedOn = target;
    kind = 'escalation';
  }
  return undefined;
}

/** The same loop, whichever agent it is entered at. */
function loopKey(agents: readonly string[]): string {
  const ring = agents.slice(0, -1);
  const first = ring.indexOf([...ring].sort()[0] ?? '');
  return [...ring.slice(first), ...ring.slice(0, first)].join(' ');
}

/**
 * Checks of the escalation rules beyond their schema and the loader's cross-references
 * (unknown agents and roles are `validateRuleSets`' and are not repeated here):
 * - `escalation-cycle`: wait rules that can carry a request back to an agent it already
 *   waited on (`chief-1 → domain-2 → chief-1`), found by following every request each agent
 *   can start (tasks to its reports, questions to its peers, escalations to its manager and to
 *   its severity and strike targets). A chain that comes back to the asker ends there instead;
 * - `wait-zero`: a wait of zero written with a unit (`0m`) on a wait rule, a ladder rung
 *   before the last, or a peer: write `immediate` when escalating at once is meant;
 * - `ladder-never-applies` (warning): a ladder with neither severities nor tags.
 */
export function validateEscalationRules(loaded: Pick<LoadedOrg, 'org' | 'locators'>): Diagnostic[] {
  const { org, locators } = loaded;
  const found: Diagnostic[] = [];
  const at = (name: string, path: ValuePath): Location =>
    locators.ruleSets[name]?.(path) ?? {
      file: org.rule_set_files[name] ?? name,
      line: 1,
      column: 1,
    };

  for (const [name, rules] of Object.entries(org.rule_sets)) {
    rules.waits?.forEach((rule, index) => {
      if (rule.after !== 'peer-wait' && zeroByAccident(rule.after))
        found.push(
          diagnostic(
            'error',
            'wait-zero',
            at(name, ['waits', index, 'after']),
            `wait rule '${rule.id}' waits '${rule.after}', which is no wait at all (rule set '${name}')`,
            'write a wait such as 30m; if the request must escalate the moment it is sent, write after: immediate',
          ),
        );
    });
    rules.ladders?.forEach((ladder, ladderIndex) => {
      if (ladder.severity === undefined && ladder.tags === undefined)
        found.push(
          diagnostic(
            'warning',
            'ladder-never-applies',
            at(name, ['ladders', ladderIndex, 'id']),
            `ladder '${ladder.id}' names no severity and no tags, so no request ever climbs it (rule set '${name}')`,
            'add severity: [critical] or tags: [incident] to say which requests it is for',
          ),
        );
      ladder.steps.forEach((step, stepIndex) => {
        if (stepIndex < ladder.steps.length - 1 && zeroByAccident(step.wait))
          found.push(
            diagnostic(
              'error',
              'wait-zero',
              at(name, ['ladders', ladderIndex, 'steps', stepIndex, 'wait']),
              `rung ${stepIndex + 1} of ladder '${ladder.id}' waits '${step.wait ?? ''}', which skips it (rule set '${name}')`,
              'write a wait such as 15m; if the rung is meant to be skipped at once, write wait: immediate',
            ),
          );
      });
    });
  }

  if (zeroByAccident(org.defaults.peer_wait) && locators.org)
    found.push(
      diagnostic(
        'error',
        'wait-zero',
        locators.org(['defaults', 'peer_wait']),
        `peer_wait '${org.defaults.peer_wait ?? ''}' is no wait at all: unanswered peer questions would escalate at once`,
        'write a wait such as 30m, or immediate if that is meant',
      ),
    );
  org.agents.forEach((agent, agentIndex) => {
    agent.peers.forEach((peer, peerIndex) => {
      const locate = locators.agents[agentIndex]?.locate;
      if (zeroByAccident(peer.wait) && locate)
        found.push(
          diagnostic(
            'error',
            'wait-zero',
            locate(['peers', peerIndex, 'wait']),
            `${agent.id} waits '${peer.wait ?? ''}' on ${peer.id}, which is no wait at all`,
            'write a wait such as 30m, or immediate if that is meant',
          ),
        );
    });
  });

  const loops = new Set<string>();
  for (const asker of org.agents) {
    const name = ruleSetNameOf(org, asker);
    const rules = name === undefined ? undefined : ruleSetOf(org, asker);
    if (name === undefined || rules === undefined) continue;
    for (const start of startsOf(org, asker, rules)) {
      const loop = walk(org, asker, rules, start);
      if (!loop) continue;
      const key = `${name}\n${loopKey(loop.agents)}`;
      if (loops.has(key)) continue;
      loops.add(key);
      const closing = rules.waits?.[loop.closing];
      found.push(
        diagnostic(
          'error',
          'escalation-cycle',
          at(name, ['waits', loop.closing, 'to']),
          `escalations can go round in a loop, ${loop.agents.join(' → ')}: ${loop.how} comes back by wait rule '${closing?.id ?? '?'}' (rule set '${name}')`,
          'send one rule of the loop higher up (next, ceo, human) so that every chain ends',
        ),
      );
    }
  }
  return found;
}
