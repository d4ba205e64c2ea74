import { describe, expect, it } from 'vitest';
import type { Model, ModelMessage } from '../../src/model/model.js';
import type { OrgDefinition } from '../../src/org/org-definition.js';
import { createKernel } from '../../src/runtime/kernel.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import type { SessionRecord, Store } from '../../src/store/store.js';
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

describe('a checkpoint the store refuses', () => {
  it('gives the same messages again at the next checkpoint, so the stored conversation has no gap', async () => {
    const memory = createMemoryStore();
    let refuse = true;
    const store: Store = {
      ...memory,
      durable: true,
      async saveSession(record) {
        if (refuse) {
          refuse = false;
          throw new Error('the store is down');
        }
        return memory.saveSession(record);
      },
    };
    const org: OrgDefinition = {
      name: 'one',
      title: 'one',
      root: 'dba',
      dir: '.',
      defaults: {},
      targets: {},
      mcp_servers: {},
      rule_sets: {},
      rule_set_files: {},
      agents: [{ ...agent, reports_to: null }],
    };
    const model: Model = {
      name: 'never-called',
      turn: () => Promise.reject(new Error('no model turn in this test')),
    };
    const kernel = createKernel({ org, model, store });
    const live = session([said('a'), said('b')]);

    await expect(kernel.checkpoint(live)).rejects.toThrow('the store is down');
    live.messages.push(said('c'));
    await kernel.checkpoint(live);

    const [stored] = await memory.sessions('run-1');
    expect(stored?.messages).toEqual([said('a'), said('b'), said('c')]);
    expect(sessionFromRecord(stored as SessionRecord, agentOf).messages).toEqual([
      said('a'),
      said('b'),
      said('c'),
    ]);
  });
});
