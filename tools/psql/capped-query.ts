import pg from 'pg';
import type { Connection, Submittable } from 'pg';
import { backendRouterOf } from './backend-router.js';
import type { DirectReceiver } from './backend-router.js';
import { encodeFixedStatement, encodeStatement, syncMessage } from './wire-messages.js';

/** A column of a statement's result: its name and type oid. */
export interface ResultColumn {
  name: string;
  dataTypeId: number;
}

/** What a statement returned: at most the row cap, and whether more rows were left unread. */
export interface CappedResult {
  /** The command tag's verb (SELECT, INSERT, CREATE INDEX, …), when the statement completed. */
  command: string | undefined;
  columns: ResultColumn[];
  rows: unknown[][];
  /** Rows the statement affected or returned, from the command tag, when it completed. */
  rowCount: number | undefined;
  /** Whether the statement had more rows than the cap. */
  truncated: boolean;
}

/** The backend messages a CappedQuery takes straight off the socket (see BackendRouter). */
const parseComplete = 0x31; // '1'
const bindComplete = 0x32; // '2'
const noData = 0x6e; // 'n'
const rowDescription = 0x54; // 'T'
const dataRow = 0x44; // 'D'
const commandComplete = 0x43; // 'C'
const portalSuspended = 0x73; // 's'
const emptyQuery = 0x49; // 'I'

type ValueParser = (value: string) => unknown;

interface FieldDescription {
  name: string;
  dataTypeID: number;
  format: string;
}

/** Statements sent with the capped one, in the same round trip (under the same Sync). */
export interface CappedQueryOptions {
  /** Sent before it, such as `BEGIN READ ONLY`; they return no rows. */
  before?: readonly string[];
  /** Sent after it, such as `ROLLBACK`; they return no rows. */
  after?: readonly string[];
}

/** The parts of pg's wire connection this query drives. */
interface WireConnection {
  stream: { writable: boolean; write(data: Buffer): boolean };
  sync(): void;
  sendCopyFail(message: string): void;
}

/**
 * One statement sent with the extended protocol (Parse, Bind, Describe, Execute with a row
 * limit), so a second statement is a protocol error and at most `maxRows + 1` rows ever cross
 * the wire: when the portal is suspended the rest is never fetched. pg's own Query pages
 * through the whole result instead, and does not recover from an error when given `rows`.
 *
 * The `before` and `after` statements and the Sync go in the same socket write: one round trip
 * in all. An error anywhere makes the server skip the rest up to the Sync, so an `after`
 * statement such as `ROLLBACK` does not run then: the caller cleans up on the error path.
 *
 * On a client with a BackendRouter (see `guardResultSize`), the query reads its rows, row
 * description and command tags straight off the socket; pg still gets everything else (errors,
 * notices, COPY, ReadyForQuery). Without one, pg parses every message and calls the handle*
 * methods, with the same outcome.
 */
export class CappedQuery implements Submittable, DirectReceiver {
  readonly #text: string;
  readonly #maxRows: number;
  readonly #before: readonly string[];
  readonly #after: readonly string[];
  /** Which statement's messages arrive now: `before`, then the capped one, then `after`. */
  #step = 0;
  #settled = false;
  #columns: ResultColumn[] = [];
  #parsers: ValueParser[] = [];
  #rows: unknown[][] = [];
  #command: string | undefined;
  #rowCount: number | undefined;
  #truncated = false;
  #failure: Error | undefined;
  readonly #resolve: (result: CappedResult) => void;
  readonly #reject: (error: Error) => void;
  /**
   * Settles with the result once the server is ready again, or with the first error: the
   * server's (reported before it is ready again), a value's parser's, or the connection's.
   */
  readonly done: Promise<CappedResult>;

  constructor(text: string, maxRows: number, options: CappedQueryOptions = {}) {
    this.#text = text;
    this.#maxRows = maxRows;
    this.#before = options.before ?? [];
    this.#after = options.after ?? [];
    let resolve!: (result: CappedResult) => void;
    let reject!: (error: Error) => void;
    this.done = new Promise<CappedResult>((resolvePromise, rejectPromise) => {
      resolve = resolvePromise;
      reject = rejectPromise;
    });
    this.#resolve = resolve;
    this.#reject = reject;
  }

