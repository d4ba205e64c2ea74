import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCappedStatement } from '../../../tools/psql/capped-query.js';
import { createPsqlTestDatabase } from './psql-test-database.js';
import type { PsqlTestDatabase } from './psql-test-database.js';

let database: PsqlTestDatabase;
let client: pg.Client;

beforeAll(async () => {
  database = await createPsqlTestDatabase();
  client = new pg.Client({ connectionString: database.readerUrl });
  await client.connect();
}, 20_000);

afterAll(async () => {
  await client?.end();
  await database?.drop();
});

describe('a statement sent with the extended protocol and a row cap', () => {
  it('makes a second statement a protocol error, and the client stays usable', async () => {
    await expect(runCappedStatement(client, 'SELECT 1; DELETE FROM t', 10)).rejects.toThrow(
      'cannot insert multiple commands into a prepared statement',
    );
    await expect(runCappedStatement(client, 'SELECT 2 AS two', 10)).resolves.toMatchObject({
      command: 'SELECT',
      rows: [[2]],
      truncated: false,
    });
  });

  it('stops at the cap without reading the rest', async () => {
    const result = await runCappedStatement(client, 'SELECT generate_series(1, 1000000)', 10);
    expect(result.rows).toEqual([[1], [2], [3], [4], [5], [6], [7], [8], [9], [10]]);
    expect(result.truncated).toBe(true);
    expect(result.command).toBeUndefined();
  });

  it('does not call a result of exactly the cap truncated', async () => {
    const result = await runCappedStatement(client, 'SELECT generate_series(1, 10)', 10);
    expect(result.rows).toHaveLength(10);
    expect(result.truncated).toBe(false);
    expect(result.rowCount).toBe(10);
  });

  it('recovers from an error raised after rows were sent', async () => {
    await expect(
      runCappedStatement(client, 'SELECT 1 / (g - 5) FROM generate_series(1, 10) g', 100),
    ).rejects.toThrow('division by zero');
    const after = await client.query('SELECT 3 AS three');
    expect(after.rows).toEqual([{ three: 3 }]);
  });

  it('parses values with pg’s type parsers', async () => {
    const result = await runCappedStatement(
      client,
      'SELECT 1::int4 AS i, 2::int8 AS big, true AS b, \'{"a":1}\'::jsonb AS j, NULL::text AS n',
      5,
    );
    expect(result.columns.map((column) => column.name)).toEqual(['i', 'big', 'b', 'j', 'n']);
    expect(result.rows).toEqual([[1, '2', true, { a: 1 }, null]]);
  });
});

/** Counts the socket writes and ReadyForQuery messages of `work` on the shared client. */
async function roundTrips<T>(work: () => Promise<T>): Promise<{ writes: number; ready: number }> {
  const connection = (
    client as unknown as {
      connection: { stream: { write: (...args: unknown[]) => boolean }; on: typeof client.on };
    }
  ).connection;
  const write = connection.stream.write;
  let writes = 0;
  let ready = 0;
  const onReady = () => {
    ready += 1;
  };
  connection.stream.write = function (this: unknown, ...args: unknown[]) {
    writes += 1;
    return write.apply(this, args);
  };
  (connection as unknown as pg.Client).on('readyForQuery' as 'end', onReady);
  try {
    await work().catch(() => undefined);
    // Let a late ReadyForQuery (after an error) arrive.
    await client.query('SELECT 1');
    return { writes: writes - 1, ready: ready - 1 };
  } finally {
    connection.stream.write = write;
    (connection as unknown as pg.Client).removeListener('readyForQuery' as 'end', onReady);
  }
}

const readOnly = { before: ['BEGIN READ ONLY'], after: ['ROLLBACK'] };

