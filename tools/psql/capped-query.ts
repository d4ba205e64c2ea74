import pg from 'pg';
import type { Connection, Submittable } from 'pg';

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

interface FieldDescription {
  name: string;
  dataTypeID: number;
  format: string;
}

/** The parts of pg's wire connection this query drives. */
interface WireConnection {
  parse(message: { text: string; name: string; types: number[] }): void;
  bind(message: { portal: string; statement: string; values: unknown[]; binary: boolean }): void;
  describe(message: { type: 'P'; name: string }): void;
  execute(message: { portal: string; rows: number }): void;
  flush(): void;
  sync(): void;
  sendCopyFail(message: string): void;
}

/**
 * One statement sent with the extended protocol (Parse, Bind, Describe, Execute with a row
 * limit), so a second statement is a protocol error and at most `maxRows + 1` rows ever cross
 * the wire: when the portal is suspended the rest is never fetched. pg's own Query pages
 * through the whole result instead, and does not recover from an error when given `rows`.
 */
export class CappedQuery implements Submittable {
  readonly #text: string;
  readonly #maxRows: number;
  #connection: WireConnection | undefined;
  #synced = false;
  #settled = false;
  #columns: ResultColumn[] = [];
  #parsers: ((value: string) => unknown)[] = [];
  #rows: unknown[][] = [];
  #command: string | undefined;
  #rowCount: number | undefined;
  #truncated = false;
  #failure: Error | undefined;
  readonly #resolve: (result: CappedResult) => void;
  readonly #reject: (error: Error) => void;
  /** Settles when the server is ready for the next query (or the connection fails). */
  readonly done: Promise<CappedResult>;

  constructor(text: string, maxRows: number) {
    this.#text = text;
    this.#maxRows = maxRows;
    let resolve!: (result: CappedResult) => void;
    let reject!: (error: Error) => void;
    this.done = new Promise<CappedResult>((resolvePromise, rejectPromise) => {
      resolve = resolvePromise;
      reject = rejectPromise;
    });
    this.#resolve = resolve;
    this.#reject = reject;
  }

  /** Called by pg when the query reaches the front of the client's queue. */
  submit(connection: Connection): void {
    const wire = connection as unknown as WireConnection;
    this.#connection = wire;
    wire.parse({ text: this.#text, name: '', types: [] });
    wire.bind({ portal: '', statement: '', values: [], binary: false });
    wire.describe({ type: 'P', name: '' });
    wire.execute({ portal: '', rows: this.#maxRows + 1 });
    wire.flush();
  }

  #sync(): void {
    if (this.#synced) return;
    this.#synced = true;
    this.#connection?.sync();
  }

  // The handle* methods are pg's callbacks for the backend's messages to the active query.

  /** The result's columns: their names and type parsers. */
  handleRowDescription(message: { fields: FieldDescription[] }): void {
    this.#columns = message.fields.map((field) => ({
      name: field.name,
      dataTypeId: field.dataTypeID,
    }));
    this.#parsers = message.fields.map(
      (field) => pg.types.getTypeParser(field.dataTypeID, 'text') as (value: string) => unknown,
    );
  }

  /** One row: kept while under the cap. */
  handleDataRow(message: { fields: (string | null)[] }): void {
    if (this.#rows.length >= this.#maxRows) {
      this.#truncated = true;
      return;
    }
    try {
      this.#rows.push(
        message.fields.map((value, index) =>
          value === null ? null : (this.#parsers[index] ?? String)(value),
        ),
      );
    } catch (error) {
      this.#failure ??= error instanceof Error ? error : new Error(String(error));
    }
  }

  /** The row limit was reached with rows left: stop there. */
  handlePortalSuspended(): void {
    this.#truncated = true;
    this.#sync();
  }

  /** The statement finished: its command tag carries the verb and the row count. */
  handleCommandComplete(message: { text: string }): void {
    const parts = message.text.split(' ');
    const last = parts.at(-1) ?? '';
    const counted = /^\d+$/.test(last);
    const verb = counted ? parts.slice(0, parts[0] === 'INSERT' ? -2 : -1) : parts;
    this.#command = verb.join(' ');
    this.#rowCount = counted ? Number(last) : undefined;
    this.#sync();
  }

  /** The text held no statement. */
  handleEmptyQuery(): void {
    this.#sync();
  }

  /** The server (or the socket) failed the statement; Sync so the connection recovers. */
  handleError(error: Error): void {
    this.#sync();
    this.#settle(error);
  }

  /** The server is ready again: the result is complete. */
  handleReadyForQuery(): void {
    this.#settle(this.#failure);
  }

  /** COPY FROM STDIN has no data to send here: fail it. */
  handleCopyInResponse(connection: Connection): void {
    (connection as unknown as WireConnection).sendCopyFail('COPY FROM STDIN is not supported');
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

/** Runs one statement on a checked-out client with the extended protocol and a row cap. */
export async function runCappedStatement(
  client: pg.ClientBase,
  text: string,
  maxRows: number,
): Promise<CappedResult> {
  const query = new CappedQuery(text, maxRows);
  client.query(query);
  return query.done;
}
