import type { Grant } from './agent-schema.js';

/** The kind of target a built-in tool works on. */
export type TargetKind = 'postgres' | 'redis';

/** One operation of a built-in tool, and the least grant that exposes it. */
export interface ToolOperation {
  name: string;
  grant: Grant;
  description: string;
}

/** A built-in MCP tool server of cadre (under `tools/`). */
export interface BuiltinTool {
  /** The name agents use in YAML (`tools: [{ tool: psql }]`). */
  id: string;
  targetKind: TargetKind;
  description: string;
  operations: readonly ToolOperation[];
}

/**
 * cadre's own database tools. A model sees each operation as `<tool>__<operation>`
 * (`psql__query`), which always matches the Messages API's `^[a-zA-Z0-9_-]{1,64}$`.
 */
export const builtinTools: readonly BuiltinTool[] = [
  {
    id: 'psql',
    targetKind: 'postgres',
    description: 'PostgreSQL: read-only queries, plans, schema, health; writes only when granted',
    operations: [
      { name: 'query', grant: 'read', description: 'one read-only SQL statement' },
      { name: 'explain', grant: 'read', description: 'EXPLAIN (FORMAT JSON) with a summary' },
      { name: 'describe', grant: 'read', description: 'schemas, tables, columns, indexes, sizes' },
      {
        name: 'health',
        grant: 'read',
        description: 'hit ratios, scans, bloat, locks, top queries',
      },
      {
        name: 'execute',
        grant: 'write',
        description: 'writes and DDL (admin: roles and settings)',
      },
    ],
  },
  {
    id: 'redis-cli',
    targetKind: 'redis',
    description: 'Redis: allow-listed commands, INFO with derived figures, slowlog, memory',
    operations: [
      {
        name: 'command',
        grant: 'read',
        description: 'one allow-listed command as an argument array',
      },
      {
        name: 'info',
        grant: 'read',
        description: 'parsed INFO with hit ratio, fragmentation, ops/s',
      },
      { name: 'slowlog', grant: 'read', description: 'the slow log' },
      { name: 'latency', grant: 'read', description: 'latency doctor and history' },
      { name: 'memory', grant: 'read', description: 'memory stats and doctor' },
      { name: 'bigkeys', grant: 'read', description: 'largest keys, sampled by SCAN' },
    ],
  },
  {
    id: 'pgbench',
    targetKind: 'postgres',
    description: 'pgbench: benchmarks against the org’s named Postgres targets, bounded in time',
    operations: [
      {
        name: 'run',
        grant: 'read',
        description: 'a bounded benchmark (read: select-only scripts)',
      },
      { name: 'init', grant: 'write', description: 'create the pgbench tables at a scale' },
    ],
  },
];

/** The separator between a tool server and its operation in a model-visible tool name. */
export const toolNameSeparator = '__';

/** The Messages API's rule for tool names. */
export const modelToolNamePattern = /^[a-zA-Z0-9_-]{1,64}$/;

const grantOrder: Record<Grant, number> = { read: 0, write: 1, admin: 2 };

/** Whether `held` is at least `needed` (read < write < admin). */
export function grantCovers(held: Grant, needed: Grant): boolean {
  return grantOrder[held] >= grantOrder[needed];
}

/** The built-in tool of that id, if any. */
export function builtinTool(id: string): BuiltinTool | undefined {
  return builtinTools.find((tool) => tool.id === id);
}

/** Model-visible names of the operations a grant exposes on a built-in tool. */
export function builtinOperationNames(tool: BuiltinTool, grant: Grant): string[] {
  return tool.operations
    .filter((operation) => grantCovers(grant, operation.grant))
    .map((operation) => `${tool.id}${toolNameSeparator}${operation.name}`);
}

/**
 * Tools that Claude Code provides itself. A subagent file may name them; cadre keeps them as
 * declared (for export) and reports them as not provided by cadre.
 */
export const claudeCodeTools: ReadonlySet<string> = new Set([
  'Read',
  'Write',
  'Edit',
  'MultiEdit',
  'Bash',
  'Glob',
  'Grep',
  'LS',
  'WebFetch',
  'WebSearch',
  'Task',
  'TodoWrite',
  'NotebookEdit',
  'NotebookRead',
  'BashOutput',
  'KillShell',
  'SlashCommand',
]);
