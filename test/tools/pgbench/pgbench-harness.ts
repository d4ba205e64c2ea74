import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import pg from 'pg';

/** The administration database of the test PostgreSQL server. */
export const adminUrl = 'postgres://postgres@127.0.0.1:5432/test';

/** A database of its own for one test file. */
export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Creates `cadre_pgbench_<random>`; `drop` terminates its connections and drops it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `cadre_pgbench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: `postgres://postgres@127.0.0.1:5432/${name}`,
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
          [name],
        );
        await client.query(`DROP DATABASE IF EXISTS ${name}`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Runs SQL on a database (test setup and checks only; the tool under test never uses this). */
export async function sql<Row extends pg.QueryResultRow>(
  url: string,
  text: string,
): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Row>(text)).rows;
  } finally {
    await client.end();
  }
}

/** A checksum of the four pgbench tables' contents. */
export async function pgbenchChecksum(url: string): Promise<string> {
  const rows = await sql<{ checksum: string }>(
    url,
    `SELECT md5(
       (SELECT coalesce(string_agg(a::text, ',' ORDER BY aid), '') FROM pgbench_accounts a) ||
       (SELECT coalesce(string_agg(b::text, ',' ORDER BY bid), '') FROM pgbench_branches b) ||
       (SELECT coalesce(string_agg(t::text, ',' ORDER BY tid), '') FROM pgbench_tellers t) ||
       (SELECT coalesce(string_agg(h::text, ',' ORDER BY h::text), '') FROM pgbench_history h)
     ) AS checksum`,
  );
  return rows[0]?.checksum ?? '';
}

/** A pgbench MCP server running as a child process, with an MCP client connected to it. */
export interface RunningServer {
  client: Client;
  /** Temp directory the server uses (its TMPDIR), to check that nothing is left behind. */
  temporaryDirectory: string;
  /** The server process's id. */
  pid: number;
  /** What the server wrote to stderr (startup notes). */
  stderr(): string;
  call(name: string, input: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

/**
 * Starts `node dist/tools/pgbench/main.js --url env:CADRE_TEST_PG_URL --grant <grant>` with the
 * URL in the child's environment only, and connects an MCP client over stdio.
 */
export async function startServer(
  url: string,
  grant: 'read' | 'write' | 'admin',
  extraArguments: string[] = [],
): Promise<RunningServer> {
  const temporaryDirectory = await mkdtemp(join(tmpdir(), 'cadre-pgbench-test-'));
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [
      'dist/tools/pgbench/main.js',
      '--url',
      'env:CADRE_TEST_PG_URL',
      '--grant',
      grant,
      ...extraArguments,
    ],
    env: { ...process.env, CADRE_TEST_PG_URL: url, TMPDIR: temporaryDirectory } as Record<
      string,
      string
    >,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const client = new Client({ name: 'cadre-pgbench-test', version: '1.0.0' });
  await client.connect(transport);
  return {
    client,
    temporaryDirectory,
    pid: transport.pid ?? 0,
    stderr: () => stderr,
    call: async (name, input) =>
      (await client.callTool({ name, arguments: input })) as CallToolResult,
    close: async () => {
      await client.close();
      await rm(temporaryDirectory, { recursive: true, force: true });
    },
  };
}

/** The text of a tool result. */
export function textOf(result: CallToolResult): string {
  return result.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
}

/** The JSON of a successful tool result. */
export function dataOf<T>(result: CallToolResult): T {
  return (result.structuredContent as { result: T }).result;
}
