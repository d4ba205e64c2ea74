import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverEnvironment, stdioTransport, tempFolder } from '../mcp-server/cli-server.js';

const database = `cadre_mcp_${process.pid}_${Date.now()}`;
const adminUrl = 'postgres://postgres@127.0.0.1:5432/test';
const databaseUrl = `postgres://postgres@127.0.0.1:5432/${database}`;

function textOf(result: unknown): string {
  return (result as CallToolResult).content
    .map((block) => (block.type === 'text' ? block.text : ''))
    .join('\n');
}

describe('cadre mcp --tools --tool-mode live on agents/esa (real PostgreSQL and Redis)', () => {
  const client = new Client({ name: 'live', version: '1.0.0' });
  let remove: () => Promise<void> = async () => undefined;
  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    const setup = new pg.Client({ connectionString: databaseUrl });
    await setup.connect();
    await setup.query('CREATE TABLE orders (id serial PRIMARY KEY, total numeric)');
    await setup.query('INSERT INTO orders (total) SELECT n FROM generate_series(1, 42) AS n');
    await setup.end();
    const folder = await tempFolder();
    remove = folder.remove;
    await client.connect(
      stdioTransport(
        ['--org', 'agents/esa', '--tools', '--tool-mode', 'live'],
        serverEnvironment(folder.storeUrl, {
          DATABASE_URL: databaseUrl,
          REDIS_URL: 'redis://127.0.0.1:6379',
        }),
      ),
    );
  });
  afterAll(async () => {
    await client.close();
    await remove();
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [database],
    );
    await admin.query(`DROP DATABASE IF EXISTS ${database}`);
    await admin.end();
  });

  it('lists the tools with their servers’ own schemas, at the org’s grants (read only: no psql__execute)', async () => {
    const { tools } = await client.listTools();
    const query = tools.find((tool) => tool.name === 'psql__query');
    expect(query?.inputSchema.required).toEqual(['sql']);
    expect(Object.keys(query?.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(['sql', 'agent']),
    );
    expect(tools.map((tool) => tool.name)).not.toContain('psql__execute');
  });

  it('queries the real database for the agent it acts for, and refuses a write at that agent’s read grant', async () => {
    const counted = await client.callTool({
      name: 'psql__query',
      arguments: { agent: 'layer-1', sql: 'SELECT count(*) AS orders FROM orders' },
    });
    expect(counted.isError).toBeFalsy();
    expect(textOf(counted)).toContain('42');
    const write = await client.callTool({
      name: 'psql__query',
      arguments: { agent: 'layer-1', sql: 'DELETE FROM orders' },
    });
    expect(write.isError).toBe(true);
    const missing = await client.callTool({ name: 'psql__query', arguments: { agent: 'layer-1' } });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toMatch(/psql__query: .* at sql/);
    const info = await client.callTool({
      name: 'redis-cli__info',
      arguments: { agent: 'layer-14', section: 'stats' },
    });
    expect(info.isError).toBeFalsy();
    expect(textOf(info)).toContain('keyspace_hit_ratio');
  });
});
