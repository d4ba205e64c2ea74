// The floor row's server: an MCP server on the same SDK as cadre (McpServer, a zod input
// schema, stdio) whose `query` tool answers `SELECT 1` without a database. No server built on
// this SDK can answer faster over stdio, so it bounds what any database work can be cut to.
import process from 'node:process';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const server = new McpServer({ name: 'bench-sdk-floor', version: '0.0.0' });
server.registerTool(
  'query',
  { description: 'Answers SELECT 1 without a database', inputSchema: { sql: z.string() } },
  async () => ({
    content: [{ type: 'text', text: '?column?\n--------\n1' }],
    structuredContent: {
      result: { columns: [{ name: '?column?', type: 'integer' }], rows: [[1]] },
    },
  }),
);
await server.connect(new StdioServerTransport());
process.stdin.once('end', () => process.exit(0));