describe('statements sent before and after the capped one, under the same Sync', () => {
  it('runs BEGIN READ ONLY, the statement and ROLLBACK in one write and one round trip', async () => {
    let result: unknown;
    const counted = await roundTrips(async () => {
      result = await runCappedStatement(
        client,
        "SELECT current_setting('transaction_read_only') AS ro",
        10,
        readOnly,
      );
    });
    expect(counted).toEqual({ writes: 1, ready: 1 });
    expect(result).toMatchObject({ command: 'SELECT', rows: [['on']], rowCount: 1 });
    expect(client.getTransactionStatus()).toBe('I');
  });

  it('keeps only the capped statement’s result, truncated at the cap, and ends the transaction', async () => {
    const result = await runCappedStatement(client, 'SELECT generate_series(1, 100)', 3, readOnly);
    expect(result.rows).toEqual([[1], [2], [3]]);
    expect(result.truncated).toBe(true);
    expect(result.columns.map((column) => column.name)).toEqual(['generate_series']);
    expect(client.getTransactionStatus()).toBe('I');
  });

  it('skips ROLLBACK when the statement fails, leaving an aborted transaction that one ROLLBACK clears', async () => {
    await expect(
      runCappedStatement(client, 'SELECT 1 / (g - 2) FROM generate_series(1, 3) g', 10, readOnly),
    ).rejects.toThrow('division by zero');
    // The failure is reported before the server is ready again; once it is, the transaction
    // that BEGIN opened is still there, aborted, and refuses everything until it is rolled back.
    await expect(client.query('SELECT 1')).rejects.toThrow('current transaction is aborted');
    expect(client.getTransactionStatus()).toBe('E');
    await client.query('ROLLBACK');
    expect(client.getTransactionStatus()).toBe('I');
    const after = await runCappedStatement(client, 'SELECT 4 AS four', 10, readOnly);
    expect(after.rows).toEqual([[4]]);
  });

  it('ends the implicit transaction by itself when BEGIN is not there: an error leaves no transaction', async () => {
    await expect(runCappedStatement(client, 'SELECT 1 / 0', 10)).rejects.toThrow(
      'division by zero',
    );
    await client.query('SELECT 1');
    expect(client.getTransactionStatus()).toBe('I');
  });

  it('refuses a second statement in the text, so a COMMIT cannot be slipped in between', async () => {
    await expect(runCappedStatement(client, 'COMMIT; DELETE FROM t', 10, readOnly)).rejects.toThrow(
      'cannot insert multiple commands into a prepared statement',
    );
    await client.query('ROLLBACK');
    const rows = await client.query('SELECT count(*)::int AS n FROM t');
    expect(rows.rows).toEqual([{ n: 3 }]);
  });

  it('contains a lone COMMIT: it ends BEGIN’s transaction, and the session stays read-only', async () => {
    const commit = await runCappedStatement(client, 'COMMIT', 10, readOnly);
    expect(commit.command).toBe('COMMIT');
    expect(client.getTransactionStatus()).toBe('I');
    await expect(
      runCappedStatement(client, "INSERT INTO t VALUES (50, 'x')", 10, readOnly),
    ).rejects.toThrow('cannot execute INSERT in a read-only transaction');
    await client.query('ROLLBACK');
  });

  it('fails SQL holding a NUL before sending anything, and the client stays usable', async () => {
    const counted = await roundTrips(async () => {
      await expect(
        runCappedStatement(client, 'SELECT 1\0; DELETE FROM t', 10, readOnly),
      ).rejects.toThrow('NUL');
    });
    expect(counted).toEqual({ writes: 0, ready: 0 });
    expect((await runCappedStatement(client, 'SELECT 5', 10, readOnly)).rows).toEqual([[5]]);
  });

  it('ends COPY FROM STDIN alone without hanging the connection', async () => {
    await client.query('CREATE TEMP TABLE copied (n integer)');
    await expect(runCappedStatement(client, 'COPY copied FROM STDIN', 10)).rejects.toThrow(
      'COPY FROM STDIN is not supported',
    );
    expect((await runCappedStatement(client, 'SELECT 6', 10, readOnly)).rows).toEqual([[6]]);
    const rows = await client.query('SELECT count(*)::int AS n FROM copied');
    expect(rows.rows).toEqual([{ n: 0 }]);
  });

  it('fails COPY FROM STDIN followed by ROLLBACK: the server drops that connection, nothing hangs', async () => {
    const own = new pg.Client({ connectionString: database.readerUrl });
    const lost: Error[] = [];
    own.on('error', (error) => lost.push(error));
    await own.connect();
    try {
      await own.query('CREATE TEMP TABLE copied (n integer)');
      await expect(
        runCappedStatement(own, 'COPY copied FROM STDIN', 10, {
          before: ['BEGIN'],
          after: ['ROLLBACK'],
        }),
      ).rejects.toThrow('COPY FROM STDIN is not supported');
      await expect(own.query('SELECT 1')).rejects.toThrow();
      expect(lost.map((error) => error.message)).toEqual([
        'terminating connection because protocol synchronization was lost',
      ]);
    } finally {
      await own.end().catch(() => undefined);
    }
  });
});
