import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import type { Grant } from '../../../src/org/agent-schema.js';
import { listBuiltinTools } from '../../../tools/shared/tool-listing.js';
import { adminUrl, startServer } from '../pgbench/pgbench-harness.js';
import { startPsqlServer } from '../psql/psql-mcp-client.js';
import { startRedisCli } from '../redis-cli/redis-cli-client.js';

/** A listing reduced to what a model and a client read from it, in name order. */
function shape(tools: readonly Tool[]) {
  return [...tools]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map(({ name, title, description, inputSchema, annotations }) => ({
      name,
      title,
      description,
      inputSchema,
      annotations,
    }));
}

describe('listBuiltinTools: what cadre’s tool servers list, without starting them', () => {
  it('gives each grant its operations, with their real parameters', async () => {
    const names = async (server: 'psql' | 'redis-cli' | 'pgbench', grant: Grant) =>
      (await listBuiltinTools(server, grant)).map((tool) => tool.name).sort();
    expect(await names('psql', 'read')).toEqual(['describe', 'explain', 'health', 'query']);
    expect(await names('psql', 'write')).toEqual([
      'describe',
      'execute',
      'explain',
      'health',
      'query',
    ]);
    expect(await names('redis-cli', 'read')).toEqual([
      'bigkeys',
      'command',
      'info',
      'latency',
      'memory',
      'slowlog',
    ]);
    expect(await names('pgbench', 'read')).toEqual(['run']);
    expect(await names('pgbench', 'write')).toEqual(['init', 'run']);
    const query = (await listBuiltinTools('psql', 'read')).find((tool) => tool.name === 'query');
    expect(query?.inputSchema).toMatchObject({
      type: 'object',
      required: ['sql'],
      properties: { sql: { type: 'string' } },
    });
  });

  it('lists exactly what the psql server lists once it runs against a real database', async () => {
    for (const grant of ['read', 'write'] as const) {
      const server = await startPsqlServer(adminUrl, grant);
      try {
        expect(shape(await listBuiltinTools('psql', grant))).toEqual(shape(await server.tools()));
      } finally {
        await server.close();
      }
    }
  });

  it('lists exactly what the redis-cli server lists against the real Redis', async () => {
    const server = await startRedisCli('admin');
    try {
      const live = (await server.client.listTools()).tools;
      expect(shape(await listBuiltinTools('redis-cli', 'admin'))).toEqual(shape(live));
    } finally {
      await server.close();
    }
  });

  it('lists exactly what the pgbench server lists, and answers again from its cache', async () => {
    const server = await startServer(adminUrl, 'write');
    try {
      const live = (await server.client.listTools()).tools;
      const first = await listBuiltinTools('pgbench', 'write');
      expect(shape(first)).toEqual(shape(live));
      expect(await listBuiltinTools('pgbench', 'write')).toBe(first);
    } finally {
      await server.close();
    }
  });
});
