import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { askAgentTool } from '../org/export-claude-code.js';
import type { RunHandle } from '../runtime/runtime-types.js';
import { agentField, textField } from './agent-field.js';
import { announceRun } from './announce-run.js';
import { followRun } from './follow-run.js';
import { progressSender } from './progress-sender.js';
import type { RequestExtra } from './progress-sender.js';
import { runOutcome } from './run-outcome.js';
import type { CadreMcpContext } from './server-context.js';
import type { ConnectedSession } from './session-hub.js';
import { runAnnotations } from './tool-annotations.js';
import { RunOutcomeOutput } from './tool-outputs.js';
import { failure } from './tool-result.js';

/** The tool that hands the org a task. */
export const runTaskTool = 'run_task';

async function startAndFollow(
  context: CadreMcpContext,
  session: ConnectedSession,
  tool: string,
  task: string,
  to: string,
  extra: RequestExtra,
): Promise<CallToolResult> {
  let handle: RunHandle;
  try {
    handle = context.runtime.run(task, {
      to,
      ...(context.runSettings ? { settings: context.runSettings } : {}),
    });
  } catch (error) {
    return failure(tool, error);
  }
  void announceRun(context, handle.runId);
  const progress = progressSender(extra);
  const result = await followRun(handle, {
    signal: extra.signal,
    log: (level, text) => context.sessions.log(level, text, session),
    ...(progress ? { progress } : {}),
  });
  return runOutcome(result, context.rehearsal);
}

/**
 * `run_task` (a task for the org, optionally for another entry agent) and `ask_agent` (a question
 * for one agent, who works with its own tools and reports). Both start a run, send progress as
 * agents delegate, call tools and escalate, and answer with the run id and its cost; cancelling
 * the request cancels the run.
 */
export function registerRunTools(
  server: McpServer,
  context: CadreMcpContext,
  session: ConnectedSession,
): void {
  const { org } = context;
  const rehearsal = context.rehearsal
    ? ' This server rehearses: the fake Messages API answers from a script, no tokens are spent.'
    : '';
  server.registerTool(
    runTaskTool,
    {
      title: `Hand org ${org.name} a task`,
      description: `Hands a task to org '${org.title ?? org.name}': the entry agent (${context.entry} unless 'to' names another) delegates down the org, agents call their tools and escalate by the org's rules, and the entry agent's answer comes back with the run id and a cost summary. Progress notifications follow the run; cancelling the request cancels the run.${rehearsal}`,
      inputSchema: {
        task: textField('task', 'check the database and cache health').describe(
          'what the org should do, with the context it needs',
        ),
        to: agentField(org).optional().describe(`the entry agent (default ${context.entry})`),
      },
      outputSchema: RunOutcomeOutput,
      annotations: runAnnotations(context),
    },
    ({ task, to }, extra) =>
      startAndFollow(context, session, runTaskTool, task, to ?? context.entry, extra),
  );
  server.registerTool(
    askAgentTool,
    {
      title: 'Ask one agent',
      description: `Asks one agent of org '${org.title ?? org.name}' a question: cadre runs that agent with its own tools and grants (it may delegate to its reports), and returns its answer with the run id and a cost summary. The agents are listed by list_agents.${rehearsal}`,
      inputSchema: {
        agent: agentField(org).describe('the id of the agent to ask, such as layer-1'),
        question: textField('question', 'what is the index hit ratio?').describe(
          'the question, with the context the agent needs',
        ),
      },
      outputSchema: RunOutcomeOutput,
      annotations: runAnnotations(context),
    },
    ({ agent, question }, extra) =>
      startAndFollow(context, session, askAgentTool, question, agent, extra),
  );
}
