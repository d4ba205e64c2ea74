import type pg from 'pg';
import { attachBackendRouter } from './backend-router.js';
import type { ChunkCheck } from './backend-router.js';

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
 * Follows the wire protocol's framing of a socket's chunks and says when the rows of one
 * statement pass `limit` bytes, before pg buffers them. Allocates nothing.
 */
export class ResultSizeGuard implements ChunkCheck {
  readonly #limit: number;
  // Where the parse stands between chunks: the bytes of the current message left to skip, or
  // how much of the next message's 5-byte header has arrived (a header can span chunks).
  #remaining = 0;
  #headerFilled = 0;
  #type = 0;
  #length = 0;
  #total = 0;

  constructor(limit = maxResultBytes) {
    this.#limit = limit;
  }

  /** Whether every byte seen so far ends a whole message. */
  get atBoundary(): boolean {
    return this.#remaining === 0 && this.#headerFilled === 0;
  }

  /** The error the connection is cut with. */
  tooLarge(): Error {
    return new ResultTooLargeError(this.#limit);
  }

  /** Whether this chunk takes the current statement's rows over the limit. */
  overLimit(chunk: Buffer): boolean {
    let offset = 0;
    const end = chunk.length;
    while (offset < end) {
      if (this.#remaining > 0) {
        const take = Math.min(this.#remaining, end - offset);
        this.#remaining -= take;
        offset += take;
      } else if (this.#headerFilled === 0 && end - offset >= headerLength) {
        this.#type = chunk[offset] ?? 0;
        this.#length = chunk.readInt32BE(offset + 1);
        offset += headerLength;
        if (this.#counted()) return true;
      } else {
        const byte = chunk[offset] ?? 0;
        offset += 1;
        if (this.#headerFilled === 0) {
          this.#type = byte;
          this.#length = 0;
        } else {
          this.#length = this.#length * 256 + byte;
        }
        this.#headerFilled += 1;
        if (this.#headerFilled === headerLength) {
          this.#headerFilled = 0;
          if (this.#counted()) return true;
        }
      }
    }
    return false;
  }

  /** One message header has been read: whether its rows take the statement over the limit. */
  #counted(): boolean {
    this.#remaining = Math.max(0, this.#length - 4);
    if (this.#type === readyForQuery) this.#total = 0;
    else if (this.#type === dataRow) {
      this.#total += this.#length;
      if (this.#total > this.#limit) return true;
    }
    return false;
  }
}

/**
 * Cuts a client's connection as soon as the rows of one statement pass `limit` bytes, before
 * pg buffers them: a single huge value (`SELECT repeat('x', 600000000)`) would otherwise fill
 * memory and then crash pg's parser with an uncaught "string too long". The guard sits in a
 * BackendRouter in front of pg's data listener, which also lets a CappedQuery take its rows
 * straight off the socket. Relies on pg 8's `client.connection.stream`; without it, does
 * nothing. Attach it right after the client connects (at a message boundary).
 */
export function guardResultSize(client: pg.ClientBase, limit = maxResultBytes): void {
  attachBackendRouter(client, new ResultSizeGuard(limit));
}
