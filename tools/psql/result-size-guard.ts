import type { Duplex } from 'node:stream';
import type pg from 'pg';

/** The most bytes of rows one statement may send before its connection is cut. */
export const maxResultBytes = 64 * 1024 * 1024;

const dataRow = 0x44; // 'D'
const readyForQuery = 0x5a; // 'Z'
const headerLength = 5; // type byte + int32 length

/** The error a connection ends with when a result is too large to hold. */
export class ResultTooLargeError extends Error {
  constructor(limit: number) {
    super(
      `the result is larger than ${Math.round(limit / 1024 / 1024)} MB, too large to hold; select fewer or smaller values (left(column, 1000), length(column)) or fewer rows`,
    );
    this.name = 'ResultTooLargeError';
  }
}

/**
 * Follows the wire protocol's framing on a client's socket and cuts the connection as soon as
 * the rows of one statement pass `limit` bytes, before pg buffers them: a single huge value
 * (`SELECT repeat('x', 600000000)`) would otherwise fill memory and then crash pg's parser
 * with an uncaught "string too long". Relies on pg 8's `client.connection.stream`; without it,
 * does nothing. Attach it right after the client connects (at a message boundary).
 */
export function guardResultSize(client: pg.ClientBase, limit = maxResultBytes): void {
  const stream = (client as unknown as { connection?: { stream?: Duplex } }).connection?.stream;
  if (!stream) return;
  const listeners = stream.listeners('data') as ((chunk: Buffer) => void)[];
  if (listeners.length === 0) return;
  let header = Buffer.alloc(0);
  let remaining = 0;
  let total = 0;
  let cut = false;

  /** Whether this chunk takes the current statement's rows over the limit. */
  const overLimit = (chunk: Buffer): boolean => {
    let offset = 0;
    while (offset < chunk.length) {
      if (remaining > 0) {
        const take = Math.min(remaining, chunk.length - offset);
        remaining -= take;
        offset += take;
        continue;
      }
      const part = chunk.subarray(offset, offset + headerLength - header.length);
      header = header.length === 0 ? Buffer.from(part) : Buffer.concat([header, part]);
      offset += part.length;
      if (header.length < headerLength) return false;
      const type = header[0];
      const length = header.readInt32BE(1);
      header = Buffer.alloc(0);
      remaining = Math.max(0, length - 4);
      if (type === readyForQuery) total = 0;
      if (type === dataRow) {
        total += length;
        if (total > limit) return true;
      }
    }
    return false;
  };

  for (const listener of listeners) stream.removeListener('data', listener);
  stream.on('data', (chunk: Buffer) => {
    if (cut) return;
    if (overLimit(chunk)) {
      cut = true;
      stream.destroy(new ResultTooLargeError(limit));
      return;
    }
    for (const listener of listeners) listener.call(stream, chunk);
  });
}