  /**
   * Called by pg when the query reaches the front of the client's queue: every message in one
   * socket write. An error returned here (SQL PostgreSQL cannot receive, a closed connection)
   * fails the query before anything is sent.
   */
  submit(connection: Connection): Error | undefined {
    const wire = connection as unknown as WireConnection;
    let messages: Buffer;
    try {
      const statement = encodeStatement(this.#text, this.#maxRows + 1, true);
      messages =
        this.#before.length === 0 && this.#after.length === 0
          ? Buffer.concat([statement, syncMessage])
          : Buffer.concat([
              ...this.#before.map(encodeFixedStatement),
              statement,
              ...this.#after.map(encodeFixedStatement),
              syncMessage,
            ]);
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
    if (!wire.stream.writable) return new Error('the connection to PostgreSQL is closed');
    backendRouterOf(connection)?.route(this);
    wire.stream.write(messages);
    return undefined;
  }

  /**
   * A backend message straight off the socket, while this query routes them (BackendRouter):
   * takes the ones it knows, decoded as pg decodes them (UTF-8 text), and leaves the rest to pg.
   */
  receiveMessage(type: number, message: Buffer, start: number, end: number): boolean {
    switch (type) {
      case parseComplete:
      case bindComplete:
      case noData:
        // pg does nothing with these for an unnamed statement.
        return true;
      case dataRow:
        this.#receiveDataRow(message, start);
        return true;
      case rowDescription:
        this.#receiveRowDescription(message, start);
        return true;
      case commandComplete:
        this.handleCommandComplete({ text: message.toString('utf8', start, end - 1) });
        return true;
      case portalSuspended:
        this.handlePortalSuspended();
        return true;
      case emptyQuery:
        this.handleEmptyQuery();
        return true;
      default:
        return false;
    }
  }

  /** RowDescription: int16 count, then per field its name, table oid, column, type oid, … */
  #receiveRowDescription(message: Buffer, start: number): void {
    const count = message.readInt16BE(start);
    const columns: ResultColumn[] = [];
    let at = start + 2;
    for (let index = 0; index < count; index += 1) {
      const nameEnd = message.indexOf(0, at);
      const name = message.toString('utf8', at, nameEnd);
      // After the name's NUL: table oid (4), column number (2), then the type oid.
      columns.push({ name, dataTypeId: message.readUInt32BE(nameEnd + 7) });
      // type oid (4), type size (2), type modifier (4), format (2).
      at = nameEnd + 7 + 12;
    }
    this.#setColumns(columns);
  }

  /** The result's columns, and the parser of each one's text values. */
  #setColumns(columns: ResultColumn[]): void {
    this.#columns = columns;
    this.#parsers = columns.map(
      (column) => pg.types.getTypeParser(column.dataTypeId, 'text') as ValueParser,
    );
  }

  /** Whether one more row is kept; past the cap the result is marked truncated instead. */
  #roomForRow(): boolean {
    if (this.#rows.length < this.#maxRows) return true;
    this.#truncated = true;
    return false;
  }

  /** DataRow: int16 count, then per value its int32 length (-1: NULL) and bytes. */
  #receiveDataRow(message: Buffer, start: number): void {
    if (!this.#roomForRow()) return;
    try {
      const count = message.readInt16BE(start);
      const row: unknown[] = [];
      let at = start + 2;
      for (let index = 0; index < count; index += 1) {
        const length = message.readInt32BE(at);
        at += 4;
        if (length < 0) {
          row.push(null);
          continue;
        }
        const value = message.toString('utf8', at, at + length);
        at += length;
        row.push((this.#parsers[index] ?? String)(value));
      }
      this.#rows.push(row);
    } catch (error) {
      this.#failure ??= error instanceof Error ? error : new Error(String(error));
    }
  }

  /** Whether the messages arriving now belong to the capped statement. */
  get #atStatement(): boolean {
    return this.#step === this.#before.length;
  }

  // The handle* methods are pg's callbacks for the backend's messages to the active query.

  /** The result's columns: their names and type parsers. */
  handleRowDescription(message: { fields: FieldDescription[] }): void {
    this.#setColumns(
      message.fields.map((field) => ({ name: field.name, dataTypeId: field.dataTypeID })),
    );
  }

  /** One row: kept while under the cap. */
  handleDataRow(message: { fields: (string | null)[] }): void {
    if (!this.#roomForRow()) return;
    try {
      const row: unknown[] = [];
      const fields = message.fields;
      for (let index = 0; index < fields.length; index += 1) {
        const value = fields[index];
        row.push(
          value === null || value === undefined ? null : (this.#parsers[index] ?? String)(value),
        );
      }
      this.#rows.push(row);
    } catch (error) {
      this.#failure ??= error instanceof Error ? error : new Error(String(error));
    }
  }

  /** The row limit was reached with rows left: the rest is never fetched. */
  handlePortalSuspended(): void {
    this.#truncated = true;
    this.#step += 1;
  }

  /** A statement finished; the capped one's command tag carries the verb and the row count. */
  handleCommandComplete(message: { text: string }): void {
    if (this.#atStatement) {
      const tag = message.text;
      const space = tag.lastIndexOf(' ');
      const count = tag.slice(space + 1);
      if (space > 0 && /^\d+$/.test(count)) {
        // `INSERT oid rows` carries an oid before the count; every other counted tag is `VERB rows`.
        const verb = tag.slice(0, space);
        this.#command = verb.startsWith('INSERT ') ? verb.slice(0, verb.lastIndexOf(' ')) : verb;
        this.#rowCount = Number(count);
      } else {
        this.#command = tag;
        this.#rowCount = undefined;
      }
    }
    this.#step += 1;
  }

  /** The text held no statement. */
  handleEmptyQuery(): void {
    this.#step += 1;
  }

  /** The server (or the socket) failed a statement; the server skips the rest up to the Sync. */
  handleError(error: Error): void {
    this.#settle(this.#failure ?? error);
  }

  /** The server is ready again: every statement has answered and the result is complete. */
  handleReadyForQuery(): void {
    const expected = this.#before.length + 1 + this.#after.length;
    this.#settle(
      this.#failure ??
        (this.#step === expected
          ? undefined
          : new Error(`the server answered ${this.#step} of ${expected} statements`)),
    );
  }

  /**
   * COPY FROM STDIN has no data to send here: fail it. The server ignores a Sync in copy-in
   * mode, so a second one ends the statement. With `after` statements, the first of them already
   * sits behind the COPY and aborts it: PostgreSQL then ends that connection ("protocol
   * synchronization was lost"), which the pool replaces; nothing more is sent.
   */
  handleCopyInResponse(connection: Connection): void {
    this.#failure ??= new Error('COPY FROM STDIN is not supported');
    if (this.#after.length > 0) return;
    const wire = connection as unknown as WireConnection;
    wire.sendCopyFail('COPY FROM STDIN is not supported');
    wire.sync();
  }

  /** COPY TO STDOUT data is not kept. */
  handleCopyData(): void {}

  #settle(error: Error | undefined): void {
    if (this.#settled) return;
    this.#settled = true;
    if (error) {
      this.#reject(error);
      return;
    }
    this.#resolve({
      command: this.#command,
      columns: this.#columns,
      rows: this.#rows,
      rowCount: this.#rowCount,
      truncated: this.#truncated,
    });
  }
}

/**
 * Runs one statement on a checked-out client with the extended protocol and a row cap, with
 * `options.before` and `options.after` in the same round trip.
 */
export async function runCappedStatement(
  client: pg.ClientBase,
  text: string,
  maxRows: number,
  options?: CappedQueryOptions,
): Promise<CappedResult> {
  const query = new CappedQuery(text, maxRows, options);
  client.query(query);
  return query.done;
}
