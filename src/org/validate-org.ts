import type { Role } from './agent-schema.js';
import { parseComparison } from './comparison.js';
import { diagnostic } from './diagnostic.js';
import type { Diagnostic } from './diagnostic.js';
import type { EscalationTarget } from './escalation-schema.js';
import type { AgentDefinition, OrgDefinition, OrgLocators } from './org-definition.js';
import { suggestion } from './suggest.js';
import {
  builtinTool,
  grantCovers,
  modelToolNamePattern,
  toolNameSeparator,
} from './tool-catalog.js';
import type { Locator } from './yaml-source.js';

/** Which roles an agent of each role may report to: reporting goes upward only. */
export const allowedManagerRoles: Record<Role, readonly Role[]> = {
  ceo: [],
  chief: ['ceo'],
  domain: ['chief', 'ceo'],
  layer: ['domain', 'chief'],
};

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

/**
 * Cross-reference checks of a loaded org: ids, the root, the reporting lines, peers, tools and
 * targets, metrics and the rule sets' references. Returns every problem found.
 */
export function validateOrg(org: OrgDefinition, locators: OrgLocators): Diagnostic[] {
  const found: Diagnostic[] = [];
  const orgLocate: Locator =
    locators.org ?? (() => ({ file: org.file ?? org.dir, line: 1, column: 1 }));
  const byId = new Map<string, AgentDefinition>();
  const ids = [...new Set(org.agents.map((agent) => agent.id))];
  const locateAgent = (index: number): Locator =>
    locators.agents[index]?.locate ??
    (() => ({ file: org.agents[index]?.source.file ?? '', line: 1, column: 1 }));

  org.agents.forEach((agent, index) => {
    const first = byId.get(agent.id);
    if (first) {
      found.push(
        diagnostic(
          'error',
          'duplicate-id',
          locateAgent(index)(['id']),
          `id '${agent.id}' is already used by ${first.source.file}`,
          'give every agent of an org its own id',
        ),
      );
    } else {
      byId.set(agent.id, agent);
    }
  });

  // The root: exists, is the one ceo, reports to nobody.
  if (org.root) {
    const root = byId.get(org.root);
    if (!root) {
      found.push(
        diagnostic(
          'error',
          'root-missing',
          orgLocate(['root']),
          `root '${org.root}' is not an agent of org '${org.name}'`,
          suggestion(org.root, ids, 'agents'),
        ),
      );
    } else if (root.role !== 'ceo') {
      const index = org.agents.indexOf(root);
      found.push(
        diagnostic(
          'error',
          'root-not-ceo',
          locateAgent(index)(['role']),
          `the root '${root.id}' has role '${root.role}'; the root of an org is its ceo`,
          `write role: ceo for ${root.id}, or make another agent the root`,
        ),
      );
    }
  }
  org.agents.forEach((agent, index) => {
    if (agent.role === 'ceo' && agent.id !== org.root && byId.has(org.root)) {
      found.push(
        diagnostic(
          'error',
          'second-ceo',
          locateAgent(index)(['role']),
          `'${agent.id}' is a ceo, but the org's root is '${org.root}'; an org has exactly one ceo, its root`,
          'give it the role chief, domain or layer',
        ),
      );
    }
  });

  // Reporting lines.
  org.agents.forEach((agent, index) => {
    const locate = locateAgent(index);
    if (agent.id === org.root || agent.role === 'ceo') {
      if (agent.reports_to !== null) {
        found.push(
          diagnostic(
            'error',
            'root-reports',
            locate(['reports_to']),
            `the ceo '${agent.id}' has reports_to '${agent.reports_to}', but the ceo is the top of the org and reports to nobody`,
            'remove reports_to (a person above the ceo is set by the escalation rules, such as to: human)',
          ),
        );
      }
      return;
    }
    if (agent.reports_to === null) {
      found.push(
        diagnostic(
          'error',
          'reports-to-missing',
          locate(['role']),
          `'${agent.id}' reports to nobody; every agent but the ceo has a manager`,
          `add reports_to: with one of ${managerCandidates(agent, org).join(', ') || 'the org’s agents'}`,
        ),
      );
      return;
    }
    const manager = byId.get(agent.reports_to);
    if (!manager) {
      found.push(
        diagnostic(
          'error',
          'reports-to-unknown',
          locate(['reports_to']),
          `reports_to '${agent.reports_to}' is not an agent of org '${org.name}'`,
          suggestion(agent.reports_to, ids, 'agents'),
        ),
      );
      return;
    }
    if (manager.id === agent.id) {
      found.push(
        diagnostic(
          'error',
          'reports-to-self',
          locate(['reports_to']),
          `'${agent.id}' reports to itself`,
          'name its manager',
        ),
      );
      return;
    }
    if (!allowedManagerRoles[agent.role].includes(manager.role)) {
      found.push(
        diagnostic(
          'error',
          'reports-to-wrong-level',
          locate(['reports_to']),
          `a ${agent.role} reports to a ${allowedManagerRoles[agent.role].join(' or ')}; '${manager.id}' is a ${manager.role}`,
          'reporting goes upward only: layer → domain or chief, domain → chief or ceo, chief → ceo',
        ),
      );
    }
  });
  found.push(...findCycles(org, byId, locateAgent));

  // Peers.
  org.agents.forEach((agent, index) => {
    const seen = new Set<string>();
    agent.peers.forEach((peer, peerIndex) => {
      const at = locateAgent(index)(['peers', peerIndex, 'id']);
      if (peer.id === agent.id) {
        found.push(
          diagnostic(
            'error',
            'peer-self',
            at,
            `'${agent.id}' names itself as a peer`,
            'remove that peer entry',
          ),
        );
      } else if (!byId.has(peer.id)) {
        found.push(
          diagnostic(
            'error',
            'peer-unknown',
            at,
            `peer '${peer.id}' is not an agent of org '${org.name}'`,
            suggestion(peer.id, ids, 'agents'),
          ),
        );
      } else if (seen.has(peer.id)) {
        found.push(
          diagnostic(
            'error',
            'peer-duplicate',
            at,
            `peer '${peer.id}' is listed twice`,
            'keep one entry',
          ),
        );
      }
      seen.add(peer.id);
    });
  });

  // Tools and the targets they work on.
  const targetNames = Object.keys(org.targets);
  const targetsBroken = (locators.brokenTargets ?? []).length > 0;
  org.agents.forEach((agent, index) => {
    const locate = locateAgent(index);
    const seen = new Set<string>();
    agent.tools.forEach((use, toolIndex) => {
      const at = locate(['tools', toolIndex]);
      if (seen.has(use.tool)) {
        found.push(
          diagnostic(
            'error',
            'tool-duplicate',
            at,
            `tool '${use.tool}' is listed twice for '${agent.id}'`,
            'keep one entry with the grant it needs',
          ),
        );
      }
      seen.add(use.tool);
      const builtin = builtinTool(use.tool);
      if (builtin && targetsBroken) return;
      if (builtin) {
        const candidates = targetNames.filter(
          (name) => org.targets[name]?.kind === builtin.targetKind,
        );
        if (use.target !== undefined) {
          const target = org.targets[use.target];
          if (!target) {
            found.push(
              diagnostic(
                'error',
                'target-unknown',
                locate(['tools', toolIndex, 'target']),
                `target '${use.target}' is not in the targets of org.yaml`,
                suggestion(use.target, candidates, `${builtin.targetKind} targets`),
              ),
            );
            return;
          }
          if (target.kind !== builtin.targetKind) {
            found.push(
              diagnostic(
                'error',
                'target-kind',
                locate(['tools', toolIndex, 'target']),
                `${use.tool} works on a ${builtin.targetKind} target; '${use.target}' is ${target.kind}`,
                suggestion(use.target, candidates, `${builtin.targetKind} targets`),
              ),
            );
            return;
          }
        } else if (candidates.length === 0) {
          found.push(
            diagnostic(
              'error',
              'target-none',
              at,
              `${use.tool} needs a ${builtin.targetKind} target, and org '${org.name}' has none`,
              `add one under targets: in org.yaml, such as { kind: ${builtin.targetKind}, url: env:${builtin.targetKind === 'postgres' ? 'DATABASE_URL' : 'REDIS_URL'} }`,
            ),
          );
          return;
        } else if (candidates.length > 1) {
          found.push(
            diagnostic(
              'error',
              'target-ambiguous',
              at,
              `${use.tool} could work on ${candidates.join(' or ')}`,
              'name one with target:',
            ),
          );
          return;
        }
        const targetName = use.target ?? candidates[0] ?? '';
        const access = org.targets[targetName]?.access ?? 'read';
        if (!grantCovers(access, use.grant)) {
          found.push(
            diagnostic(
              'error',
              'grant-exceeds-target',
              locate(['tools', toolIndex, 'grant']),
              `grant '${use.grant}' on ${use.tool} exceeds target '${targetName}', whose access is '${access}'`,
              `lower the grant, or raise access: on target ${targetName} in org.yaml`,
            ),
          );
        }
        return;
      }
      const [server = '', tool] = use.tool.split('/');
      const configured = org.mcp_servers[server];
      if (!configured) {
        found.push(
          diagnostic(
            'error',
            'tool-unknown',
            at,
            `tool '${use.tool}' does not exist: it is neither a cadre tool nor an MCP server of org '${org.name}'`,
            suggestion(
              server,
              ['psql', 'redis-cli', 'pgbench', ...Object.keys(org.mcp_servers)],
              'tools',
            ),
          ),
        );
        return;
      }
      if (use.target !== undefined) {
        found.push(
          diagnostic(
            'error',
            'target-on-server',
            locate(['tools', toolIndex, 'target']),
            `target applies to cadre's database tools, not to MCP server '${server}'`,
            'remove target:',
          ),
        );
      }
      if (tool !== undefined) {
        if (configured.tools && !configured.tools.includes(tool)) {
          found.push(
            diagnostic(
              'error',
              'tool-unknown',
              at,
              `MCP server '${server}' lists no tool '${tool}'`,
              suggestion(tool, configured.tools, 'its tools'),
            ),
          );
        }
        const modelName = `${server}${toolNameSeparator}${tool}`;
        if (!modelToolNamePattern.test(modelName)) {
          found.push(
            diagnostic(
              'error',
              'tool-name-too-long',
              at,
              `the model would see this tool as '${modelName}', longer than the 64 characters the Messages API allows`,
              'give the MCP server a shorter name in org.yaml',
            ),
          );
        }
      }
    });
  });

  // Metrics with probes.
  org.agents.forEach((agent, index) => {
    agent.metrics.forEach((metric, metricIndex) => {
      const probe = metric.probe;
      if (!probe || targetsBroken) return;
      const locate = locateAgent(index);
      const kind = probe.sql !== undefined ? 'postgres' : 'redis';
      const candidates = targetNames.filter((name) => org.targets[name]?.kind === kind);
      if (probe.target !== undefined && org.targets[probe.target]?.kind !== kind) {
        found.push(
          diagnostic(
            'error',
            'probe-target',
            locate(['metrics', metricIndex, 'probe', 'target']),
            `probe target '${probe.target}' is not a ${kind} target of org.yaml`,
            suggestion(probe.target, candidates, `${kind} targets`),
          ),
        );
      } else if (probe.target === undefined && candidates.length !== 1) {
        found.push(
          diagnostic(
            'error',
            'probe-target',
            locate(['metrics', metricIndex, 'probe']),
            candidates.length === 0
              ? `the probe needs a ${kind} target, and org '${org.name}' has none`
              : `the probe could run on ${candidates.join(' or ')}`,
            'name one with target:',
          ),
        );
      }
      const comparison = probe.expect ?? metric.target;
      if (!parseComparison(comparison)) {
        found.push(
          diagnostic(
            'error',
            'probe-comparison',
            locate(['metrics', metricIndex, probe.expect === undefined ? 'target' : 'probe']),
            `'${comparison}' does not say how to compare the probe's value`,
            "start the target with <, <=, >, >= or = and a number (such as '> 95%'), or add expect: '> 95' to the probe",
          ),
        );
      }
    });
  });

  // Rule sets name agents and roles that exist.
  for (const [name, rules] of Object.entries(org.rule_sets)) {
    const locate = locators.ruleSets[name];
    if (!locate) continue;
    const check = (target: EscalationTarget, path: (string | number)[]) => {
      if (targetKeywords.has(target) || target.startsWith('role:') || target.startsWith('human:'))
        return;
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

  // Prompts are never empty.
  org.agents.forEach((agent, index) => {
    if (agent.prompt.trim() === '' && agent.source.format === 'claude-code') {
      found.push(
        diagnostic(
          'error',
          'prompt-empty',
          locateAgent(index)(['name']),
          `'${agent.id}' has an empty prompt`,
          'write the prompt below the frontmatter',
        ),
      );
    }
  });
  return found;
}

function managerCandidates(agent: AgentDefinition, org: OrgDefinition): string[] {
  return org.agents
    .filter((other) => allowedManagerRoles[agent.role].includes(other.role))
    .map((other) => other.id)
    .slice(0, 6);
}

function findCycles(
  org: OrgDefinition,
  byId: Map<string, AgentDefinition>,
  locateAgent: (index: number) => Locator,
): Diagnostic[] {
  const found: Diagnostic[] = [];
  const reported = new Set<string>();
  for (const start of org.agents) {
    const path: string[] = [];
    let current: AgentDefinition | undefined = start;
    while (current && !path.includes(current.id)) {
      path.push(current.id);
      current = current.reports_to ? byId.get(current.reports_to) : undefined;
    }
    if (!current) continue;
    const cycle = path.slice(path.indexOf(current.id));
    const key = [...cycle].sort().join(',');
    if (cycle.length < 2 || reported.has(key)) continue;
    reported.add(key);
    const first = cycle[0] ?? '';
    const index = org.agents.findIndex((agent) => agent.id === first);
    found.push(
      diagnostic(
        'error',
        'reports-cycle',
        locateAgent(index)(['reports_to']),
        `reporting lines form a cycle: ${[...cycle, first].join(' → ')}`,
        'every chain of reports_to must end at the ceo',
      ),
    );
  }
  return found;
}
