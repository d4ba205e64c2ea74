import type { Duplex } from 'node:stream';
import type pg from 'pg';

const readyForQuery = 0x5a; // 'Z'
const headerLength = 5; // type byte + int32 length

/**
 * The active query's side of direct routing: it takes the backend messages it knows (one
 * message's body is `message[start…end)`) and declines the rest, which pg then parses and
 * dispatches as usual (errors, notices, parameter changes, COPY, ReadyForQuery).
 */
export interface DirectReceiver {
  /** Takes one backend message; returns false to leave it to pg. */
  receiveMessage(type: number, message: Buffer, start: number, end: number): boolean;
}

/** What sees every chunk first and follows the framing of the backend's messages. */
export interface ChunkCheck {
  /** Whether this chunk is too much (the connection is then cut). */
  overLimit(chunk: Buffer): boolean;
  /** Whether every byte seen so far ends a whole message. */
  readonly atBoundary: boolean;
  /** The error the connection is cut with. */
  tooLarge(): Error;
}

const routers = new WeakMap<object, BackendRouter>();

/**
 * The data path of one client's socket, in front of pg's own listener: every chunk is checked
 * first (the result-size guard), then either passed on to pg unchanged or, while a query routes
 * its messages directly, split into messages that the query takes itself (rows, row
 * descriptions, command tags: no message objects, no events) and the ones pg gets one by one,
 * in order. Routing ends with the ReadyForQuery that pg gets, so pg's bookkeeping of the
 * connection (transaction status, its query queue, errors and connection loss) stays its own.
 */
export class BackendRouter {
  readonly #stream: Duplex;
  readonly #listeners: ((chunk: Buffer) => void)[];
  readonly #framing: ChunkCheck;
  #receiver: DirectReceiver | undefined;
  /**
   * The start of a message whose rest has not arrived yet, while routing, as the chunks it came
   * in: they are joined once, when the message is whole (a large value spans hundreds of chunks).
   */
  #pending: Buffer[] = [];
  #pendingLength = 0;
  /** The bytes the pending chunks must reach before they are joined. */
  #pendingNeeded = 0;
  #dispatching = false;

  constructor(stream: Duplex, listeners: ((chunk: Buffer) => void)[], framing: ChunkCheck) {
    this.#stream = stream;
    this.#listeners = listeners;
    this.#framing = framing;
  }

  /**
   * Sends the next messages to `receiver` until ReadyForQuery. Call it when the query is sent.
   * Returns false (and changes nothing) when the socket is not at a message boundary: pg then
   * gets everything, as without a router.
   */
  route(receiver: DirectReceiver): boolean {
    if (this.#receiver !== undefined) return false;
    if (!this.#dispatching && !this.#framing.atBoundary) return false;
    this.#receiver = receiver;
    return true;
  }

  /** Handles one chunk that has passed the size guard. */
  accept(chunk: Buffer): void {
    if (this.#receiver === undefined) {
      this.#forward(chunk);
      return;
    }
    let buffer = chunk;
    if (this.#pendingLength > 0) {
      this.#pending.push(chunk);
      this.#pendingLength += chunk.length;
      if (this.#pendingLength < this.#pendingNeeded) return;
      buffer = Buffer.concat(this.#pending, this.#pendingLength);
      this.#pending = [];
      this.#pendingLength = 0;
    }
    const end = buffer.length;
    let offset = 0;
    this.#dispatching = true;
    try {
      while (this.#receiver !== undefined && end - offset >= headerLength) {
        const type = buffer[offset] ?? 0;
        const next = offset + 1 + buffer.readInt32BE(offset + 1);
        if (next > end) break;
        if (!this.#receiver.receiveMessage(type, buffer, offset + headerLength, next)) {
          if (type === readyForQuery) this.#receiver = undefined;
          // pg may submit its next query from here, which may route again (we are at a boundary).
          this.#forward(buffer.subarray(offset, next));
        }
        offset = next;
      }
    } finally {
      this.#dispatching = false;
    }
    if (offset === end) return;
    const rest = buffer.subarray(offset);
    if (this.#receiver === undefined) {
      this.#forward(rest);
      return;
    }
    this.#pending = [rest];
    this.#pendingLength = rest.length;
    // The whole message once its header has arrived, else the header first.
    this.#pendingNeeded = rest.length >= headerLength ? 1 + rest.readInt32BE(1) : headerLength;
  }

  #forward(bytes: Buffer): void {
    for (const listener of this.#listeners) listener.call(this.#stream, bytes);
  }
}

/**
 * Puts `check` and a BackendRouter in front of pg's data listener on a client's socket; when
 * `check` says a chunk is too much, the socket is destroyed with `check.tooLarge()` instead.
 * Relies on pg 8's `client.connection.stream`; without it, does nothing and returns undefined.
 * Attach it right after the client connects (at a message boundary).
 */
export function attachBackendRouter(
  client: pg.ClientBase,
  check: ChunkCheck,
): BackendRouter | undefined {
  const connection = (client as unknown as { connection?: { stream?: Duplex } }).connection;
  const stream = connection?.stream;
  if (!connection || !stream) return undefined;
  const listeners = stream.listeners('data') as ((chunk: Buffer) => void)[];
  if (listeners.length === 0) return undefined;
  const router = new BackendRouter(stream, listeners, check);
  let cut = false;
  for (const listener of listeners) stream.removeListener('data', listener);
  stream.on('data', (chunk: Buffer) => {
    if (cut) return;
    if (check.overLimit(chunk)) {
      cut = true;
      stream.destroy(check.tooLarge());
      return;
    }
    router.accept(chunk);
  });
  routers.set(connection, router);
  return router;
}

/** The router in front of a pg connection's socket (as pg hands it to a query), if any. */
export function backendRouterOf(connection: object): BackendRouter | undefined {
  return routers.get(connection);
}
