// The round-trip floor row's server: the floor server (sdk-floor-server.mjs: McpServer, a zod
// input schema, stdio) whose `query` tool sends its statement to PostgreSQL in one round trip
// and answers with the value, with nothing else: no statement check, no transaction, no
// timeout, no row cap, no result table. Four connections (cadre's pool size), each taken from a
// free list; the simple query protocol through pg, its lightest path. What cadre's server does
// on every call includes all of this, so this row bounds what cadre can reach on this machine
// at this moment: cadre's goal against the peer is only reachable where this row exceeds it.
import process from 'node:process';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import pg from 'pg';
import { z } from 'zod';

const connections = await Promise.all(
  Array.from({ length: 4 }, async () => {
    const client = new pg.Client({ connectionString: process.env.BENCH_PG_URL });
    await client.connect();
    return client;
  }),
);
const free = [...connections];
const waiting = [];
const acquire = () =>
  free.length > 0 ? Promise.resolve(free.pop()) : new Promise((resolve) => waiting.push(resolve));
const release = (client) => {
  const next = waiting.shift();
  if (next) next(client);
  else free.push(client);
};

const server = new McpServer({ name: 'bench-sdk-pg-floor', version: '0.0.0' });
server.registerTool(
  'query',
  {
    description: 'Runs one statement, one round trip, nothing else',
    inputSchema: { sql: z.string() },
  },
  async ({ sql }) => {
    const client = await acquire();
    try {
      const { rows } = await client.query({ text: sql, rowMode: 'array' });
      return {
        content: [{ type: 'text', text: String(rows[0][0]) }],
        structuredContent: { result: { rows } },
      };
    } finally {
      release(client);
    }
  },
);
await server.connect(new StdioServerTransport());
process.stdin.once('end', async () => {
  await Promise.all(connections.map((client) => client.end()));
  process.exit(0);
});
