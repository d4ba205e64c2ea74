import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../../tools/pgbench/run-report.js';
import type { RunningServer, TestDatabase } from './pgbench-harness.js';
import { createTestDatabase, dataOf, sql, startServer, textOf } from './pgbench-harness.js';

let database: TestDatabase;
let writer: RunningServer;
let reader: RunningServer;

beforeAll(async () => {
  database = await createTestDatabase();
  [writer, reader] = await Promise.all([
    startServer(database.url, 'write'),
    startServer(database.url, 'read'),
  ]);
});

afterAll(async () => {
  await Promise.all([writer?.close(), reader?.close()]);
  await database?.drop();
});

describe('the pgbench MCP server', () => {
  it('reports the pgbench version and the target when it starts', () => {
    expect(writer.stderr()).toMatch(/pgbench \(PostgreSQL\) \d+/);
    expect(writer.stderr()).toContain(
      `target 'postgres': postgres@127.0.0.1:5432/${database.name}`,
    );
    expect(writer.stderr()).not.toContain('CADRE_TEST_PG_URL');
  });

  it('lists only run at the read grant, read-only, and init as well at the write grant', async () => {
    const readTools = (await reader.client.listTools()).tools;
    expect(readTools.map((tool) => tool.name)).toEqual(['run']);
    expect(readTools[0]?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });

    const writeTools = (await writer.client.listTools()).tools;
    expect(writeTools.map((tool) => tool.name).sort()).toEqual(['init', 'run']);
    const run = writeTools.find((tool) => tool.name === 'run');
    const init = writeTools.find((tool) => tool.name === 'init');
    expect(run?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(init?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(run?.inputSchema.properties).toHaveProperty('duration_seconds');
    expect(run?.inputSchema).toMatchObject({ additionalProperties: false });
  });

  it('creates the pgbench tables at scale 1 with init', async () => {
    const result = await writer.call('init', { scale: 1 });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(dataOf<{ scale: number; accountsRows: number }>(result)).toMatchObject({
      scale: 1,
      accountsRows: 100_000,
    });
    expect(textOf(result)).toContain('at scale 1');
  });

  it('runs select-only for 2 seconds and reports tps, percentiles, statements and progress', async () => {
    const result = await writer.call('run', {
      builtin: 'select-only',
      clients: 2,
      duration_seconds: 2,
    });
    expect(result.isError, textOf(result)).toBeFalsy();
    const report = dataOf<RunReport>(result);
    expect(report.tps).toBeGreaterThan(0);
    expect(report.failedTransactions).toBe(0);
    expect(report.transactionsProcessed).toBeGreaterThan(0);
    const latency = report.latencyMs;
    if (latency === undefined) throw new Error('no latency figures');
    expect(latency.p50).toBeLessThanOrEqual(latency.p95);
    expect(latency.p95).toBeLessThanOrEqual(latency.p99);
    expect(latency.p99).toBeLessThanOrEqual(latency.max);
    expect(latency.average).toBeGreaterThan(0);
    expect(report.statements.some((statement) => /SELECT abalance/.test(statement.command))).toBe(
      true,
    );
    expect(report.progress.length).toBeGreaterThanOrEqual(1);
    expect(report.progress[0]?.tps).toBeGreaterThan(0);
    expect(report.logFiles).toBeGreaterThanOrEqual(1);
    expect(existsSync(report.logDirectory)).toBe(false);
    expect(textOf(result)).toMatch(/tps: [0-9.]+/);
    expect(textOf(result)).toMatch(/p50 [0-9.]+, p95 [0-9.]+, p99 [0-9.]+, max [0-9.]+/);
  });

  it('runs a fixed number of transactions per client', async () => {
    const result = await writer.call('run', { builtin: 'tpcb-like', clients: 2, transactions: 25 });
    expect(result.isError, textOf(result)).toBeFalsy();
    const report = dataOf<RunReport>(result);
    expect(report.transactionsProcessed).toBe(50);
    expect(report.transactionsPerClient).toBe(25);
    expect(report.failedTransactions).toBe(0);
    expect(report.statements.map((statement) => statement.command)).toContain('END;');
    expect(existsSync(report.logDirectory)).toBe(false);
  });

  it('runs a custom read-only script at the read grant inside a read-only transaction', async () => {
    const script = [
      '\\set aid random(1, 100000)',
      'SELECT abalance FROM pgbench_accounts WHERE aid = :aid;',
      '-- a comment; with a semicolon',
      "SELECT count(*) FROM pgbench_branches WHERE bid > 0 AND 'x;y' <> ''",
    ].join('\n');
    const result = await reader.call('run', { script, clients: 2, threads: 2, transactions: 20 });
    expect(result.isError, textOf(result)).toBeFalsy();
    const report = dataOf<RunReport>(result);
    expect(report.script).toBe('custom');
    expect(report.readOnlyWrapper).toBe(true);
    expect(report.transactionsProcessed).toBe(40);
    const commands = report.statements.map((statement) => statement.command);
    expect(commands[0]).toBe('BEGIN TRANSACTION READ ONLY;');
    expect(commands).toContain('SELECT abalance FROM pgbench_accounts WHERE aid = :aid;');
    expect(commands.at(-1)).toBe('ROLLBACK;');
    expect(existsSync(report.logDirectory)).toBe(false);
  });

  it('leaves no temporary files behind', async () => {
    expect(await readdir(writer.temporaryDirectory)).toEqual([]);
    expect(await readdir(reader.temporaryDirectory)).toEqual([]);
  });

  it('stops a run that overruns its time limit and reports it as an error', async () => {
    const bounded = await startServer(database.url, 'read', [
      '--max-seconds',
      '2',
      '--timeout-ms',
      '1500',
    ]);
    try {
      const result = await bounded.call('run', {
        script: 'SELECT pg_sleep(0.2);',
        clients: 1,
        transactions: 100_000,
      });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/ran past its time limit of 1\.5 s and was stopped/);
      expect(await readdir(bounded.temporaryDirectory)).toEqual([]);
      const tooLong = await bounded.call('run', { duration_seconds: 3 });
      expect(tooLong.isError).toBe(true);
      expect(textOf(tooLong)).toMatch(/duration_seconds must be a whole number from 1 to 2/);
    } finally {
      await bounded.close();
    }
  });

  it('refuses a run that would take the connection slots other sessions need', async () => {
    // The test servers allow 100 connections (PostgreSQL's default), so 100 clients cannot fit.
    const [setting] = await sql<{ max: number }>(
      database.url,
      "SELECT current_setting('max_connections')::int AS max",
    );
    expect(setting?.max, 'this test needs max_connections <= 110').toBeLessThanOrEqual(110);
    const result = await reader.call('run', { clients: 100, threads: 1, transactions: 1 });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(
      /^refused: a run with 100 clients would leave other sessions fewer than \d+ free connections: the server allows \d+/,
    );
    expect(await readdir(reader.temporaryDirectory)).toEqual([]);
  });

  it('removes a running benchmark’s files when it is stopped with SIGTERM', async () => {
    const stopped = await startServer(database.url, 'read');
    try {
      // The call ends with the server (connection closed): that outcome is not what is tested.
      const call = stopped
        .call('run', { script: 'SELECT 1;', duration_seconds: 20, clients: 1 })
        .catch(() => undefined);
      // The run has started once its private directory (script and logs) exists.
      while ((await readdir(stopped.temporaryDirectory)).length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const exited = new Promise<void>((resolve) => {
        const poll = setInterval(() => {
          try {
            process.kill(stopped.pid, 0);
          } catch {
            clearInterval(poll);
            resolve();
          }
        }, 20);
      });
      process.kill(stopped.pid, 'SIGTERM');
      await exited;
      await call;
      expect(await readdir(stopped.temporaryDirectory)).toEqual([]);
    } finally {
      await stopped.close();
    }
  });

  it('says clearly when the pgbench binary is missing', async () => {
    const outcome = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [
          'dist/tools/pgbench/main.js',
          '--url',
          'env:CADRE_TEST_PG_URL',
          '--pgbench-path',
          '/nonexistent/pgbench',
        ],
        { env: { ...process.env, CADRE_TEST_PG_URL: database.url } },
        (error, _stdout, stderr) => {
          resolve({ code: error === null ? 0 : (error.code as number | null), stderr });
        },
      );
    });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(
      'pgbench is not installed: apt-get install postgresql-client, or set --pgbench-path',
    );
  });
});
