import { parseComparison } from './comparison.js';
import { diagnostic } from './diagnostic.js';
import type { Diagnostic } from './diagnostic.js';
import { suggestion } from './suggest.js';
import {
  builtinTool,
  grantCovers,
  modelToolNamePattern,
  toolNameSeparator,
} from './tool-catalog.js';
import type { ValidationContext } from './validation-context.js';

/** Every tool exists; cadre's tools have a target of their kind within its access; probes can run and compare. */
export function validateTools(context: ValidationContext): Diagnostic[] {
  const { org, locators, locateAgent } = context;
  const found: Diagnostic[] = [];
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
          const target = Object.hasOwn(org.targets, use.target)
            ? org.targets[use.target]
            : undefined;
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
      const configured = Object.hasOwn(org.mcp_servers, server)
        ? org.mcp_servers[server]
        : undefined;
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
          const tooLong = modelName.length > 64;
          found.push(
            diagnostic(
              'error',
              tooLong ? 'tool-name-too-long' : 'tool-name-characters',
              at,
              tooLong
                ? `the model would see this tool as '${modelName}', longer than the 64 characters the Messages API allows`
                : `the model would see this tool as '${modelName}', but the Messages API allows only letters, digits, _ and - in tool names`,
              tooLong
                ? 'give the MCP server a shorter name in org.yaml'
                : `name the tool with letters, digits, _ and - only (the MCP server must offer it under that name)`,
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

  return found;
}
