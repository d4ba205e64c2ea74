import type { A2AMessage } from '../a2a/message.js';
import type { ModelMessage, ToolResultBlock } from '../model/model.js';
import type { AgentDefinition } from '../org/org-definition.js';

/** A request an agent sent and is waiting on, tied to the tool call that sent it. */
export interface OpenRequest {
  toolUseId: string;
  messageId: string;
  to: string;
  kind: 'task' | 'question' | 'escalation';
}

/**
 * One agent working on one incoming request: its conversation with the model and the requests
 * it has out. Plain data, so it can be written to a store and rebuilt from it.
 */
export interface SessionState {
  id: string;
  runId: string;
  agent: AgentDefinition;
  /** The request this session answers. */
  request: A2AMessage;
  /** The agents on the delegation path to this session, this agent last. */
  chain: string[];
  messages: ModelMessage[];
  /** How many of `messages` a durable store has been given (checkpoints append only the rest). */
  savedMessages: number;
  /** Tool calls of the last model turn, in order; their results go back in this order. */
  toolOrder: string[];
  /** Results in hand for the last turn's tool calls. */
  results: Map<string, ToolResultBlock>;
  /** Requests out, by the message id that carried them. */
  open: Map<string, OpenRequest>;
  turns: number;
  tokens: number;
  status: 'running' | 'waiting' | 'answered' | 'stopped' | 'failed' | 'cancelled';
}

/** The data part cadre puts on requests: the delegation chain, for the loop detector. */
export function chainOf(message: A2AMessage): string[] {
  for (const part of message.parts) {
    if (part.kind === 'data' && Array.isArray(part.data.chain)) {
      return part.data.chain.filter((entry): entry is string => typeof entry === 'string');
    }
  }
  return [message.from];
}

/** Whether a reply reports a failure (a guard, a model error) rather than an answer. */
export function replyFailed(message: A2AMessage): boolean {
  return message.parts.some((part) => part.kind === 'data' && part.data.failed === true);
}

/** Records the result of one tool call of a session's last turn. */
export function recordResult(
  session: SessionState,
  toolUseId: string,
  content: string,
  isError: boolean,
): void {
  session.results.set(
    toolUseId,
    isError
      ? { type: 'tool_result', tool_use_id: toolUseId, content, is_error: true }
      : { type: 'tool_result', tool_use_id: toolUseId, content },
  );
}
