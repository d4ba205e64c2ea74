import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { A2AMessage } from '../../src/a2a/message.js';
import type { RunEvent } from '../../src/runtime/run-event.js';
import type {
  EscalationRecord,
  OpenRequestRecord,
  RunRecord,
  SessionRecord,
  Store,
} from '../../src/store/store.js';
import { makeMessage } from '../helpers/a2a-message.js';

/** Options for {@link storeContract}. */
export interface StoreContractOptions {
  /**
   * Durable stores only: opens another store over the same data as the stores `open` gives
   * (a second process on the same file or schema). Stores without it (the memory store) do
   * not get the durability tests.
   */
  reopen?: () => Promise<Store>;
}

let counter = 0;

/** An id no other test uses, even over a database that earlier tests (or runs) wrote to. */
function unique(label: string): string {
  counter += 1;
  return `${label}-${counter}-${randomUUID().slice(0, 8)}`;
}

function makeRun(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    runId: unique('run'),
    org: 'esa',
    task: 'check the replica lag',
    entry: 'ceo',
    status: 'running',
    startedAt: 1_000,
    ...overrides,
  };
}

function makeRequest(runId: string, overrides: Partial<OpenRequestRecord> = {}): OpenRequestRecord {
  return {
    messageId: unique('request'),
    runId,
    from: 'domain-1',
    to: 'domain-2',
    kind: 'question',
    taskId: unique('task'),
    sentAt: 1_000,
    dueAt: 1_800_000,
    level: 0,
    status: 'open',
    ...overrides,
  };
}

/** A task request no rule limits: it has no `dueAt` at all. */
function undatedRequest(runId: string): OpenRequestRecord {
  const request = makeRequest(runId, { kind: 'task' });
  delete request.dueAt;
  return request;
}

function makeEscalation(
  runId: string,
  overrides: Partial<EscalationRecord> = {},
): EscalationRecord {
  return {
    escalationId: unique('escalation'),
    runId,
    requestMessageId: unique('request'),
    asker: 'domain-1',
    waitedOn: 'domain-2',
    to: 'chief-1',
    rule: 'peer-wait',
    reason: 'unanswered for 30 minutes',
    level: 1,
    firedAt: 1_801_000,
    status: 'open',
    ...overrides,
  };
}

function makeSession(runId: string, overrides: Partial<SessionRecord> = {}): SessionRecord {
  return {
    sessionId: unique('session'),
    runId,
    agent: 'chief-1',
    status: 'waiting',
    state: {
      conversation: [
        { role: 'user', content: [{ type: 'text', text: 'check the replica lag' }] },
        {
          role: 'assistant',
          content: [
            { type: 'tool_use', id: 'toolu_1', name: 'delegate_task', input: { to: 'dba' } },
          ],
        },
      ],
      openRequests: [{ messageId: 'message-9', toolUseId: 'toolu_1', answered: false }],
      counters: { turns: 2, tokens: 1_234 },
      note: null,
      nested: { deep: [1, [2, { three: true }]], text: 'ünïcødé — "quoted" \\ back' },
    },
    updatedAt: 2_000,
    ...overrides,
  };
}

function messageIn(runId: string, overrides: Partial<A2AMessage> = {}): A2AMessage {
  return makeMessage({ messageId: unique('message'), contextId: runId, ...overrides });
}

