import type { ToolHost } from '../mcp/tool-host.js';
import type { ModelTool } from '../model/model.js';
import type { Grant } from '../org/agent-schema.js';
import type { AgentDefinition } from '../org/org-definition.js';
import {
  builtinOperationNames,
  builtinTool,
  grantCovers,
  toolNameSeparator,
} from '../org/tool-catalog.js';

/** An agent that holds a tool, and its grant on the tool's server. */
export interface ToolHolder {
  agent: string;
  grant: Grant;
}

/**
 * One database (or org MCP server) tool as `cadre mcp --tools` serves it: the name agents see
 * (`psql__query`), its input schema, and every agent that holds it, at which grant.
 */
export interface DatabaseTool {
  name: string;
  description: string;
  inputSchema: ModelTool['input_schema'];
  holders: ToolHolder[];
  /** The least grant that exposes it, for one of cadre's built-in tools; absent for an org MCP server's tool. */
  leastGrant?: Grant;
}

/**
 * Whose grants the served database tools follow: `org` serves every tool some agent holds, each
 * call acting for one agent at that agent's grant; `entry` serves only the entry agent's tools.
 */
export type DatabaseToolScope = 'org' | 'entry';

/** The database tools one `cadre mcp --tools` serves, and the tool host that runs them. */
export interface DatabaseTools {
  tools: DatabaseTool[];
  host: ToolHost;
  scope: DatabaseToolScope;
}

/** The grant through which an agent holds a model-visible tool name, if it holds it. */
export function grantFor(agent: AgentDefinition, name: string): Grant | undefined {
  for (const use of agent.tools) {
    const builtin = builtinTool(use.tool);
    if (builtin) {
      if (builtinOperationNames(builtin, use.grant).includes(name)) return use.grant;
      continue;
    }
    const [server = ''] = use.tool.split('/');
    if (name.startsWith(`${server}${toolNameSeparator}`)) return use.grant;
  }
  return undefined;
}

function leastGrantOf(name: string): Grant | undefined {
  const [tool = '', operation = ''] = name.split(toolNameSeparator);
  return builtinTool(tool)?.operations.find((candidate) => candidate.name === operation)?.grant;
}

const grantRank: Record<Grant, number> = { read: 0, write: 1, admin: 2 };

/**
 * Lists the tools the tool host gives these agents, each name once with all its holders. The
 * description and schema come from the holder with the highest grant (the widest form).
 */
export async function listDatabaseTools(
  agents: readonly AgentDefinition[],
  host: ToolHost,
): Promise<DatabaseTool[]> {
  const byName = new Map<string, DatabaseTool & { rank: number }>();
  for (const agent of agents) {
    for (const tool of await host.toolsFor(agent)) {
      const grant = grantFor(agent, tool.name) ?? 'read';
      const known = byName.get(tool.name);
      const leastGrant = leastGrantOf(tool.name);
      if (leastGrant && !grantCovers(grant, leastGrant)) continue;
      if (!known) {
        byName.set(tool.name, {
          name: tool.name,
          description: tool.description,
          inputSchema: tool.input_schema,
          holders: [{ agent: agent.id, grant }],
          rank: grantRank[grant],
          ...(leastGrant ? { leastGrant } : {}),
        });
        continue;
      }
      known.holders.push({ agent: agent.id, grant });
      if (grantRank[grant] > known.rank) {
        Object.assign(known, {
          description: tool.description,
          inputSchema: tool.input_schema,
          rank: grantRank[grant],
        });
      }
    }
  }
  return [...byName.values()].map(({ rank: _rank, ...tool }) => tool);
}
