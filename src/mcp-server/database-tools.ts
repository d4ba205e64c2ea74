import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { DatabaseTool } from './database-tool-catalog.js';
import { actingAgentField, databaseToolInput } from './database-tool-input.js';
import type { RequestExtra } from './progress-sender.js';
import type { CadreMcpContext } from './server-context.js';
import type { ConnectedSession } from './session-hub.js';
import { databaseToolAnnotations } from './tool-annotations.js';
import { failure, inputError } from './tool-result.js';

function holdersText(tool: DatabaseTool): string {
  return tool.holders.map((holder) => `${holder.agent} (${holder.grant})`).join(', ');
}

async function callDatabaseTool(
  context: CadreMcpContext,
  session: ConnectedSession,
  tool: DatabaseTool,
  args: Record<string, unknown>,
  extra: RequestExtra,
): Promise<CallToolResult> {
  const { [actingAgentField]: named, ...input } = args;
  const actingFor = typeof named === 'string' ? named : context.entry;
  const agent = context.org.agents.find((candidate) => candidate.id === actingFor);
  if (!agent) {
    return inputError(
      tool.name,
      actingAgentField,
      `no agent '${actingFor}' in org '${context.org.name}'`,
      `agents that hold ${tool.name}: ${holdersText(tool)}`,
    );
  }
  if (!tool.holders.some((holder) => holder.agent === agent.id)) {
    return inputError(
      tool.name,
      actingAgentField,
      `${agent.id} holds no grant for ${tool.name}${named === undefined ? ` (calls act for the entry agent, ${context.entry}, unless '${actingAgentField}' names another)` : ''}`,
      `agents that hold it: ${holdersText(tool)}`,
    );
  }
  const databaseTools = context.databaseTools;
  if (!databaseTools) return failure(tool.name, new Error('database tools are not served'));
  const outcome = await databaseTools.host.call(tool.name, input, {
    runId: `mcp:${session.sessionId() ?? 'stdio'}`,
    agent,
    signal: extra.signal,
  });
  context.sessions.log(
    outcome.isError ? 'warning' : 'info',
    `${tool.name} for ${agent.id}: ${outcome.isError ? 'failed' : 'done'}`,
    session,
  );
  return {
    content: [{ type: 'text', text: outcome.content }],
    ...(outcome.isError ? { isError: true } : {}),
    ...(outcome.data === undefined ? {} : { structuredContent: { result: outcome.data } }),
  };
}

/**
 * With `--tools`: the org's database tools (and its MCP servers' tools), named as agents see them
 * (`psql__query`). Each call acts for one agent (`agent`, default the entry agent) and runs at
 * that agent's grant, through the same tool host the runtime uses; an agent without the grant is
 * refused.
 */
export function registerDatabaseTools(
  server: McpServer,
  context: CadreMcpContext,
  session: ConnectedSession,
): void {
  for (const tool of context.databaseTools?.tools ?? []) {
    server.registerTool(
      tool.name,
      {
        title: tool.name,
        description: `${tool.description}\n\nActs for one agent of org '${context.org.name}' at that agent's grant: '${actingAgentField}' names it (default ${context.entry}). Held by: ${holdersText(tool)}.${context.toolMode === 'rehearsal' ? ' Rehearsal: nothing is run, the call answers what would have run.' : ''}`,
        inputSchema: databaseToolInput(tool, context.entry),
        annotations: databaseToolAnnotations(tool, context),
      },
      async (args: Record<string, unknown>, extra) => {
        try {
          return await callDatabaseTool(context, session, tool, args, extra);
        } catch (error) {
          return failure(tool.name, error);
        }
      },
    );
  }
}
