import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { isHuman } from '../escalation/targets.js';
import type { EscalationRecord } from '../store/store.js';
import { shorten } from './describe-event.js';
import type { CadreMcpContext } from './server-context.js';
import type { ConnectedSession } from './session-hub.js';
import { answerAnnotations, readOnlyAnnotations } from './tool-annotations.js';
import { AnswerEscalationOutput, ListEscalationsOutput } from './tool-outputs.js';
import { failure, inputError, structuredResult } from './tool-result.js';

/** The tool that lists escalations. */
export const listEscalationsTool = 'list_escalations';
/** The tool a person answers an escalation with. */
export const answerEscalationTool = 'answer_escalation';

function line(escalation: EscalationRecord): string {
  const waiting = isHuman(escalation.to) && escalation.status === 'open' ? ' — waits for you' : '';
  return `${escalation.escalationId} (${escalation.status}${waiting}): run ${escalation.runId}, ${escalation.asker} waited on ${escalation.waitedOn}; went to ${escalation.to} by rule ${escalation.rule}, level ${escalation.level}: ${shorten(escalation.reason, 300)}${escalation.answer === undefined ? '' : `\n  answered by ${escalation.answeredBy ?? 'someone'}: ${shorten(escalation.answer, 300)}`}`;
}

/**
 * `list_escalations` (open ones by default, of one run or all) and `answer_escalation` (the
 * person at the top of an escalation chain answers; the answer goes back to whoever waited).
 */
export function registerEscalationTools(
  server: McpServer,
  context: CadreMcpContext,
  session: ConnectedSession,
): void {
  server.registerTool(
    listEscalationsTool,
    {
      title: 'List escalations',
      description:
        "Lists the escalations the org's rules fired: who waited on whom, why, where it went and whether it is answered. Those that went to a person (human) are answered with answer_escalation.",
      inputSchema: {
        open: z
          .boolean()
          .default(true)
          .describe('only those still waiting for an answer (default true)'),
        run_id: z.string().trim().min(1).optional().describe('only those of this run'),
      },
      outputSchema: ListEscalationsOutput,
      annotations: readOnlyAnnotations,
    },
    async ({ open, run_id: runId }) => {
      try {
        const escalations = await context.runtime.store.listEscalations({
          open,
          ...(runId === undefined ? {} : { runId }),
        });
        const text =
          escalations.length === 0
            ? `no ${open ? 'open ' : ''}escalations${runId ? ` in run ${runId}` : ''}`
            : escalations.map(line).join('\n');
        return structuredResult(text, {
          escalations: escalations.map((record) => ({ ...record })),
        });
      } catch (error) {
        return failure(listEscalationsTool, error);
      }
    },
  );
  server.registerTool(
    answerEscalationTool,
    {
      title: 'Answer an escalation',
      description:
        "Answers an escalation that reached a person at the top of the org's escalation chain (a rule's `human`): the answer goes back to the agent that was waiting, and its run goes on. An escalation takes one answer.",
      inputSchema: {
        escalation_id: z
          .string()
          .trim()
          .min(1)
          .describe('the escalation id that list_escalations shows'),
        answer: z
          .string()
          .trim()
          .min(1, { error: 'the answer is empty: say what the org should do' })
          .describe('the decision or the information the agents wait for'),
        by: z
          .string()
          .trim()
          .min(1)
          .optional()
          .describe('who answers (default: human, the person the rule names)'),
      },
      outputSchema: AnswerEscalationOutput,
      annotations: answerAnnotations,
    },
    async ({ escalation_id: escalationId, answer, by }) => {
      try {
        const known = await context.runtime.store.getEscalation(escalationId);
        if (!known) {
          return inputError(
            answerEscalationTool,
            'escalation_id',
            `no escalation '${escalationId}'`,
            'list the open ones with list_escalations',
          );
        }
        const answered = await context.runtime.answerEscalation(escalationId, answer, by);
        context.sessions.log(
          'info',
          `escalation ${escalationId} answered by ${answered.answeredBy ?? by ?? 'human'}`,
          session,
        );
        return structuredResult(
          `answered escalation ${escalationId}; the answer goes back to ${answered.asker} in run ${answered.runId}`,
          { escalation: { ...answered } },
        );
      } catch (error) {
        return failure(answerEscalationTool, error);
      }
    },
  );
}
