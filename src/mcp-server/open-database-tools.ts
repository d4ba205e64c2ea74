import { CadreError } from '../errors.js';
import { createMcpToolHost } from '../mcp/mcp-tool-host.js';
import { createRehearsalToolHost } from '../mcp/rehearsal-tool-host.js';
import type { OrgDefinition } from '../org/org-definition.js';
import { listDatabaseTools } from './database-tool-catalog.js';
import type { DatabaseToolScope, DatabaseTools } from './database-tool-catalog.js';
import type { ToolMode } from './server-context.js';

/** Reads `--tools [scope]`: absent → none; `--tools` alone → `org`; or `org` / `entry`. */
export function databaseToolScopeOf(
  option: boolean | string | undefined,
): DatabaseToolScope | undefined {
  if (option === undefined || option === false) return undefined;
  if (option === true || option === 'org') return 'org';
  if (option === 'entry') return 'entry';
  throw new CadreError({
    code: 'mcp-tools-scope-invalid',
    message: `--tools '${option}' is not a scope`,
    hint: "write --tools (every agent's tools, each call acting for one agent at its grant) or --tools entry (only the entry agent's)",
  });
}

/**
 * Starts the tool host the served database tools run on (the org's real targets when tools are
 * live, answers of what would have run in a rehearsal) and lists the tools: those of every agent
 * (`org`) or of the entry agent only (`entry`).
 */
export async function openDatabaseTools(
  org: OrgDefinition,
  mode: ToolMode,
  scope: DatabaseToolScope,
  entry: string,
): Promise<DatabaseTools> {
  const host = mode === 'live' ? createMcpToolHost({ org }) : createRehearsalToolHost();
  const agents = scope === 'entry' ? org.agents.filter((agent) => agent.id === entry) : org.agents;
  try {
    return { tools: await listDatabaseTools(agents, host), host, scope };
  } catch (error) {
    await host.close();
    throw error;
  }
}
