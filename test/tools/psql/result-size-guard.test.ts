import { PassThrough } from 'node:stream';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ResultTooLargeError, guardResultSize } from '../../../tools/psql/result-size-guard.js';

/** One backend message: type byte, int32 length (itself included), body. */
function message(type: string, bodyLength: number): Buffer {
  const buffer = Buffer.alloc(5 + bodyLength, 0x61);
  buffer.write(type, 0, 'latin1');
  buffer.writeInt32BE(4 + bodyLength, 1);
  return buffer;
}

/** A fake client whose socket passes chunks to pg's listener (here: a collector). */
function guarded(limit: number) {
  const stream = new PassThrough();
  const received: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => received.push(chunk));
  guardResultSize({ connection: { stream } } as unknown as pg.ClientBase, limit);
  let failure: Error | undefined;
  stream.on('error', (error) => {
    failure = error;
  });
  return {
    feed: (chunk: Buffer) => stream.emit('data', chunk),
    received: () => Buffer.concat(received),
    failure: () => failure,
    destroyed: () => stream.destroyed,
  };
}

/** `bytes` cut into chunks at each of `cuts`. */
function cutAt(bytes: Buffer, cuts: number[]): Buffer[] {
  const chunks: Buffer[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    chunks.push(bytes.subarray(from, cut));
    from = cut;
  }
  return chunks;
}

describe('the result-size guard on a client’s socket', () => {
  const rows = Buffer.concat([
    message('T', 20),
    message('D', 30),
    message('D', 30),
    message('C', 9),
    message('Z', 1),
  ]);

  it('passes every byte on, whatever the chunking, while under the limit', () => {
    for (let first = 0; first <= rows.length; first += 1) {
      for (const second of [first, first + 1, first + 3, first + 7]) {
        const guard = guarded(1000);
        for (const chunk of cutAt(rows, [first, Math.min(second, rows.length)])) guard.feed(chunk);
        expect(guard.received()).toEqual(rows);
        expect(guard.destroyed()).toBe(false);
      }
    }
  });

  it('cuts the connection when one statement’s rows pass the limit, even with headers split across chunks', async () => {
    for (let cut = 1; cut < rows.length; cut += 1) {
      // Two data rows of 34 bytes each (length field included): 68 > 60.
      const guard = guarded(60);
      for (const chunk of cutAt(rows, [cut])) guard.feed(chunk);
      await new Promise((resolve) => setImmediate(resolve));
      expect(guard.failure()).toBeInstanceOf(ResultTooLargeError);
      expect(guard.received().length).toBeLessThan(rows.length);
    }
  });

  it('counts each statement on its own: ReadyForQuery starts the count again', () => {
    const guard = guarded(60);
    for (let statement = 0; statement < 5; statement += 1) {
      guard.feed(Buffer.concat([message('D', 30), message('Z', 1)]));
    }
    expect(guard.destroyed()).toBe(false);
  });
});
