import type { A2AMessage } from '../a2a/message.js';
import { CadreError } from '../errors.js';
import type { ModelMessage, ToolResultBlock } from '../model/model.js';
import type { AgentDefinition } from '../org/org-definition.js';
import type { SessionRecord } from '../store/store.js';
import type { OpenRequest, SessionState } from './session.js';

/** A session as JSON: what `SessionRecord.state` holds. */
interface StoredSession {
  request: A2AMessage;
  chain: string[];
  /** How many messages of the conversation (`SessionRecord.messages`) this state goes with. */
  messageCount?: number;
  /** The conversation itself, in records written before it was kept apart (schema 2). */
  messages?: ModelMessage[];
  toolOrder: string[];
  results: ToolResultBlock[];
  open: OpenRequest[];
  turns: number;
  tokens: number;
}

/**
 * The store's record of a session, a snapshot of it as it is now: its state, and the messages
 * of its conversation not yet given to the store (which then counts them as given).
 */
export function sessionRecordOf(session: SessionState, at: number): SessionRecord {
  const messagesFrom = Math.min(session.savedMessages, session.messages.length);
  const added = session.messages.slice(messagesFrom);
  session.savedMessages = session.messages.length;
  const state: StoredSession = {
    request: session.request,
    chain: session.chain,
    messageCount: session.messages.length,
    toolOrder: session.toolOrder,
    results: [...session.results.values()],
    open: [...session.open.values()],
    turns: session.turns,
    tokens: session.tokens,
  };
  return {
    sessionId: session.id,
    runId: session.runId,
    agent: session.agent.id,
    status: session.status,
    // A snapshot: the session goes on changing while the store writes.
    state: JSON.parse(JSON.stringify(state)) as unknown,
    updatedAt: at,
    messages: JSON.parse(JSON.stringify(added)) as unknown[],
    messagesFrom,
  };
}

const statuses = new Set<SessionState['status']>([
  'running',
  'waiting',
  'answered',
  'stopped',
  'failed',
  'cancelled',
]);

/** Rebuilds a session from its record; an agent the org no longer has is an error. */
export function sessionFromRecord(
  record: SessionRecord,
  agentOf: (id: string) => AgentDefinition | undefined,
): SessionState {
  const agent = agentOf(record.agent);
  if (!agent) {
    throw new CadreError({
      code: 'resume-agent-missing',
      message: `run ${record.runId} has a session of agent '${record.agent}', which the org no longer has`,
      hint: 'resume the run with the org it was started with',
    });
  }
  const state = record.state as StoredSession;
  const stored = (record.messages ?? []) as ModelMessage[];
  const messages =
    state.messageCount === undefined ? (state.messages ?? []) : stored.slice(0, state.messageCount);
  const status = statuses.has(record.status as SessionState['status'])
    ? (record.status as SessionState['status'])
    : 'running';
  return {
    id: record.sessionId,
    runId: record.runId,
    agent,
    request: state.request,
    chain: state.chain,
    messages,
    // A record from before the conversation was kept apart: the next save writes all of it.
    savedMessages: state.messageCount === undefined ? 0 : messages.length,
    toolOrder: state.toolOrder,
    results: new Map(state.results.map((result) => [result.tool_use_id, result])),
    open: new Map(state.open.map((open) => [open.messageId, open])),
    turns: state.turns,
    tokens: state.tokens,
    status,
  };
}
