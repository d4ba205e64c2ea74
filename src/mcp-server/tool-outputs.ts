import { z } from 'zod';
import { Grant, Role } from '../org/agent-schema.js';

/**
 * The output schemas of `cadre mcp`'s own tools: what each successful call's `structuredContent`
 * holds. They are listed with the tools (`outputSchema`), so a client knows the shape before it
 * calls, and the SDK checks every result against them on both sides. A refused or failed call
 * (`isError`) is not held to them.
 */

/** What a run cost: its totals, whether it was a rehearsal (dollars estimated), one line to read. */
export const CostOutput = z.object({
  modelCalls: z.number().int(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  cacheReadTokens: z.number().int(),
  cacheWriteTokens: z.number().int(),
  costUsd: z.number().describe('dollars spent (a rehearsal: what it would have cost)'),
  toolCalls: z.number().int(),
  messages: z.number().int(),
  wallMs: z.number(),
  rehearsal: z.boolean(),
  summary: z.string().describe('the totals in one line, as cadre run prints them'),
});

/** `list_agents`: the org and each of its agents. */
export const ListAgentsOutput = {
  org: z.string(),
  root: z.string().describe('the id of the ceo'),
  entry: z.string().describe('the agent run_task hands tasks to unless told otherwise'),
  agents: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      role: Role,
      reports_to: z.string().nullable().optional().describe('its manager; null for the root'),
      description: z.string(),
      peers: z.array(z.string()),
      tools: z.array(
        z.object({ tool: z.string(), grant: Grant.optional(), target: z.string().optional() }),
      ),
      tool_names: z.array(z.string()).describe('the tool names its model sees'),
    }),
  ),
};

/** `run_task` and `ask_agent`: the run, its answer (or why it has none) and its cost. */
export const RunOutcomeOutput = {
  runId: z.string(),
  status: z.enum(['completed', 'failed', 'cancelled']),
  answer: z.string().optional().describe('the entry agent’s answer, when the run completed'),
  error: z.string().optional().describe('why the run failed or was cancelled'),
  cost: CostOutput,
};

/** One escalation, as the store keeps it (times in ms since the epoch). */
export const EscalationOutput = z.object({
  escalationId: z.string(),
  runId: z.string(),
  requestMessageId: z.string(),
  asker: z.string().describe('who waited'),
  waitedOn: z.string().describe('on whom'),
  to: z.string().describe('where the rule sent it: an agent id, or human / human:<name>'),
  rule: z.string(),
  reason: z.string(),
  level: z.number().int(),
  firedAt: z.number(),
  status: z.enum(['open', 'answered', 'cancelled']),
  answer: z.string().optional(),
  answeredBy: z.string().optional(),
  answeredAt: z.number().optional(),
});

/** `get_run`: a run's facts, the latest of its messages, its escalations and its cost. */
export const RunDetailsOutput = {
  runId: z.string(),
  org: z.string(),
  task: z.string(),
  entry: z.string(),
  status: z.enum(['running', 'completed', 'failed', 'cancelled']),
  startedAt: z.string().describe('ISO 8601'),
  endedAt: z.string().optional(),
  answer: z.string().optional(),
  agents: z.array(z.string()).describe('every agent that worked on it, in the order they started'),
  messageCount: z.number().int(),
  messages: z
    .array(
      z.object({
        at: z.string(),
        from: z.string(),
        to: z.string(),
        kind: z.string(),
        text: z.string(),
      }),
    )
    .describe('the latest messages, each cut to 300 characters'),
  escalations: z.array(
    EscalationOutput.pick({
      escalationId: true,
      asker: true,
      to: true,
      rule: true,
      status: true,
      reason: true,
    }),
  ),
  cost: CostOutput,
  transcript: z.string().describe('the URI of the full transcript resource'),
};

/** `list_escalations`. */
export const ListEscalationsOutput = { escalations: z.array(EscalationOutput) };

/** `answer_escalation`: the escalation as answered. */
export const AnswerEscalationOutput = { escalation: EscalationOutput };
