import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/store/memory-store.js';
import { storeContract } from '../contracts/store.contract.js';
import { makeMessage } from '../helpers/a2a-message.js';
import type { RunEvent } from '../../src/runtime/run-event.js';

// The memory store keeps nothing after close, so it gets no `reopen` and no durability tests.
storeContract('memory', async () => createMemoryStore({ keepEvents: 'all' }));

describe('the memory store’s window of runs', () => {
  it('forgets the oldest run and everything of it beyond maxRuns, and keeps the others whole', async () => {
    const store = createMemoryStore({ maxRuns: 2 });
    for (const runId of ['run-1', 'run-2', 'run-3']) {
      await store.saveRun({
        runId,
        org: 'esa',
        task: 'check',
        entry: 'ceo',
        status: 'running',
        startedAt: Number(runId.slice(4)),
      });
      await store.putMessage(makeMessage({ messageId: `${runId}-m`, contextId: runId }));
      await store.saveSession({
        sessionId: `${runId}-s`,
        runId,
        agent: 'ceo',
        status: 'running',
        state: {},
        updatedAt: 1,
      });
      await store.saveRequest({
        messageId: `${runId}-m`,
        runId,
        from: 'ceo',
        to: 'chief-1',
        kind: 'task',
        taskId: 't',
        sentAt: 1,
        level: 0,
        status: 'open',
      });
      await store.saveEscalation({
        escalationId: `${runId}-e`,
        runId,
        requestMessageId: `${runId}-m`,
        asker: 'ceo',
        waitedOn: 'chief-1',
        to: 'human',
        rule: 'r',
        reason: 'why',
        level: 1,
        firedAt: 1,
        status: 'open',
      });
    }

    expect((await store.listRuns(10)).map((run) => run.runId)).toEqual(['run-3', 'run-2']);
    expect(await store.getMessage('run-1-m')).toBeUndefined();
    expect(await store.sessions('run-1')).toEqual([]);
    expect(await store.getRequest('run-1-m')).toBeUndefined();
    expect(await store.getEscalation('run-1-e')).toBeUndefined();
    for (const runId of ['run-2', 'run-3']) {
      expect(await store.pendingMessages(runId)).toHaveLength(1);
      expect(await store.sessions(runId)).toHaveLength(1);
      expect(await store.openRequests(runId)).toHaveLength(1);
      expect(await store.listEscalations({ runId })).toHaveLength(1);
    }
  });
});

describe('the memory store’s events of runs it does not hold', () => {
  it('keeps them for the most recent maxRuns such runs only, also for a run forgotten while it still ran', async () => {
    const store = createMemoryStore({ maxRuns: 2, keepEvents: 'all' });
    const event = (runId: string): RunEvent => ({
      type: 'run-start',
      runId,
      agent: '@user',
      at: 1,
      task: 'check',
      entry: 'ceo',
      org: 'esa',
    });
    for (const runId of ['a', 'b', 'c']) await store.appendEvents([event(runId)]);

    expect(await store.events('a')).toEqual([]);
    expect(await store.events('b')).toHaveLength(1);
    expect(await store.events('c')).toHaveLength(1);

    for (const runId of ['r1', 'r2', 'r3']) {
      await store.saveRun({
        runId,
        org: 'esa',
        task: 't',
        entry: 'ceo',
        status: 'running',
        startedAt: 1,
      });
    }
    // r1 was forgotten to make room for r3; events it still sends do not pile up for ever.
    for (const runId of ['r1', 'x', 'y']) await store.appendEvents([event(runId)]);
    expect(await store.events('r1')).toEqual([]);
    expect(await store.events('y')).toHaveLength(1);
  });
});

describe('the memory store’s events of finished runs', () => {
  const started = (runId: string) => ({
    runId,
    org: 'esa',
    task: 'check',
    entry: 'ceo',
    status: 'running' as const,
    startedAt: 1,
  });
  const event = (runId: string): RunEvent => ({
    type: 'model-call-start',
    runId,
    agent: 'ceo',
    at: 1,
    sessionId: `${runId}-s`,
    turn: 1,
  });

  it('keeps the events of runs in progress and of the n most recent finished ones with keepEvents n', async () => {
    const store = createMemoryStore({ keepEvents: 2 });
    const runIds = ['r1', 'r2', 'r3', 'r4'];
    for (const runId of runIds) {
      await store.saveRun(started(runId));
      await store.appendEvents([event(runId), event(runId)]);
    }
    // Finishing order, not starting order, decides: r3 ends first, then r1, r4; r2 still runs.
    for (const runId of ['r3', 'r1', 'r4'])
      await store.saveRun({ ...started(runId), status: 'completed', endedAt: 2 });

    expect(await store.events('r3')).toEqual([]);
    expect(await store.events('r1')).toHaveLength(2);
    expect(await store.events('r4')).toHaveLength(2);
    expect(await store.events('r2')).toHaveLength(2);
    // The records stay: only the events of older finished runs go.
    expect((await store.getRun('r3'))?.status).toBe('completed');
    expect(await store.listRuns(10)).toHaveLength(4);
  });

  it('keeps no events by default; a run’s record stays', async () => {
    const store = createMemoryStore();
    await store.saveRun(started('r1'));
    await store.appendEvents([event('r1'), event('r1')]);

    expect(await store.events('r1')).toEqual([]);
    expect((await store.getRun('r1'))?.status).toBe('running');
  });

  it('keeps the events of runs in progress only with keepEvents 0, not a finished run’s late ones', async () => {
    const store = createMemoryStore({ keepEvents: 0 });
    await store.saveRun(started('r1'));
    await store.appendEvents([event('r1')]);
    expect(await store.events('r1')).toHaveLength(1);

    await store.saveRun({ ...started('r1'), status: 'completed', endedAt: 2 });
    // The runtime saves the record and then writes the run's last batch (its run-end event).
    await store.appendEvents([event('r1')]);

    expect(await store.events('r1')).toEqual([]);
    expect((await store.getRun('r1'))?.status).toBe('completed');
  });

  it('keeps the events of every run it keeps with keepEvents all, until the run is forgotten', async () => {
    const store = createMemoryStore({ keepEvents: 'all', maxRuns: 2 });
    for (const runId of ['a', 'b', 'c']) {
      await store.saveRun(started(runId));
      await store.appendEvents([event(runId)]);
      await store.saveRun({ ...started(runId), status: 'completed', endedAt: 2 });
      await store.appendEvents([event(runId)]);
    }

    expect(await store.events('a')).toEqual([]);
    expect(await store.events('b')).toHaveLength(2);
    expect(await store.events('c')).toHaveLength(2);
  });

  it('counts a run once when it is saved as finished twice', async () => {
    const store = createMemoryStore({ keepEvents: 2 });
    for (const runId of ['a', 'b']) {
      await store.saveRun(started(runId));
      await store.appendEvents([event(runId)]);
      await store.saveRun({ ...started(runId), status: 'failed', endedAt: 2 });
    }
    await store.saveRun({ ...started('b'), status: 'failed', endedAt: 3 });

    expect(await store.events('a')).toHaveLength(1);
    expect(await store.events('b')).toHaveLength(1);
  });
});
