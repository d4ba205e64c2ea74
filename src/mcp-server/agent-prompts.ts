import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { askAgentTool } from '../org/export-claude-code.js';
import { renderPrompt } from '../org/render-prompt.js';
import type { PromptNaming } from '../org/render-prompt.js';
import type { CadreMcpContext } from './server-context.js';

/** How an agent's prompt names things for an MCP client of `cadre mcp`. */
export const mcpClientNaming: PromptNaming = {
  tool: (name) => name,
  delegate: `ask them through cadre's \`${askAgentTool}\` tool with their id; cadre runs them with their own tools`,
  ask: `ask through cadre's \`${askAgentTool}\` tool with their id; expect an answer within the wait`,
  report: 'put progress in your answer',
  escalate: 'say plainly in your answer what must go up to them, with its severity',
};

/**
 * Each agent as an MCP prompt named by its id: its rendered system prompt (its own prompt, its
 * place in the org, its tools, metrics and escalation paths), then the `task` when one is given,
 * so that a client can start a conversation as that agent. A place a person fills (`human: true`)
 * is no prompt: nobody is to work as them.
 */
export function registerAgentPrompts(server: McpServer, context: CadreMcpContext): void {
  const { org } = context;
  for (const agent of org.agents) {
    if (agent.human === true) continue;
    server.registerPrompt(
      agent.id,
      {
        title: agent.name,
        description: `Work as ${agent.name} (${agent.role} of org ${org.name}): ${agent.description.trim().replace(/\s+/g, ' ')}`,
        argsSchema: {
          task: z.string().optional().describe('what to work on as this agent'),
        },
      },
      ({ task }) => {
        const system = renderPrompt(org, agent, mcpClientNaming).trim();
        const text =
          task === undefined || task.trim() === ''
            ? system
            : `${system}\n\n## Your task\n\n${task.trim()}`;
        return {
          description: `${agent.name}, with its place in org ${org.name}`,
          messages: [{ role: 'user', content: { type: 'text', text } }],
        };
      },
    );
  }
}
