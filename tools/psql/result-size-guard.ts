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
  // Where the parse stands between chunks: the bytes of the current message left to skip, or
  // how much of the next message's 5-byte header has arrived (a header can span chunks).
  let remaining = 0;
  let headerFilled = 0;
  let type = 0;
  let length = 0;
  let total = 0;
  let cut = false;

  /** One message header has been read: whether its rows take the statement over the limit. */
  const counted = (): boolean => {
    remaining = Math.max(0, length - 4);
    if (type === readyForQuery) total = 0;
    else if (type === dataRow) {
      total += length;
      if (total > limit) return true;
    }
    return false;
  };

  /** Whether this chunk takes the current statement's rows over the limit. Allocates nothing. */
  const overLimit = (chunk: Buffer): boolean => {
    let offset = 0;
    const end = chunk.length;
    while (offset < end) {
      if (remaining > 0) {
        const take = Math.min(remaining, end - offset);
        remaining -= take;
        offset += take;
      } else if (headerFilled === 0 && end - offset >= headerLength) {
        type = chunk[offset] ?? 0;
        length = chunk.readInt32BE(offset + 1);
        offset += headerLength;
        if (counted()) return true;
      } else {
        const byte = chunk[offset] ?? 0;
        offset += 1;
        if (headerFilled === 0) {
          type = byte;
          length = 0;
        } else {
          length = length * 256 + byte;
        }
        headerFilled += 1;
        if (headerFilled === headerLength) {
          headerFilled = 0;
          if (counted()) return true;
        }
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
