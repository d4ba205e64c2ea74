import { CadreError } from '../errors.js';
import type { ToolHost } from '../mcp/tool-host.js';
import type { OrgDefinition } from '../org/org-definition.js';
import { listDatabaseTools } from './database-tool-catalog.js';
import type { DatabaseToolScope, DatabaseTools } from './database-tool-catalog.js';

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
 * Lists the database tools served over the runtime's own tool host (the org's real targets
 * when tools are live, answers of what would have run in a rehearsal; one set of tool-server
 * processes for runs and direct calls): those of every agent (`org`) or of the entry agent
 * only (`entry`). The host stays the runtime's to close.
 */
export async function openDatabaseTools(
  org: OrgDefinition,
  host: ToolHost,
  scope: DatabaseToolScope,
  entry: string,
): Promise<DatabaseTools> {
  const agents = scope === 'entry' ? org.agents.filter((agent) => agent.id === entry) : org.agents;
  return { tools: await listDatabaseTools(agents, host), host, scope };
}
