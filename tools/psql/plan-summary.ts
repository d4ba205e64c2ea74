/** One node of an EXPLAIN (FORMAT JSON) plan, flattened, with its own (exclusive) share. */
export interface PlanNode {
  depth: number;
  nodeType: string;
  /** `schema.table` for scans, when the plan names one. */
  relation: string | undefined;
  /** The scanned table's schema and name, when the plan names them. */
  table: { schema: string; name: string } | undefined;
  alias: string | undefined;
  indexName: string | undefined;
  startupCost: number;
  totalCost: number;
  planRows: number;
  actualRows: number | undefined;
  actualLoops: number | undefined;
  /** Inclusive time of one loop, ms. */
  actualTotalTime: number | undefined;
  /** Time spent in this node alone (all loops, children subtracted), ms. */
  selfTime: number | undefined;
  /** Cost of this node alone (children subtracted). */
  selfCost: number;
  filter: string | undefined;
  indexCondition: string | undefined;
  rowsRemovedByFilter: number | undefined;
}

/** A sequential scan of a table with at least the threshold's estimated rows. */
export interface LargeSeqScan {
  relation: string;
  estimatedTableRows: number;
  filter: string | undefined;
}

/** A node whose actual rows are off the planner's estimate by 10× or more. */
export interface RowEstimateMiss {
  node: string;
  planRows: number;
  actualRows: number;
  /** How many times off, as a factor ≥ 10 (in either direction). */
  factor: number;
}

/** The short summary of a plan. */
export interface PlanSummary {
  analyzed: boolean;
  totalCost: number;
  planningTimeMs: number | undefined;
  executionTimeMs: number | undefined;
  slowestNode:
    | { node: string; by: 'self time' | 'self cost'; selfTimeMs?: number; selfCost: number }
    | undefined;
  seqScansOnLargeTables: LargeSeqScan[];
  rowEstimateMisses: RowEstimateMiss[];
}

type Json = Record<string, unknown>;

const numberOf = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;
const textOf = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

/** The top-level object of EXPLAIN (FORMAT JSON) output: `[{ Plan, Planning Time, … }]`. */
export function planRoot(output: unknown): Json | undefined {
  const first: unknown = Array.isArray(output) ? output[0] : output;
  return first !== null && typeof first === 'object' ? (first as Json) : undefined;
}

/** The plan's nodes, depth-first, each with its exclusive time and cost. */
export function flattenPlan(output: unknown): PlanNode[] {
  const nodes: PlanNode[] = [];
  const visit = (plan: Json, depth: number) => {
    const children = Array.isArray(plan.Plans)
      ? (plan.Plans as unknown[]).filter(
          (child): child is Json => child !== null && typeof child === 'object',
        )
      : [];
    const loops = numberOf(plan['Actual Loops']);
    const time = numberOf(plan['Actual Total Time']);
    const childTime = children.reduce(
      (sum, child) =>
        sum + (numberOf(child['Actual Total Time']) ?? 0) * (numberOf(child['Actual Loops']) ?? 0),
      0,
    );
    const totalCost = numberOf(plan['Total Cost']) ?? 0;
    const childCost = children.reduce(
      (sum, child) => sum + (numberOf(child['Total Cost']) ?? 0),
      0,
    );
    const relationName = textOf(plan['Relation Name']);
    const schema = textOf(plan.Schema);
    const nodeType = textOf(plan['Node Type']) ?? 'unknown';
    const operation = textOf(plan.Operation);
    nodes.push({
      depth,
      // ModifyTable nodes read better as what they do: Insert, Update, Delete, Merge.
      nodeType: nodeType === 'ModifyTable' && operation ? operation : nodeType,
      relation: relationName && schema ? `${schema}.${relationName}` : relationName,
      table: relationName && schema ? { schema, name: relationName } : undefined,
      alias: textOf(plan.Alias),
      indexName: textOf(plan['Index Name']),
      startupCost: numberOf(plan['Startup Cost']) ?? 0,
      totalCost,
      planRows: numberOf(plan['Plan Rows']) ?? 0,
      actualRows: numberOf(plan['Actual Rows']),
      actualLoops: loops,
      actualTotalTime: time,
      selfTime:
        time === undefined || loops === undefined
          ? undefined
          : Math.max(0, time * loops - childTime),
      selfCost: Math.max(0, totalCost - childCost),
      filter: textOf(plan.Filter),
      indexCondition: textOf(plan['Index Cond']) ?? textOf(plan['Recheck Cond']),
      rowsRemovedByFilter: numberOf(plan['Rows Removed by Filter']),
    });
    for (const child of children) visit(child, depth + 1);
  };
  const plan = planRoot(output)?.Plan;
  if (plan !== null && typeof plan === 'object') visit(plan as Json, 0);
  return nodes;
}

