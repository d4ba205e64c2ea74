import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BackendRouter, backendRouterOf } from '../../../tools/psql/backend-router.js';
import type { ChunkCheck, DirectReceiver } from '../../../tools/psql/backend-router.js';
import { runCappedStatement } from '../../../tools/psql/capped-query.js';
import { PsqlDatabase } from '../../../tools/psql/psql-database.js';
import { guardResultSize } from '../../../tools/psql/result-size-guard.js';
import { createPsqlTestDatabase } from './psql-test-database.js';
import type { PsqlTestDatabase } from './psql-test-database.js';

let database: PsqlTestDatabase;
const clients: pg.Client[] = [];
const opened: PsqlDatabase[] = [];

beforeAll(async () => {
  database = await createPsqlTestDatabase();
  await database.admin.query(`
    CREATE FUNCTION noisy(n integer) RETURNS integer LANGUAGE plpgsql AS
      $$ BEGIN RAISE NOTICE 'row %', n; RETURN n; END $$;
  `);
}, 20_000);

afterAll(async () => {
  await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
  await Promise.all(opened.map((psql) => psql.close()));
  await database?.drop();
});

/** A reader client with the result-size guard and its router, and what pg itself parsed. */
async function routedClient(limit?: number) {
  const client = new pg.Client({ connectionString: database.readerUrl });
  clients.push(client);
  await client.connect();
  guardResultSize(client, limit);
  expect(backendRouterOf(client.connection)).toBeDefined();
  const parsedByPg = { dataRow: 0, rowDescription: 0, commandComplete: 0 };
  for (const name of Object.keys(parsedByPg) as (keyof typeof parsedByPg)[]) {
    client.connection.on(name, () => {
      parsedByPg[name] += 1;
    });
  }
  let chunks = 0;
  client.connection.stream.on('data', () => {
    chunks += 1;
  });
  const notices: string[] = [];
  client.on('notice', (notice) => notices.push(notice.message ?? ''));
  return { client, parsedByPg, chunks: () => chunks, notices };
}

function open(url: string, grant: 'read' | 'write', timeoutMs = 5_000): PsqlDatabase {
  const psql = new PsqlDatabase({ url, grant, timeoutMs, poolSize: 1 });
  opened.push(psql);
  return psql;
}

