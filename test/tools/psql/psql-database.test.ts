import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PsqlDatabase } from '../../../tools/psql/psql-database.js';
import { createPsqlTestDatabase } from './psql-test-database.js';
import type { PsqlTestDatabase } from './psql-test-database.js';

let database: PsqlTestDatabase;
const opened: PsqlDatabase[] = [];

function open(url: string, grant: 'read' | 'write' = 'read', timeoutMs = 5000): PsqlDatabase {
  const psql = new PsqlDatabase({ url, grant, timeoutMs, poolSize: 1 });
  opened.push(psql);
  return psql;
}

beforeAll(async () => {
  database = await createPsqlTestDatabase();
  await database.admin.query("CREATE TYPE mood AS ENUM ('ok', 'meh')");
}, 20_000);

afterAll(async () => {
  await Promise.all(opened.map((psql) => psql.close()));
  await database?.drop();
});

/** The state of a backend, as pg_stat_activity reports it. */
async function backendState(pid: unknown): Promise<unknown> {
  const result = await database.admin.query('SELECT state FROM pg_stat_activity WHERE pid = $1', [
    pid,
  ]);
  return result.rows[0]?.state;
}

describe('a read-only statement in one round trip', () => {
  it('returns the rows and the columns’ type names, in a read-only transaction', async () => {
    const psql = open(database.readerUrl);
    const { result, columns } = await psql.readOnlyStatement(
      "SELECT 1 AS one, 'ok'::mood AS mood, current_setting('transaction_read_only') AS ro",
      10,
    );
    expect(result.rows).toEqual([[1, 'ok', 'on']]);
    expect(columns).toEqual([
      { name: 'one', type: 'integer' },
      { name: 'mood', type: 'mood' },
      { name: 'ro', type: 'text' },
    ]);
  });

  it('leaves the connection idle and outside any transaction after a failure', async () => {
    const psql = open(database.readerUrl);
    for (const sql of ['SELECT 1 / 0', 'SELECT * FROM no_such_table', "SELECT 'x'::integer"]) {
      await expect(psql.readOnlyStatement(sql, 10)).rejects.toThrow();
      const { result } = await psql.readOnlyStatement(
        "SELECT pg_backend_pid(), current_setting('transaction_read_only')",
        10,
      );
      const [pid, readOnly] = result.rows[0] ?? [];
      expect(readOnly).toBe('on');
      expect(await backendState(pid)).toBe('idle');
    }
  });

  it('stops a statement at the timeout and the next call works', async () => {
    const psql = open(database.readerUrl, 'read', 300);
    await expect(psql.readOnlyStatement('SELECT pg_sleep(5)', 10)).rejects.toThrow(
      'canceling statement due to statement timeout',
    );
    const { result } = await psql.readOnlyStatement('SHOW statement_timeout', 10);
    expect(result.rows).toEqual([['300ms']]);
  });

  it('contains a lone COMMIT: the session stays read-only', async () => {
    const psql = open(database.readerUrl);
    await psql.readOnlyStatement('COMMIT', 10);
    await expect(psql.readOnlyStatement("INSERT INTO t VALUES (70, 'x')", 10)).rejects.toThrow(
      'read-only transaction',
    );
    await expect(psql.autocommitStatement("INSERT INTO t VALUES (70, 'x')", 10)).rejects.toThrow(
      'read-only transaction',
    );
  });
});

describe('connection settings from the URL', () => {
  it('keeps the URL’s options but not its attempts to undo the tool’s settings', async () => {
    const options = encodeURIComponent(
      '-c search_path=pg_catalog,public -c default_transaction_read_only=off -c standard_conforming_strings=off',
    );
    const psql = open(`${database.readerUrl}?options=${options}&statement_timeout=0`);
    const show = async (name: string) =>
      (await psql.readOnlyStatement(`SHOW ${name}`, 10)).result.rows[0]?.[0];
    expect(await show('search_path')).toBe('pg_catalog,public');
    expect(await show('default_transaction_read_only')).toBe('on');
    expect(await show('standard_conforming_strings')).toBe('on');
    expect(await show('statement_timeout')).toBe('5s');
    expect(await show('application_name')).toBe('cadre-psql');
  });

  it('resets the session above the read grant: DISCARD ALL brings back the startup values', async () => {
    const options = encodeURIComponent('-c search_path=public');
    const psql = open(`${database.writerUrl}?options=${options}`, 'write');
    await psql.autocommitStatement('SET search_path = pg_catalog', 10);
    await psql.autocommitStatement('SET statement_timeout = 0', 10);
    const { result } = await psql.readOnlyStatement(
      "SELECT current_setting('search_path'), current_setting('statement_timeout'), current_setting('transaction_read_only')",
      10,
    );
    expect(result.rows).toEqual([['public', '5s', 'on']]);
  });
});