function runEvents(runId: string): RunEvent[] {
  return [
    { type: 'run-start', runId, agent: '@user', at: 1_000, task: 'go', entry: 'ceo', org: 'esa' },
    {
      type: 'tool-call-start',
      runId,
      agent: 'dba',
      at: 1_001,
      sessionId: 'session-1',
      toolUseId: 'toolu_1',
      tool: 'psql',
      input: { sql: 'select 1', options: { rows: 10, readOnly: true }, tags: ['a', 'b'] },
    },
    {
      type: 'model-call-end',
      runId,
      agent: 'dba',
      at: 1_002,
      sessionId: 'session-1',
      turn: 1,
      usage: {
        input_tokens: 10,
        output_tokens: 5,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
      latencyMs: 12.5,
      costUsd: 0.000123,
      attempts: 1,
      stopReason: 'end_turn',
      toolCalls: 0,
    },
    {
      type: 'run-end',
      runId,
      agent: '@user',
      at: 1_003,
      status: 'completed',
      answer: 'lag is 0',
      totals: {
        modelCalls: 1,
        inputTokens: 10,
        outputTokens: 5,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        costUsd: 0.000123,
        toolCalls: 1,
        messages: 2,
        wallMs: 3,
      },
    },
  ];
}

/**
 * The behaviour every {@link Store} promises, as a vitest suite. `open` gives a store (each is
 * closed after its test); stores it gives may share one database, since every test uses ids of
 * its own and reads only what it wrote. Runs ordered by time use start times no other test uses.
 */
export function storeContract(
  name: string,
  open: () => Promise<Store>,
  options: StoreContractOptions = {},
): void {
  describe(`Store contract: ${name}`, () => {
    const opened: Store[] = [];

    async function track(store: Promise<Store>): Promise<Store> {
      const ready = await store;
      opened.push(ready);
      return ready;
    }
    const openStore = () => track(open());

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });

    describe('runs', () => {
      it('saves a run and reads it back as it was saved', async () => {
        const store = await openStore();
        const running = makeRun();
        const ended = makeRun({ status: 'failed', endedAt: 5_000, answer: 'no quorum' });

        await store.saveRun(running);
        await store.saveRun(ended);

        expect(await store.getRun(running.runId)).toStrictEqual(running);
        expect(await store.getRun(ended.runId)).toStrictEqual(ended);
      });

      it('keeps what a resume needs: the error, the totals and the settings', async () => {
        const store = await openStore();
        const run = makeRun({
          status: 'cancelled',
          endedAt: 7_000,
          error: 'cancelled by the person',
          totals: {
            modelCalls: 3,
            inputTokens: 1_200,
            outputTokens: 340,
            cacheReadTokens: 900,
            cacheWriteTokens: 300,
            costUsd: 0.0123,
            toolCalls: 2,
            messages: 5,
            wallMs: 4_321,
          },
          settings: {
            orgDir: '/orgs/esa',
            model: 'rehearsal:drill.yaml',
            tools: 'rehearsal',
            timeScale: 1000,
            clockOrigin: 1_700_000_000_000,
            requestId: 'message-0',
          },
        });

        await store.saveRun(run);

        expect(await store.getRun(run.runId)).toStrictEqual(run);
      });

      it('reads an unknown run as undefined', async () => {
        const store = await openStore();

        expect(await store.getRun(unique('run'))).toBeUndefined();
      });

      it('lists the most recent runs first, up to the limit', async () => {
        const store = await openStore();
        const base = 4_000_000_000_000 + Math.floor(Math.random() * 1_000_000) * 10;
        const oldest = makeRun({ startedAt: base + 1 });
        const newest = makeRun({ startedAt: base + 3 });
        const middle = makeRun({ startedAt: base + 2 });
        for (const run of [oldest, newest, middle]) await store.saveRun(run);

        const listed = await store.listRuns(2);

        expect(listed).toStrictEqual([newest, middle]);
      });

      it('updates a run saved again under its id', async () => {
        const store = await openStore();
        const run = makeRun();
        await store.saveRun(run);
        const completed: RunRecord = { ...run, status: 'completed', endedAt: 9_000, answer: 'ok' };

        await store.saveRun(completed);

        expect(await store.getRun(run.runId)).toStrictEqual(completed);
        const listed = await store.listRuns(1_000);
        expect(listed.filter((each) => each.runId === run.runId)).toStrictEqual([completed]);
      });

      it('leases a run to one owner at a time, renewable by it, free again once it lapses', async () => {
        const store = await openStore();
        const run = makeRun();
        await store.saveRun(run);

        expect(await store.claimRun(run.runId, 'process-a', 10_000, 1_000)).toBe(true);
        expect(await store.claimRun(run.runId, 'process-b', 12_000, 5_000)).toBe(false);
        // The holder renews; another owner waits for the lease to lapse.
        expect(await store.claimRun(run.runId, 'process-a', 20_000, 9_000)).toBe(true);
        expect(await store.claimRun(run.runId, 'process-b', 25_000, 15_000)).toBe(false);
        expect(await store.claimRun(run.runId, 'process-b', 40_000, 20_001)).toBe(true);
        expect(await store.claimRun(run.runId, 'process-a', 45_000, 21_000)).toBe(false);
        // Saving the run again does not touch its lease.
        await store.saveRun({ ...run, status: 'running' });
        expect(await store.claimRun(run.runId, 'process-a', 45_000, 21_000)).toBe(false);
        expect(await store.getRun(run.runId)).toStrictEqual(run);
      });

      it('leases no run it does not have', async () => {
        const store = await openStore();
        expect(await store.claimRun('no-such-run', 'process-a', 10_000, 1_000)).toBe(false);
      });
    });

    describe('events', () => {
      it('appends events and reads them back in order with their fields intact', async () => {
        const store = await openStore();
        const runId = unique('run');
        const events = runEvents(runId);

        for (const event of events) await store.appendEvents([event]);

        expect(await store.events(runId)).toStrictEqual(events);
      });

      it('appends a batch in its order, after the batches before it, and an empty batch changes nothing', async () => {
        const store = await openStore();
        const runId = unique('run');
        const events = runEvents(runId);
        // More rows than one SQL insert takes, so a batch is split and still kept in order.
        const many: RunEvent[] = Array.from({ length: 450 }, (_, index) => ({
          type: 'model-call-start',
          runId,
          agent: `agent-${index % 7}`,
          at: 2_000 + index,
          sessionId: `session-${index}`,
          turn: index,
        }));

        await store.appendEvents(events.slice(0, 2));
        await store.appendEvents([]);
        await store.appendEvents([...events.slice(2), ...many]);

        expect(await store.events(runId)).toStrictEqual([...events, ...many]);
      });

      it('keeps the order of the calls for events appended without waiting', async () => {
        const store = await openStore();
        const runId = unique('run');
        const events: RunEvent[] = Array.from({ length: 30 }, (_, index) => ({
          type: 'model-call-start',
          runId,
          agent: 'dba',
          at: 1_000,
          sessionId: 'session-1',
          turn: index,
        }));

        await Promise.all([
          ...events.slice(0, 10).map((event) => store.appendEvents([event])),
          store.appendEvents(events.slice(10, 25)),
          ...events.slice(25).map((event) => store.appendEvents([event])),
        ]);

        expect(await store.events(runId)).toStrictEqual(events);
      });

      it('keeps the events of each run apart', async () => {
        const store = await openStore();
        const first = unique('run');
        const second = unique('run');
        const [a, b] = [runEvents(first), runEvents(second)];
        for (const [index, event] of a.entries()) {
          await store.appendEvents([event]);
          const other = b[index];
          if (other) await store.appendEvents([other]);
        }

        expect(await store.events(first)).toStrictEqual(a);
        expect(await store.events(second)).toStrictEqual(b);
        expect(await store.events(unique('run'))).toStrictEqual([]);
      });
    });

    describe('messages', () => {
      it('keeps one message when it is written twice under one id', async () => {
        const store = await openStore();
        const runId = unique('run');
        const message = messageIn(runId);

        await store.putMessage(message);
        await store.putMessage({ ...message, parts: [{ kind: 'text', text: 'changed' }] });

        expect(await store.getMessage(message.messageId)).toStrictEqual({
          message,
          status: 'pending',
        });
        expect(await store.pendingMessages(runId)).toStrictEqual([message]);
      });

      it('reads a message back with its parts, tags and optional fields', async () => {
        const store = await openStore();
        const message = messageIn(unique('run'), {
          parts: [
            { kind: 'text', text: 'replica lag is 40 s' },
            { kind: 'data', data: { lagSeconds: 40, hosts: ['db-1', 'db-2'], ok: false } },
          ],
          kind: 'escalation',
          severity: 'critical',
          tags: ['data-loss'],
          inReplyTo: 'message-0',
          deadline: 1_800_000,
          hop: 3,
          sentAt: 1_700_000_000_000,
        });

        await store.putMessage(message);

        expect(await store.getMessage(message.messageId)).toStrictEqual({
          message,
          status: 'pending',
        });
      });

      it('reads an unknown message as undefined', async () => {
        const store = await openStore();

        expect(await store.getMessage(unique('message'))).toBeUndefined();
      });

      it('marks a message handled the first time only', async () => {
        const store = await openStore();
        const message = messageIn(unique('run'));
        await store.putMessage(message);

        expect(await store.markHandled(message.messageId, 5_000)).toBe(true);
        expect(await store.markHandled(message.messageId, 6_000)).toBe(false);
        expect(await store.getMessage(message.messageId)).toStrictEqual({
          message,
          status: 'handled',
          settledAt: 5_000,
        });
      });

      it('marks a message handled once when two calls race', async () => {
        const store = await openStore();
        const message = messageIn(unique('run'));
        await store.putMessage(message);

        const results = await Promise.all([
          store.markHandled(message.messageId, 5_000),
          store.markHandled(message.messageId, 5_001),
        ]);

        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it('does not mark an unknown message handled', async () => {
        const store = await openStore();

        expect(await store.markHandled(unique('message'), 5_000)).toBe(false);
      });

      it('lists only the pending messages of a run, oldest first', async () => {
        const store = await openStore();
        const runId = unique('run');
        const third = messageIn(runId, { sentAt: 30 });
        const first = messageIn(runId, { sentAt: 10 });
        const handled = messageIn(runId, { sentAt: 20 });
        const tiedA = messageIn(runId, { sentAt: 40 });
        const tiedB = messageIn(runId, { sentAt: 40 });
        const elsewhere = messageIn(unique('run'), { sentAt: 5 });
        for (const message of [third, first, handled, tiedA, tiedB, elsewhere]) {
          await store.putMessage(message);
        }
        await store.markHandled(handled.messageId, 25);

        expect(await store.pendingMessages(runId)).toStrictEqual([first, third, tiedA, tiedB]);
        expect(await store.pendingMessages(unique('run'))).toStrictEqual([]);
      });
    });

    describe('sessions', () => {
      it('saves sessions, replacing one saved again, and lists them per run', async () => {
        const store = await openStore();
        const runId = unique('run');
        const first = makeSession(runId);
        const second = makeSession(runId, { agent: 'dba', state: { conversation: [] } });
        const elsewhere = makeSession(unique('run'));
        for (const session of [first, second, elsewhere]) await store.saveSession(session);
        const resumed: SessionRecord = {
          ...first,
          status: 'answered',
          state: { ...(first.state as object), counters: { turns: 3, tokens: 2_000 } },
          updatedAt: 3_000,
        };

        await store.saveSession(resumed);

        expect(await store.sessions(runId)).toStrictEqual([resumed, second]);
        expect(await store.sessions(elsewhere.runId)).toStrictEqual([elsewhere]);
        expect(await store.sessions(unique('run'))).toStrictEqual([]);
      });
    });

    describe('conversations', () => {
      const message = (text: string) => ({ role: 'user', content: [{ type: 'text', text }] });

      it('appends a session’s messages save after save and gives them back whole, in order', async () => {
        const store = await openStore();
        const runId = unique('run');
        const session = makeSession(runId);
        const other = makeSession(runId, { agent: 'dba' });
        await store.saveSession({ ...session, messages: [message('a'), message('b')] });
        await store.saveSession({ ...other, messages: [message('other')] });
        const later = { ...session, status: 'answered', updatedAt: 4_000 };
        await store.saveSession({ ...later, messages: [message('c')], messagesFrom: 2 });
        // A save with nothing new keeps the conversation as it is.
        await store.saveSession({ ...later, messages: [], messagesFrom: 3 });

        expect(await store.sessions(runId)).toStrictEqual([
          { ...later, messages: [message('a'), message('b'), message('c')] },
          { ...other, messages: [message('other')] },
        ]);
        expect(await store.sessions(unique('run'))).toStrictEqual([]);
      });

      it('replaces a position saved again (a turn replayed after a crash) and keeps the rest', async () => {
        const store = await openStore();
        const session = makeSession(unique('run'));
        await store.saveSession({ ...session, messages: ['a', 'b', 'c'].map(message) });
        await store.saveSession({ ...session, messages: [message('B')], messagesFrom: 1 });

        const [saved] = await store.sessions(session.runId);
        expect(saved?.messages).toStrictEqual([message('a'), message('B'), message('c')]);
      });

      it('keeps a long conversation given in one save (more rows than one insert takes)', async () => {
        const store = await openStore();
        const session = makeSession(unique('run'));
        const long = Array.from({ length: 450 }, (_, index) => message(`m${index}`));
        await store.saveSession({ ...session, messages: long.slice(0, 10) });
        await store.saveSession({ ...session, messages: long.slice(10), messagesFrom: 10 });

        const [saved] = await store.sessions(session.runId);
        expect(saved?.messages).toStrictEqual(long);
      });
    });

    describe('open requests', () => {
      it('saves a request, reads it back and updates its status', async () => {
        const store = await openStore();
        const request = makeRequest(unique('run'));
        const undated = undatedRequest(request.runId);
        await store.saveRequest(request);
        await store.saveRequest(undated);

        expect(await store.getRequest(request.messageId)).toStrictEqual(request);
        expect(await store.getRequest(undated.messageId)).toStrictEqual(undated);

        const answered: OpenRequestRecord = { ...request, status: 'answered', level: 1 };
        await store.saveRequest(answered);

        expect(await store.getRequest(request.messageId)).toStrictEqual(answered);
        expect(await store.getRequest(unique('request'))).toBeUndefined();
      });

      it("keeps a request's engine state as it was given", async () => {
        const store = await openStore();
        const state = {
          messageId: 'm-1',
          waitingOn: ['chief-1'],
          fired: [{ escalationId: 'e-1', to: 'chief-1', level: 1, rule: 'peer', at: 1_801_000 }],
          ladder: { rule: 'on-call', step: 2, stepStartedAt: 900 },
          tags: ['data-loss'],
        };
        const request = makeRequest(unique('run'), { state });

        await store.saveRequest(request);

        expect(await store.getRequest(request.messageId)).toStrictEqual(request);
        expect(await store.openRequests(request.runId)).toStrictEqual([request]);
      });

      it('lists the requests of a run still waiting (open or escalated), the soonest due first and undated last', async () => {
        const store = await openStore();
        const runId = unique('run');
        const later = makeRequest(runId, { dueAt: 3_000 });
        const undated = undatedRequest(runId);
        const sooner = makeRequest(runId, { dueAt: 1_000 });
        const answered = makeRequest(runId, { dueAt: 500, status: 'answered' });
        const escalated = makeRequest(runId, { dueAt: 600, status: 'escalated' });
        const elsewhere = makeRequest(unique('run'), { dueAt: 100 });
        for (const request of [later, undated, sooner, answered, escalated, elsewhere]) {
          await store.saveRequest(request);
        }

        expect(await store.openRequests(runId)).toStrictEqual([escalated, sooner, later, undated]);
      });

      it('lists the open requests of every run when no run is named', async () => {
        const store = await openStore();
        const first = makeRequest(unique('run'), { dueAt: 2_000 });
        const second = makeRequest(unique('run'), { dueAt: 1_000 });
        const closed = makeRequest(first.runId, { dueAt: 1_500, status: 'cancelled' });
        for (const request of [first, second, closed]) await store.saveRequest(request);
        const mine = new Set([first.messageId, second.messageId, closed.messageId]);

        const listed = await store.openRequests();

        expect(listed.filter((request) => mine.has(request.messageId))).toStrictEqual([
          second,
          first,
        ]);
        expect(
          listed.every((request) => request.status === 'open' || request.status === 'escalated'),
        ).toBe(true);
        const due = listed.map((request) => request.dueAt ?? Infinity);
        expect(due).toStrictEqual([...due].sort((a, b) => a - b));
      });
    });

    describe('escalations', () => {
      it('saves an escalation, reads it back and updates it', async () => {
        const store = await openStore();
        const escalation = makeEscalation(unique('run'));
        await store.saveEscalation(escalation);

        expect(await store.getEscalation(escalation.escalationId)).toStrictEqual(escalation);

        const cancelled: EscalationRecord = { ...escalation, status: 'cancelled' };
        await store.saveEscalation(cancelled);

        expect(await store.getEscalation(escalation.escalationId)).toStrictEqual(cancelled);
        expect(await store.getEscalation(unique('escalation'))).toBeUndefined();
      });

      it('lists escalations oldest first, the open ones only when asked', async () => {
        const store = await openStore();
        const runId = unique('run');
        const second = makeEscalation(runId, { firedAt: 2_000 });
        const first = makeEscalation(runId, { firedAt: 1_000 });
        const answered = makeEscalation(runId, {
          firedAt: 1_500,
          status: 'answered',
          answer: 'approve',
          answeredBy: 'ceo',
          answeredAt: 1_600,
        });
        const elsewhere = makeEscalation(unique('run'), { firedAt: 1_200 });
        for (const escalation of [second, first, answered, elsewhere]) {
          await store.saveEscalation(escalation);
        }

        expect(await store.listEscalations({ runId })).toStrictEqual([first, answered, second]);
        expect(await store.listEscalations({ runId, open: true })).toStrictEqual([first, second]);
        expect(await store.listEscalations({ runId, open: false })).toStrictEqual([
          first,
          answered,
          second,
        ]);
        const everyOpen = await store.listEscalations({ open: true });
        expect(everyOpen.every((escalation) => escalation.status === 'open')).toBe(true);
        expect(everyOpen.map((escalation) => escalation.escalationId)).toEqual(
          expect.arrayContaining([first.escalationId, second.escalationId, elsewhere.escalationId]),
        );
        const every = await store.listEscalations({});
        expect(every.map((escalation) => escalation.escalationId)).toContain(answered.escalationId);
      });

      it('answers an open escalation once, and refuses a second answer', async () => {
        const store = await openStore();
        const escalation = makeEscalation(unique('run'));
        await store.saveEscalation(escalation);
        const expected: EscalationRecord = {
          ...escalation,
          status: 'answered',
          answer: 'fail over to the replica',
          answeredBy: 'ceo',
          answeredAt: 2_000_000,
        };

        const answered = await store.answerEscalation(
          escalation.escalationId,
          'fail over to the replica',
          'ceo',
          2_000_000,
        );
        const again = await store.answerEscalation(escalation.escalationId, 'no', 'chief-1', 1);

        expect(answered).toStrictEqual(expected);
        expect(again).toBeUndefined();
        expect(await store.getEscalation(escalation.escalationId)).toStrictEqual(expected);
      });

      it('does not answer an unknown or cancelled escalation', async () => {
        const store = await openStore();
        const cancelled = makeEscalation(unique('run'), { status: 'cancelled' });
        await store.saveEscalation(cancelled);

        expect(await store.answerEscalation(unique('escalation'), 'yes', 'ceo', 1)).toBe(undefined);
        expect(await store.answerEscalation(cancelled.escalationId, 'yes', 'ceo', 1)).toBe(
          undefined,
        );
        expect(await store.getEscalation(cancelled.escalationId)).toStrictEqual(cancelled);
      });

      it('answers an escalation once when two answers race', async () => {
        const store = await openStore();
        const escalation = makeEscalation(unique('run'));
        await store.saveEscalation(escalation);

        const results = await Promise.all([
          store.answerEscalation(escalation.escalationId, 'approve', 'ceo', 2_000),
          store.answerEscalation(escalation.escalationId, 'deny', 'human', 2_001),
        ]);

        const winners = results.filter((result) => result !== undefined);
        expect(winners).toHaveLength(1);
        expect(await store.getEscalation(escalation.escalationId)).toStrictEqual(winners[0]);
      });
    });

    const { reopen } = options;
    if (reopen) {
      describe('durability', () => {
        const reopenStore = () => track(reopen());

        it('keeps everything it was given after close and reopen', async () => {
          const store = await openStore();
          const run = makeRun({ status: 'completed', endedAt: 2_000, answer: 'done' });
          const events = runEvents(run.runId);
          const handled = messageIn(run.runId, { sentAt: 1 });
          const pending = messageIn(run.runId, { sentAt: 2 });
          const session = makeSession(run.runId);
          const request = makeRequest(run.runId);
          const escalation = makeEscalation(run.runId);
          const answeredLater = makeEscalation(run.runId, { firedAt: 1_900_000 });
          await store.saveRun(run);
          await store.appendEvents(events);
          await store.putMessage(handled);
          await store.putMessage(pending);
          await store.markHandled(handled.messageId, 3);
          await store.saveSession(session);
          await store.saveRequest(request);
          await store.saveEscalation(escalation);
          await store.saveEscalation(answeredLater);
          await store.close();

          const again = await reopenStore();

          expect(await again.getRun(run.runId)).toStrictEqual(run);
          expect(await again.events(run.runId)).toStrictEqual(events);
          expect(await again.getMessage(handled.messageId)).toStrictEqual({
            message: handled,
            status: 'handled',
            settledAt: 3,
          });
          expect(await again.pendingMessages(run.runId)).toStrictEqual([pending]);
          expect(await again.markHandled(handled.messageId, 4)).toBe(false);
          expect(await again.sessions(run.runId)).toStrictEqual([session]);
          expect(await again.openRequests(run.runId)).toStrictEqual([request]);
          expect(await again.listEscalations({ runId: run.runId, open: true })).toStrictEqual([
            escalation,
            answeredLater,
          ]);
          expect(
            await again.answerEscalation(answeredLater.escalationId, 'yes', 'ceo', 2_000_000),
          ).toMatchObject({ status: 'answered', answer: 'yes' });
        });

        it('hands out markHandled and answerEscalation once across two open stores', async () => {
          const first = await openStore();
          const second = await reopenStore();
          const runId = unique('run');
          const message = messageIn(runId);
          const escalation = makeEscalation(runId);
          await first.putMessage(message);
          await first.saveEscalation(escalation);

          const handled = await Promise.all([
            first.markHandled(message.messageId, 10),
            second.markHandled(message.messageId, 11),
          ]);
          const answered = await Promise.all([
            first.answerEscalation(escalation.escalationId, 'approve', 'ceo', 12),
            second.answerEscalation(escalation.escalationId, 'deny', 'human', 13),
          ]);

          expect(handled.filter(Boolean)).toHaveLength(1);
          expect(answered.filter((result) => result !== undefined)).toHaveLength(1);
          expect(await second.pendingMessages(runId)).toStrictEqual([]);
        });
      });
    }
  });
}