/** The state of a backend, as pg_stat_activity reports it. */
async function backendState(pid: unknown): Promise<unknown> {
  const result = await database.admin.query(
    'SELECT state, backend_xid FROM pg_stat_activity WHERE pid = $1',
    [pid],
  );
  return result.rows[0];
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

/** Rows of 33 to 1,300 bytes: 5,000 of them span many socket chunks, headers split between. */
const wideRows =
  'SELECT g, repeat(md5(g::text), 1 + g % 40) AS payload FROM generate_series(1, 5000) g';
const wideRow = (g: number) => [g, md5(String(g)).repeat(1 + (g % 40))];

describe('rows routed straight to the query', () => {
  it('arrives whole across many chunks, and pg parses none of the rows', async () => {
    const { client, parsedByPg, chunks } = await routedClient();
    const result = await runCappedStatement(client, wideRows, 10_000);
    expect(chunks()).toBeGreaterThan(20);
    expect(result.rows).toEqual(Array.from({ length: 5000 }, (_, index) => wideRow(index + 1)));
    expect(result).toMatchObject({ command: 'SELECT', rowCount: 5000, truncated: false });
    expect(result.columns.map((column) => column.name)).toEqual(['g', 'payload']);
    expect(parsedByPg).toEqual({ dataRow: 0, rowDescription: 0, commandComplete: 0 });
    expect(client.getTransactionStatus()).toBe('I');
  });

  it('stops at the row cap across chunks; the next statement on the connection works', async () => {
    const { client, parsedByPg } = await routedClient();
    const result = await runCappedStatement(client, wideRows, 3333);
    expect(result.rows).toEqual(Array.from({ length: 3333 }, (_, index) => wideRow(index + 1)));
    expect(result.truncated).toBe(true);
    expect(result.command).toBeUndefined();
    const next = await runCappedStatement(client, 'SELECT 7 AS seven', 10);
    expect(next).toMatchObject({ command: 'SELECT', rows: [[7]], truncated: false });
    expect(parsedByPg.dataRow).toBe(0);
  });

  it('takes a single value spread over hundreds of chunks whole, joining its chunks once', async () => {
    const sql = "SELECT repeat('ab', 20000000) AS big, 'after' AS tail";
    const { client, parsedByPg, chunks } = await routedClient();
    const joins = vi.spyOn(Buffer, 'concat');
    let result;
    try {
      result = await runCappedStatement(client, sql, 10);
    } finally {
      joins.mockRestore();
    }
    expect(chunks()).toBeGreaterThan(100);
    const [big, tail] = result.rows[0] ?? [];
    expect(big).toHaveLength(40_000_000);
    expect(big).toBe('ab'.repeat(20_000_000));
    expect(tail).toBe('after');
    expect(parsedByPg.dataRow).toBe(0);
    // Joined once per message, not once per chunk (which copied the pending bytes again on
    // every chunk: quadratic in the size of the value).
    expect(joins.mock.calls.length).toBeLessThan(10);
  });

  it('keeps NULLs, empty strings and multi-byte text intact, even split between chunks', async () => {
    const { client } = await routedClient();
    const result = await runCappedStatement(
      client,
      `SELECT g, CASE WHEN g % 7 = 0 THEN NULL ELSE repeat('😀é日本' || g, g % 50 + 1) END AS "値😀",
              '' AS empty, NULL::integer AS nothing
         FROM generate_series(1, 3000) g`,
      5000,
    );
    expect(result.columns.map((column) => column.name)).toEqual(['g', '値😀', 'empty', 'nothing']);
    expect(result.rows).toEqual(
      Array.from({ length: 3000 }, (_, index) => {
        const g = index + 1;
        return [g, g % 7 === 0 ? null : `😀é日本${g}`.repeat((g % 50) + 1), '', null];
      }),
    );
  });

  it('routes a statement pg submits as the previous one ends, pg’s own queries in between', async () => {
    const { client, parsedByPg } = await routedClient();
    // Each statement waits behind the running one; pg submits it when ReadyForQuery arrives.
    const first = runCappedStatement(client, 'SELECT generate_series(1, 3)', 10);
    const own = client.query<{ n: number }>('SELECT generate_series(1, 4) AS n');
    expect((await first).rows).toEqual([[1], [2], [3]]);
    const second = runCappedStatement(client, wideRows, 5000);
    expect((await own).rows.map((row) => row.n)).toEqual([1, 2, 3, 4]);
    // Submitted while the router hands pg the second statement's ReadyForQuery.
    const third = runCappedStatement(client, "SELECT 'third'", 10);
    const secondResult = await second;
    expect(secondResult.rows).toHaveLength(5000);
    expect(secondResult.rows[4999]).toEqual(wideRow(5000));
    expect((await third).rows).toEqual([['third']]);
    // pg parsed only its own query's rows: the capped ones after it were routed again.
    expect(parsedByPg).toEqual({ dataRow: 4, rowDescription: 1, commandComplete: 1 });
  });
});

describe('messages pg still gets, in order', () => {
  it('delivers a NOTICE raised per row without losing rows or notices', async () => {
    const { client, notices, parsedByPg, chunks } = await routedClient();
    const result = await runCappedStatement(
      client,
      "SELECT noisy(g) AS n, repeat('x', 200) AS pad FROM generate_series(1, 3000) g",
      5000,
    );
    expect(chunks()).toBeGreaterThan(5);
    expect(result.rows.map((row) => row[0])).toEqual(
      Array.from({ length: 3000 }, (_, index) => index + 1),
    );
    expect(notices).toEqual(Array.from({ length: 3000 }, (_, index) => `row ${index + 1}`));
    expect(parsedByPg.dataRow).toBe(0);
    expect(client.getTransactionStatus()).toBe('I');
  });

  it('fails with the server’s error raised on row 4,000, and the connection is clean after', async () => {
    const { client, notices, parsedByPg } = await routedClient();
    const failure = await runCappedStatement(
      client,
      "SELECT noisy(g), repeat('x', 500), 1 / (g - 4000) FROM generate_series(1, 5000) g",
      10_000,
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(pg.DatabaseError);
    expect(failure).toMatchObject({ message: 'division by zero', code: '22012' });
    expect(notices).toHaveLength(4000);
    const after = await runCappedStatement(
      client,
      'SELECT pg_backend_pid(), pg_current_xact_id_if_assigned(), generate_series(1, 3)',
      10,
    );
    expect(after.rows.map((row) => row[2])).toEqual([1, 2, 3]);
    expect(client.getTransactionStatus()).toBe('I');
    expect(await backendState(after.rows[0]?.[0])).toEqual({ state: 'idle', backend_xid: null });
    expect(parsedByPg.dataRow).toBe(0);
  });

  it('hands pg a ParameterStatus sent with the rows, and the connection stays in step', async () => {
    const { client } = await routedClient();
    const statuses: { parameterName: string; parameterValue: string }[] = [];
    client.connection.on('parameterStatus', (message) => statuses.push(message));
    const result = await runCappedStatement(
      client,
      "SELECT set_config('application_name', 'renamed-' || g, false), g FROM generate_series(1, 2000) g",
      5000,
    );
    expect(result.rows).toHaveLength(2000);
    expect(result.rows[1999]).toEqual(['renamed-2000', 2000]);
    expect(statuses).toContainEqual({
      name: 'parameterStatus',
      length: expect.any(Number),
      parameterName: 'application_name',
      parameterValue: 'renamed-2000',
    });
    const next = await runCappedStatement(client, 'SHOW application_name', 10);
    expect(next.rows).toEqual([['renamed-2000']]);
    expect(client.getTransactionStatus()).toBe('I');
  });

  it('hands pg the COPY messages: COPY TO STDOUT completes and the next statement works', async () => {
    const { client } = await routedClient();
    const copy = await runCappedStatement(
      client,
      'COPY (SELECT g, md5(g::text) FROM generate_series(1, 5000) g) TO STDOUT',
      10,
    );
    expect(copy).toMatchObject({ command: 'COPY', rowCount: 5000, rows: [] });
    const next = await runCappedStatement(client, 'SELECT 8', 10);
    expect(next.rows).toEqual([[8]]);
  });

  it('cuts the connection when the rows pass the size limit, with the guard’s error', async () => {
    const { client } = await routedClient(1024 * 1024);
    const lost: Error[] = [];
    client.on('error', (error) => lost.push(error));
    await expect(
      runCappedStatement(client, "SELECT repeat('x', 1000) FROM generate_series(1, 3000)", 5000),
    ).rejects.toThrow('the result is larger than 1 MB');
    expect(lost.map((error) => error.name)).toEqual(['ResultTooLargeError']);
  });
});

describe('the router through PsqlDatabase', () => {
  it('sits in front of the socket of every connection', async () => {
    const psql = open(database.readerUrl, 'read');
    const routed = await psql.readOnly(async (client) =>
      backendRouterOf((client as pg.Client).connection),
    );
    expect(routed).toBeDefined();
  });

  it('leaves no read-only transaction behind an error raised mid-result', async () => {
    const psql = open(database.writerUrl, 'write');
    await expect(
      psql.readOnlyStatement(
        "SELECT g, repeat('y', 400), 1 / (g - 3000) FROM generate_series(1, 4000) g",
        5000,
      ),
    ).rejects.toThrow('division by zero');
    // The write grant's session is not read-only: a statement left in BEGIN READ ONLY would be.
    const { result } = await psql.autocommitStatement(
      "SELECT current_setting('transaction_read_only'), pg_backend_pid()",
      10,
    );
    expect(result.rows[0]?.[0]).toBe('off');
    expect(await backendState(result.rows[0]?.[1])).toEqual({ state: 'idle', backend_xid: null });
  });

  it('cancels a statement at the timeout mid-result and keeps the connection', async () => {
    const psql = open(database.readerUrl, 'read', 300);
    const pid = async () =>
      (await psql.readOnlyStatement('SELECT pg_backend_pid()', 10)).result.rows[0]?.[0];
    const before = await pid();
    await expect(
      psql.readOnlyStatement(
        "SELECT g, repeat('z', 300), CASE WHEN g = 2000 THEN pg_sleep(5) END FROM generate_series(1, 3000) g",
        5000,
      ),
    ).rejects.toThrow('canceling statement due to statement timeout');
    expect(await pid()).toBe(before);
    const { result } = await psql.readOnlyStatement('SELECT generate_series(1, 3)', 10);
    expect(result.rows).toEqual([[1], [2], [3]]);
  });

  it('resets a reported setting changed mid-result above the read grant', async () => {
    const psql = open(database.writerUrl, 'write');
    const show = async () => (await psql.readOnlyStatement('SHOW TimeZone', 10)).result.rows;
    const initial = await show();
    const { result } = await psql.autocommitStatement(
      "SELECT set_config('TimeZone', 'Asia/Tokyo', false), g FROM generate_series(1, 2000) g",
      5000,
    );
    expect(result.rows).toHaveLength(2000);
    expect(await show()).toEqual(initial);
  });

  it('replaces a connection terminated mid-result: the call fails, the next one works', async () => {
    const psql = open(database.readerUrl, 'read');
    const pid = async () =>
      (await psql.readOnlyStatement('SELECT pg_backend_pid()', 10)).result.rows[0]?.[0];
    const before = await pid();
    const running = psql
      .readOnlyStatement(
        "SELECT g, repeat('w', 300), CASE WHEN g = 2000 THEN pg_sleep(5) END FROM generate_series(1, 3000) g",
        5000,
      )
      .catch((error: unknown) => error);
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const state = await database.admin.query(
        "SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND wait_event = 'PgSleep'",
        [before],
      );
      if (state.rowCount === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await database.admin.query('SELECT pg_terminate_backend($1)', [before]);
    expect(await running).toMatchObject({
      message: 'terminating connection due to administrator command',
    });
    const after = await pid();
    expect(after).not.toBe(before);
  });
});

/** One backend message: type byte, int32 length (itself included), then the body's bytes. */
function message(type: string, body: string): Buffer {
  const bytes = Buffer.from(body, 'utf8');
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(4 + bytes.length, 1);
  return Buffer.concat([header, bytes]);
}

/** A framing check that is at a boundary after whole messages only, as the size guard is. */
function framing(bytes: Buffer): ChunkCheck & { seen: number } {
  const boundaries = new Set<number>([0]);
  for (let at = 0; at < bytes.length;) {
    at += 1 + bytes.readInt32BE(at + 1);
    boundaries.add(at);
  }
  return {
    seen: 0,
    overLimit(chunk: Buffer) {
      this.seen += chunk.length;
      return false;
    },
    get atBoundary() {
      return boundaries.has(this.seen);
    },
    tooLarge: () => new Error('too large'),
  };
}

describe('the router’s framing of chunks', () => {
  const routed = [message('T', 'columns'), message('D', 'row one'), message('N', 'notice')];
  const rest = [message('D', 'row two 😀'), message('C', 'SELECT 2\0'), message('Z', 'I')];
  const after = [message('A', 'notification'), message('S', 'parameter')];
  const bytes = Buffer.concat([...routed, ...rest, ...after]);

  it('gives the query its messages and pg the others, in order, wherever the chunks are cut', () => {
    for (let first = 1; first < bytes.length; first += 1) {
      for (const second of [first + 1, first + 4, first + 9, bytes.length]) {
        const stream = new PassThrough();
        const forwarded: Buffer[] = [];
        const taken: string[] = [];
        const check = framing(bytes);
        const router = new BackendRouter(stream, [(chunk) => forwarded.push(chunk)], check);
        const receiver: DirectReceiver = {
          receiveMessage(type, source, start, end) {
            if (type === 0x4e || type === 0x5a) return false;
            taken.push(`${String.fromCharCode(type)}:${source.toString('utf8', start, end)}`);
            return true;
          },
        };
        expect(router.route(receiver)).toBe(true);
        for (const cut of [
          bytes.subarray(0, first),
          bytes.subarray(first, second),
          bytes.subarray(second),
        ]) {
          if (cut.length === 0) continue;
          check.overLimit(cut);
          router.accept(cut);
        }
        expect(taken).toEqual(['T:columns', 'D:row one', 'D:row two 😀', 'C:SELECT 2\0']);
        // pg gets the notice and ReadyForQuery, then everything after it as it came.
        expect(Buffer.concat(forwarded)).toEqual(
          Buffer.concat([message('N', 'notice'), message('Z', 'I'), ...after]),
        );
      }
    }
  });

  it('does not start routing between message boundaries: pg then gets every byte', () => {
    const stream = new PassThrough();
    const forwarded: Buffer[] = [];
    const check = framing(bytes);
    const router = new BackendRouter(stream, [(chunk) => forwarded.push(chunk)], check);
    const head = bytes.subarray(0, 3);
    check.overLimit(head);
    router.accept(head);
    expect(router.route({ receiveMessage: () => true })).toBe(false);
    const tail = bytes.subarray(3);
    check.overLimit(tail);
    router.accept(tail);
    expect(Buffer.concat(forwarded)).toEqual(bytes);
  });
});
