import { describe, expect, it } from 'vitest';
import type { ModelMessage } from '../../src/model/model.js';
import type { AgentDefinition } from '../../src/org/org-definition.js';
import { sessionFromRecord, sessionRecordOf } from '../../src/runtime/session-record.js';
import type { SessionState } from '../../src/runtime/session.js';
import { makeMessage } from '../helpers/a2a-message.js';

const agent: AgentDefinition = {
  id: 'dba',
  name: 'DBA',
  role: 'domain',
  reports_to: 'boss',
  peers: [],
  description: 'looks after the database',
  prompt: 'You look after the database.',
  tools: [],
  external_tools: [],
  metrics: [],
  limits: {},
  source: { file: 'dba.yaml', format: 'yaml' },
};
const agentOf = (id: string) => (id === agent.id ? agent : undefined);
const said = (text: string): ModelMessage => ({ role: 'user', content: text });

function session(messages: ModelMessage[]): SessionState {
  return {
    id: 'dba:m1',
    runId: 'run-1',
    agent,
    request: makeMessage({ messageId: 'm1', contextId: 'run-1', to: 'dba' }),
    chain: ['boss', 'dba'],
    messages,
    savedMessages: 0,
    toolOrder: [],
    results: new Map(),
    open: new Map(),
    turns: 1,
    tokens: 10,
    status: 'running',
  };
}

describe('a session’s record', () => {
  it('gives the store only the messages it has not had yet', () => {
    const live = session([said('a'), said('b')]);

    const first = sessionRecordOf(live, 1_000);
    live.messages.push(said('c'));
    const second = sessionRecordOf(live, 2_000);
    const third = sessionRecordOf(live, 3_000);

    expect(first).toMatchObject({ messagesFrom: 0, messages: [said('a'), said('b')] });
    expect(second).toMatchObject({ messagesFrom: 2, messages: [said('c')] });
    expect(third).toMatchObject({ messagesFrom: 3, messages: [] });
    expect(third.state).toMatchObject({ messageCount: 3 });
    expect(third.state).not.toHaveProperty('messages');
  });

  it('is rebuilt with the messages its state counts, not rows a crash left past them', () => {
    const live = session([said('a'), said('b')]);
    const record = sessionRecordOf(live, 1_000);

    const rebuilt = sessionFromRecord(
      { ...record, messages: [said('a'), said('b'), said('written before the crash')] },
      agentOf,
    );

    expect(rebuilt.messages).toEqual([said('a'), said('b')]);
    expect(rebuilt.savedMessages).toBe(2);
    rebuilt.messages.push(said('replayed'));
    // The replayed turn's message takes the position of the one the crash left.
    expect(sessionRecordOf(rebuilt, 2_000)).toMatchObject({
      messagesFrom: 2,
      messages: [said('replayed')],
    });
  });

  it('reads a record written before the conversation was kept apart, and saves all of it next', () => {
    const live = session([said('a'), said('b')]);
    const state = { ...(sessionRecordOf(live, 1_000).state as Record<string, unknown>) };
    delete state.messageCount;
    const older = {
      sessionId: live.id,
      runId: live.runId,
      agent: agent.id,
      status: 'waiting',
      state: { ...state, messages: [said('a'), said('b')] },
      updatedAt: 1_000,
    };

    const rebuilt = sessionFromRecord(older, agentOf);

    expect(rebuilt.messages).toEqual([said('a'), said('b')]);
    expect(sessionRecordOf(rebuilt, 2_000)).toMatchObject({
      messagesFrom: 0,
      messages: [said('a'), said('b')],
    });
  });
});
