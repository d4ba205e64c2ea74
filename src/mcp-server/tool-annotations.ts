import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { Grant } from '../org/agent-schema.js';
import { builtinTool } from '../org/tool-catalog.js';
import type { DatabaseTool } from './database-tool-catalog.js';
import type { CadreMcpContext } from './server-context.js';

/** Tools that only read cadre's own store: safe to call again and again. */
export const readOnlyAnnotations: ToolAnnotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};

/** `answer_escalation`: records an answer (once; a second is refused), deletes nothing. */
export const answerAnnotations: ToolAnnotations = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: false,
};

/**
 * Read operations that gain writes with a higher grant: `redis-cli command` sends write commands
 * at `write`, `pgbench run` runs write scripts at `write`. The other read operations stay
 * read-only whatever the grant (psql `query` runs inside `BEGIN READ ONLY`).
 */
const widenedByGrant = new Set(['redis-cli__command', 'pgbench__run']);

function agentsMayWrite(context: CadreMcpContext): boolean {
  return context.org.agents.some((agent) =>
    agent.tools.some((use) => use.grant !== 'read' || builtinTool(use.tool) === undefined),
  );
}

/**
 * `run_task` and `ask_agent`: a run records itself in the store (not read-only); it may change
 * the world when some agent holds a write grant or an org MCP server's tool and tools are live;
 * it reaches outside (the Anthropic API, org MCP servers) unless everything is rehearsed.
 */
export function runAnnotations(context: CadreMcpContext): ToolAnnotations {
  const live = context.toolMode === 'live';
  const orgServers = context.org.agents.some((agent) =>
    agent.tools.some((use) => builtinTool(use.tool) === undefined),
  );
  return {
    readOnlyHint: false,
    destructiveHint: live && agentsMayWrite(context),
    idempotentHint: false,
    openWorldHint: !context.rehearsal || (live && orgServers),
  };
}

const grantRank: Record<Grant, number> = { read: 0, write: 1, admin: 2 };

/**
 * A served database tool, as it behaves at the highest grant any holder has: read operations
 * are read-only (unless a grant widens them), write operations may destroy. An org MCP
 * server's tool is unknown, so it may write and reach outside. In a rehearsal nothing runs.
 */
export function databaseToolAnnotations(
  tool: DatabaseTool,
  context: CadreMcpContext,
): ToolAnnotations {
  if (context.toolMode === 'rehearsal') return { ...readOnlyAnnotations };
  if (tool.leastGrant === undefined)
    return {
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: false,
      openWorldHint: true,
    };
  const highest = tool.holders.reduce<Grant>(
    (held, holder) => (grantRank[holder.grant] > grantRank[held] ? holder.grant : held),
    'read',
  );
  const readOnly =
    tool.leastGrant === 'read' && (highest === 'read' || !widenedByGrant.has(tool.name));
  return {
    readOnlyHint: readOnly,
    destructiveHint: !readOnly,
    idempotentHint: readOnly,
    openWorldHint: false,
  };
}
