import { parseComparison, meets } from '../org/comparison.js';
import type { Metric } from '../org/agent-schema.js';
import type { AgentDefinition, OrgDefinition } from '../org/org-definition.js';
import type { ToolHost } from './tool-host.js';

/** The outcome of one metric's probe. */
export interface ProbeResult {
  agent: string;
  metric: string;
  target: string;
  /** The measured value, when the probe produced a number. */
  value?: number;
  /** Whether the value meets the target's comparison. */
  met?: boolean;
  /** Why there is no value. */
  error?: string;
}

/** A query result's cell (the `field` column, else the first, of the first row), or the first number under `field` anywhere in a tool's data. */
export function numberIn(data: unknown, field: string | undefined): number | undefined {
  const asNumber = (value: unknown) => {
    const number =
      typeof value === 'number'
        ? value
        : typeof value === 'string' && value.trim() !== ''
          ? Number(value)
          : NaN;
    return Number.isFinite(number) ? number : undefined;
  };
  const table = data as { rows?: unknown[][]; columns?: { name?: string }[] } | undefined;
  if (Array.isArray(table?.rows)) {
    // A query result: the named column (or the first) of the first row.
    const column =
      field === undefined
        ? 0
        : (table.columns ?? []).findIndex((candidate) => candidate.name === field);
    if (column >= 0) return asNumber(table.rows[0]?.[column]);
  }
  if (field === undefined) return asNumber(data);
  for (const value of valuesNamed(data, field)) {
    const number = asNumber(value);
    if (number !== undefined) return number;
  }
  return undefined;
}

/** The values under keys named `field` anywhere in `data`, nearest first (breadth first). */
function* valuesNamed(data: unknown, field: string): Generator<unknown> {
  const queue: unknown[] = [data];
  for (let at = 0; at < queue.length; at += 1) {
    const current = queue[at];
    if (current === null || typeof current !== 'object') continue;
    for (const [key, value] of Object.entries(current)) {
      if (key === field) yield value;
      if (value !== null && typeof value === 'object') queue.push(value);
    }
  }
}

function targetOf(
  org: OrgDefinition,
  metric: Metric,
  kind: 'postgres' | 'redis',
): string | undefined {
  return (
    metric.probe?.target ??
    Object.keys(org.targets).find((name) => org.targets[name]?.kind === kind)
  );
}

/**
 * Runs every metric probe of the org through the tool host, read-only: an SQL probe through
 * psql's `query` (the first column of the first row), a Redis probe through redis-cli's `info`
 * (for `INFO …`) or `command`, reading `field` from the result. Each value is compared with
 * the probe's `expect`, else the metric's target.
 */
export async function runProbes(org: OrgDefinition, host: ToolHost): Promise<ProbeResult[]> {
  const results: ProbeResult[] = [];
  for (const agent of org.agents) {
    for (const metric of agent.metrics) {
      const probe = metric.probe;
      if (!probe) continue;
      const base = { agent: agent.id, metric: metric.name, target: metric.target };
      const kind = probe.sql !== undefined ? 'postgres' : 'redis';
      const target = targetOf(org, metric, kind);
      const comparison = parseComparison(probe.expect ?? metric.target);
      if (!target || !comparison) {
        results.push({
          ...base,
          error: !target
            ? `no ${kind} target`
            : `'${probe.expect ?? metric.target}' is not a comparison`,
        });
        continue;
      }
      const tool = kind === 'postgres' ? 'psql' : 'redis-cli';
      const prober: AgentDefinition = {
        ...agent,
        id: `${agent.id}-probe-${tool}-${target}`,
        tools: [{ tool, grant: 'read', target }],
        metrics: [],
      };
      const info = kind === 'redis' && probe.redis?.[0]?.toUpperCase() === 'INFO';
      const call =
        kind === 'postgres'
          ? { name: 'psql__query', input: { sql: probe.sql ?? '' } }
          : info
            ? {
                name: 'redis-cli__info',
                input: probe.redis?.[1] ? { section: probe.redis[1] } : {},
              }
            : { name: 'redis-cli__command', input: { args: probe.redis ?? [] } };
      const outcome = await host.call(call.name, call.input, { runId: 'probes', agent: prober });
      if (outcome.isError) {
        results.push({ ...base, error: outcome.content });
        continue;
      }
      const value = numberIn(outcome.data, probe.field);
      if (value === undefined) {
        results.push({
          ...base,
          error: `the probe returned no number${probe.field ? ` under '${probe.field}'` : ''}${
            probe.field && fieldIsNull(outcome.data, probe.field)
              ? ' (it is null: nothing to measure yet, such as a ratio with no lookups since the statistics were reset)'
              : ''
          }`,
        });
        continue;
      }
      results.push({ ...base, value, met: meets(value, comparison) });
    }
  }
  return results;
}

/**
 * Whether `data` holds `null` under a key named `field` (where `numberIn` looks): a figure the
 * tool could not compute yet, such as a ratio with no lookups.
 */
function fieldIsNull(data: unknown, field: string): boolean {
  for (const value of valuesNamed(data, field)) if (value === null) return true;
  return false;
}
