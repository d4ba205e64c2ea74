import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { modelToolNames } from '../org/render-prompt.js';
import { runDetails, runDetailsText } from './run-details.js';
import type { CadreMcpContext } from './server-context.js';
import { readOnlyAnnotations } from './tool-annotations.js';
import { ListAgentsOutput, RunDetailsOutput } from './tool-outputs.js';
import { failure, inputError, structuredResult } from './tool-result.js';

/** The tool that lists the org's agents. */
export const listAgentsTool = 'list_agents';
/** The tool that shows one run. */
export const getRunTool = 'get_run';

/** `list_agents` and `get_run`: read the org and the store, change nothing. */
export function registerQueryTools(server: McpServer, context: CadreMcpContext): void {
  const { org } = context;
  server.registerTool(
    listAgentsTool,
    {
      title: `The agents of org ${org.name}`,
      description: `Lists the agents of org '${org.title ?? org.name}': id, name, role, manager, what to ask them for, peers and tools (with grants). Use an id with ask_agent, or as run_task's 'to'.`,
      outputSchema: ListAgentsOutput,
      annotations: readOnlyAnnotations,
    },
    () => {
      const agents = org.agents.map((agent) => ({
        id: agent.id,
        name: agent.name,
        role: agent.role,
        reports_to: agent.reports_to,
        description: agent.description.trim(),
        peers: agent.peers.map((peer) => peer.id),
        tools: agent.tools.map((use) => ({ ...use })),
        tool_names: modelToolNames(agent).filter((name) => !name.endsWith('*')),
      }));
      const text = agents
        .map(
          (agent) =>
            `${agent.id} — ${agent.name} [${agent.role}]${agent.reports_to ? `, reports to ${agent.reports_to}` : ', the root'}: ${agent.description.replace(/\s+/g, ' ')}${agent.tools.length > 0 ? ` (tools: ${agent.tools.map((use) => `${use.tool} ${use.grant}`).join(', ')})` : ''}`,
        )
        .join('\n');
      return structuredResult(
        `org ${org.name}: ${agents.length} agents, root ${org.root}, entry ${context.entry}\n${text}`,
        { org: org.name, root: org.root, entry: context.entry, agents },
      );
    },
  );
  server.registerTool(
    getRunTool,
    {
      title: 'Show a run',
      description:
        'Shows one run from the store: status, the agents that worked on it, a summary of its messages, its escalations and its cost. The full transcript is the resource cadre://runs/{id}.',
      inputSchema: {
        run_id: z.string().trim().min(1).describe('the run id that run_task or ask_agent returned'),
      },
      outputSchema: RunDetailsOutput,
      annotations: readOnlyAnnotations,
    },
    async ({ run_id: runId }) => {
      try {
        const store = context.runtime.store;
        const run = await store.getRun(runId);
        if (!run) {
          return inputError(
            getRunTool,
            'run_id',
            `no run '${runId}' in the store`,
            'the run ids are those run_task and ask_agent return; the runs are listed as resources cadre://runs/{id}',
          );
        }
        const [events, escalations] = await Promise.all([
          store.events(runId),
          store.listEscalations({ runId }),
        ]);
        const details = runDetails(run, events, escalations, context.rehearsal);
        return structuredResult(runDetailsText(details), { ...details });
      } catch (error) {
        return failure(getRunTool, error);
      }
    },
  );
}
