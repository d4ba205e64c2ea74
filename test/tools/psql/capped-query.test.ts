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
