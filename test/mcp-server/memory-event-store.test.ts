import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { MemoryEventStore } from '../../src/mcp-server/memory-event-store.js';

const note = (n: number): JSONRPCMessage => ({
  jsonrpc: '2.0',
  method: 'notifications/progress',
  params: { progressToken: 1, progress: n },
});

describe('the event store behind resumable streams', () => {
  it('replays what a stream missed after the last event its client saw, and only that stream', async () => {
    const store = new MemoryEventStore();
    const first = await store.storeEvent('stream-a', note(1));
    await store.storeEvent('stream-b', note(99));
    await store.storeEvent('stream-a', note(2));
    await store.storeEvent('stream-a', note(3));
    const replayed: JSONRPCMessage[] = [];
    const stream = await store.replayEventsAfter(first, {
      send: async (_id, message) => {
        replayed.push(message);
      },
    });
    expect(stream).toBe('stream-a');
    expect(replayed).toEqual([note(2), note(3)]);
    expect(await store.getStreamIdForEventId(first)).toBe('stream-a');
  });

  it('keeps a bounded number of events, dropping the oldest', async () => {
    const store = new MemoryEventStore(2);
    const first = await store.storeEvent('s', note(1));
    await store.storeEvent('s', note(2));
    await store.storeEvent('s', note(3));
    expect(await store.getStreamIdForEventId(first)).toBeUndefined();
    expect(await store.replayEventsAfter(first, { send: async () => undefined })).toBe('');
  });
});