/** A node's short name: `Seq Scan on public.orders`, `Index Scan using orders_pkey on …`. */
export function nodeLabel(node: PlanNode): string {
  const using = node.indexName ? ` using ${node.indexName}` : '';
  const on = node.relation ? ` on ${node.relation}` : '';
  return `${node.nodeType}${using}${on}`;
}

const isSeqScan = (node: PlanNode) => node.nodeType === 'Seq Scan' && node.relation !== undefined;

/** The schema and name of every table the plan scans sequentially. */
export function seqScanTables(output: unknown): { schema: string; name: string }[] {
  return flattenPlan(output)
    .filter(isSeqScan)
    .flatMap((node) => (node.table ? [node.table] : []));
}

/**
 * Summarizes a plan: total cost, planning and execution time, the slowest node (by exclusive
 * time when analyzed, by exclusive cost otherwise), sequential scans on tables of at least
 * `largeTableRows` estimated rows (`tableRows` holds pg_class.reltuples by `schema.table`),
 * and nodes whose actual rows are 10× or more off the estimate.
 */
export function summarizePlan(
  output: unknown,
  tableRows: ReadonlyMap<string, number>,
  largeTableRows: number,
): PlanSummary {
  const root = planRoot(output);
  const nodes = flattenPlan(output);
  const analyzed = nodes.some((node) => node.actualLoops !== undefined);
  const slowest = [...nodes].sort((a, b) =>
    analyzed ? (b.selfTime ?? 0) - (a.selfTime ?? 0) : b.selfCost - a.selfCost,
  )[0];
  const seqScansOnLargeTables: LargeSeqScan[] = [];
  for (const node of nodes.filter(isSeqScan)) {
    const relation = node.relation as string;
    const known = tableRows.get(relation);
    const estimated =
      known !== undefined && known >= 0
        ? known
        : Math.max(
            node.planRows,
            (node.actualRows ?? 0) * (node.actualLoops ?? 1) + (node.rowsRemovedByFilter ?? 0),
          );
    if (
      estimated >= largeTableRows &&
      !seqScansOnLargeTables.some((s) => s.relation === relation)
    ) {
      seqScansOnLargeTables.push({
        relation,
        estimatedTableRows: Math.round(estimated),
        filter: node.filter,
      });
    }
  }
  const rowEstimateMisses: RowEstimateMiss[] = [];
  for (const node of nodes) {
    if (node.actualRows === undefined || !node.actualLoops) continue;
    const planned = Math.max(node.planRows, 1);
    const actual = Math.max(node.actualRows, 1);
    const factor = Math.max(planned / actual, actual / planned);
    if (factor >= 10) {
      rowEstimateMisses.push({
        node: nodeLabel(node),
        planRows: node.planRows,
        actualRows: node.actualRows,
        factor: Math.round(factor * 10) / 10,
      });
    }
  }
  rowEstimateMisses.sort((a, b) => b.factor - a.factor);
  return {
    analyzed,
    totalCost: nodes[0]?.totalCost ?? 0,
    planningTimeMs: numberOf(root?.['Planning Time']),
    executionTimeMs: numberOf(root?.['Execution Time']),
    slowestNode: slowest
      ? {
          node: nodeLabel(slowest),
          by: analyzed ? 'self time' : 'self cost',
          ...(analyzed ? { selfTimeMs: round(slowest.selfTime ?? 0) } : {}),
          selfCost: round(slowest.selfCost),
        }
      : undefined,
    seqScansOnLargeTables,
    rowEstimateMisses: rowEstimateMisses.slice(0, 10),
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** The summary as a few readable lines. */
export function formatPlanSummary(summary: PlanSummary, largeTableRows: number): string {
  const times = [
    summary.planningTimeMs === undefined ? undefined : `planning ${summary.planningTimeMs} ms`,
    summary.executionTimeMs === undefined ? undefined : `execution ${summary.executionTimeMs} ms`,
  ].filter((part) => part !== undefined);
  const lines = [
    `total cost: ${summary.totalCost}${times.length ? ` (${times.join(', ')})` : ''}${summary.analyzed ? '' : ' — not analyzed: costs are estimates; set analyze for actual times'}`,
  ];
  if (summary.slowestNode) {
    const amount =
      summary.slowestNode.selfTimeMs === undefined
        ? `self cost ${summary.slowestNode.selfCost}`
        : `self time ${summary.slowestNode.selfTimeMs} ms`;
    lines.push(
      `slowest node (by ${summary.slowestNode.by}): ${summary.slowestNode.node} — ${amount}`,
    );
  }
  if (summary.seqScansOnLargeTables.length === 0) {
    lines.push(`seq scans on large tables (≥ ${largeTableRows} estimated rows): none`);
  } else {
    lines.push(`seq scans on large tables (≥ ${largeTableRows} estimated rows):`);
    for (const scan of summary.seqScansOnLargeTables) {
      lines.push(
        `  Seq Scan on ${scan.relation} (~${scan.estimatedTableRows} rows)${
          scan.filter
            ? ` filtering ${scan.filter} — an index on the filtered column(s) may help`
            : ' — reads the whole table'
        }`,
      );
    }
  }
  if (!summary.analyzed) {
    lines.push('row-estimate misses: need analyze (actual rows)');
  } else if (summary.rowEstimateMisses.length === 0) {
    lines.push('row-estimate misses (10× or more): none');
  } else {
    lines.push(
      'row-estimate misses (10× or more) — run ANALYZE, or CREATE STATISTICS for correlated columns:',
    );
    for (const miss of summary.rowEstimateMisses) {
      lines.push(
        `  ${miss.node}: planned ${miss.planRows} rows, actual ${miss.actualRows} (${miss.factor}×)`,
      );
    }
  }
  return lines.join('\n');
}

/** The plan as an indented tree, one node a line plus its filter and index condition. */
export function formatPlanTree(nodes: readonly PlanNode[]): string {
  const lines: string[] = [];
  for (const node of nodes) {
    const indent = '  '.repeat(node.depth);
    const alias =
      node.alias && node.relation && !node.relation.endsWith(`.${node.alias}`)
        ? ` ${node.alias}`
        : '';
    const estimate = `(cost=${node.startupCost}..${node.totalCost} rows=${node.planRows})`;
    const actual =
      node.actualLoops === undefined
        ? ''
        : node.actualLoops === 0
          ? ' (never executed)'
          : ` (actual time=${node.actualTotalTime} rows=${node.actualRows} loops=${node.actualLoops})`;
    lines.push(`${indent}-> ${nodeLabel(node)}${alias} ${estimate}${actual}`);
    if (node.indexCondition) lines.push(`${indent}     condition: ${node.indexCondition}`);
    if (node.filter) lines.push(`${indent}     filter: ${node.filter}`);
    if (node.rowsRemovedByFilter !== undefined) {
      lines.push(`${indent}     rows removed by filter: ${node.rowsRemovedByFilter}`);
    }
  }
  return lines.join('\n');
}
