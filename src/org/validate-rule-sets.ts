import { diagnostic } from './diagnostic.js';
import type { Diagnostic } from './diagnostic.js';
import type { EscalationTarget } from './escalation-schema.js';
import { suggestion } from './suggest.js';
import type { ValidationContext } from './validation-context.js';

const targetKeywords = new Set([
  'manager',
  'next',
  'ceo',
  'root',
  'human',
  'any',
  'peer',
  'report',
]);

/** Rule sets name agents and roles that exist, and rule ids are unique within a set. */
export function validateRuleSets(context: ValidationContext): Diagnostic[] {
  const { org, locators, byId, ids } = context;
  const found: Diagnostic[] = [];
  // Rule sets name agents and roles that exist.
  for (const [name, rules] of Object.entries(org.rule_sets)) {
    const locate = locators.ruleSets[name];
    if (!locate) continue;
    const check = (target: EscalationTarget, path: (string | number)[]) => {
      if (targetKeywords.has(target) || target.startsWith('human:')) return;
      if (target.startsWith('role:')) {
        const role = target.slice('role:'.length);
        if (!org.agents.some((agent) => agent.role === role)) {
          found.push(
            diagnostic(
              'error',
              'rule-role-absent',
              locate(path),
              `'${target}': org '${org.name}' has no agent with the role ${role} (rule set '${name}')`,
              `roles in this org: ${[...new Set(org.agents.map((agent) => agent.role))].join(', ')}`,
            ),
          );
        }
        return;
      }
      if (!byId.has(target)) {
        found.push(
          diagnostic(
            'error',
            'rule-target-unknown',
            locate(path),
            `'${target}' is not an agent of org '${org.name}' (rule set '${name}')`,
            suggestion(target, [...ids, 'manager', 'next', 'ceo', 'human'], 'targets'),
          ),
        );
      }
    };
    rules.waits?.forEach((rule, ruleIndex) => {
      check(rule.to, ['waits', ruleIndex, 'to']);
      if (rule.waiting_on) check(rule.waiting_on, ['waits', ruleIndex, 'waiting_on']);
    });
    rules.strikes?.forEach((rule, ruleIndex) => check(rule.to, ['strikes', ruleIndex, 'to']));
    rules.severities?.forEach((rule, ruleIndex) => check(rule.to, ['severities', ruleIndex, 'to']));
    rules.ladders?.forEach((ladder, ladderIndex) =>
      ladder.steps.forEach((step, stepIndex) => {
        const targets = Array.isArray(step.to) ? step.to : [step.to];
        targets.forEach((target, targetIndex) =>
          check(
            target,
            Array.isArray(step.to)
              ? ['ladders', ladderIndex, 'steps', stepIndex, 'to', targetIndex]
              : ['ladders', ladderIndex, 'steps', stepIndex, 'to'],
          ),
        );
      }),
    );
    const ruleIds = new Map<string, string>();
    for (const section of ['waits', 'strikes', 'severities', 'ladders'] as const) {
      rules[section]?.forEach((rule, ruleIndex) => {
        const earlier = ruleIds.get(rule.id);
        if (earlier) {
          found.push(
            diagnostic(
              'error',
              'rule-duplicate-id',
              locate([section, ruleIndex, 'id']),
              `rule id '${rule.id}' is already used in ${earlier}`,
              'give every rule of a set its own id',
            ),
          );
        }
        ruleIds.set(rule.id, section);
      });
    }
  }

  return found;
}
