import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { registerAgentPrompts } from './agent-prompts.js';
import { registerDatabaseTools } from './database-tools.js';
import { registerEscalationTools } from './escalation-tools.js';
import { registerOrgResources } from './org-resources.js';
import { registerQueryTools } from './query-tools.js';
import { registerRunResources } from './run-resources.js';
import { registerRunTools } from './run-tools.js';
import type { CadreMcpContext } from './server-context.js';
import type { ConnectedSession } from './session-hub.js';

/** The name cadre's MCP server gives itself at initialize. */
export const serverName = 'cadre';

function instructionsOf(context: CadreMcpContext): string {
  const { org } = context;
  return [
    `cadre runs org '${org.title ?? org.name}' (${org.agents.length} agents, root ${org.root}) as Claude sessions that delegate, call database tools and escalate by the org's rules.`,
    `Hand it work with run_task (entry agent ${context.entry}) or ask one agent with ask_agent; list_agents names them.`,
    'get_run and the cadre://runs/{id} resources show runs; list_escalations and answer_escalation let you answer an escalation that reached a person.',
    ...(context.databaseTools
      ? [
          "The database tools (psql__query and friends) act for one agent at that agent's grant (argument 'agent').",
        ]
      : []),
    ...(context.rehearsal
      ? ['This server rehearses: models answer from a script, no tokens are spent.']
      : []),
  ].join(' ');
}

/**
 * One MCP server for one client session: the tools (`run_task`, `ask_agent`, `list_agents`,
 * `get_run`, `list_escalations`, `answer_escalation`, and the database tools with `--tools`),
 * each agent as a prompt, the org and the runs as resources, and logging. It joins the
 * context's session hub and leaves it when its connection closes.
 */
export function createCadreMcpServer(
  context: CadreMcpContext,
  sessionId: () => string | undefined = () => undefined,
): McpServer {
  const server = new McpServer(
    {
      name: serverName,
      title: `cadre: ${context.org.title ?? context.org.name}`,
      version: context.version,
    },
    {
      capabilities: { logging: {}, resources: { listChanged: true }, tools: {}, prompts: {} },
      instructions: instructionsOf(context),
    },
  );
  const session: ConnectedSession = { server, sessionId };
  registerRunTools(server, context, session);
  registerQueryTools(server, context);
  registerEscalationTools(server, context, session);
  registerDatabaseTools(server, context, session);
  registerAgentPrompts(server, context);
  registerOrgResources(server, context);
  registerRunResources(server, context);
  const leave = context.sessions.join(session);
  const previous = server.server.onclose;
  server.server.onclose = () => {
    leave();
    previous?.();
  };
  return server;
}
