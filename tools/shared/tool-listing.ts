import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Grant } from '../../src/org/agent-schema.js';

/** cadre's own tool servers. */
export type BuiltinServerName = 'psql' | 'redis-cli' | 'pgbench';

/**
 * A stand-in for what a tool's handlers work with (a pool, a connection, a runner) in a server
 * that only lists its tools: registering never touches it, and anything that did would fail
 * with this error instead of reaching a database.
 */
function notConnected<T extends object>(what: string): T {
  const refuse = (): never => {
    throw new Error(`${what} is not connected: this server only lists its tools`);
  };
  return new Proxy({} as T, { get: refuse, set: refuse });
}

/** A server with the tools `grant` gives, at the server's default options, connected to nothing. */
async function listingServer(name: BuiltinServerName, grant: Grant): Promise<McpServer> {
  const server = new McpServer({ name: `cadre-${name}-listing`, version: '0.1.0' });
  if (name === 'psql') {
    const { psqlDefaults, registerPsqlTools } = await import('../psql/server.js');
    registerPsqlTools(server, {
      database: notConnected('the database'),
      grant,
      timeoutMs: psqlDefaults.timeoutMs,
      maxRows: psqlDefaults.maxRows,
      role: 'the role of the URL',
    });
  } else if (name === 'redis-cli') {
    const { defaultMaxReplyBytes, defaultTimeoutMs, registerRedisTools } =
      await import('../redis-cli/server.js');
    registerRedisTools(server, {
      redis: notConnected('Redis'),
      grant,
      timeoutMs: defaultTimeoutMs,
      maxReplyBytes: defaultMaxReplyBytes,
    });
  } else {
    const { defaultMaxSeconds, registerPgbenchTools } = await import('../pgbench/server.js');
    const { startupAllowanceMs } = await import('../pgbench/run-tool.js');
    const { InFlightCalls } = await import('../pgbench/in-flight-calls.js');
    registerPgbenchTools(server, {
      runner: notConnected('pgbench'),
      grant,
      scope: { target: 'postgres', allowedTargets: ['postgres'] },
      maxSeconds: defaultMaxSeconds,
      timeoutMs: defaultMaxSeconds * 1000 + startupAllowanceMs,
      calls: new InFlightCalls(),
      headroom: () => Promise.reject(new Error('not connected: this server only lists its tools')),
    });
  }
  return server;
}

const listings = new Map<string, Promise<Tool[]>>();

/**
 * What one of cadre's tool servers lists (`tools/list`, as an MCP client receives it) at a grant
 * with its default options, without starting it or connecting to anything: the same names,
 * descriptions, input schemas and annotations, from the same registration code. For rehearsals,
 * and for a server that cannot start, so the model still sees each tool's real parameters.
 */
export function listBuiltinTools(name: BuiltinServerName, grant: Grant): Promise<Tool[]> {
  const key = `${name}|${grant}`;
  let listing = listings.get(key);
  if (!listing) {
    listing = (async () => {
      const server = await listingServer(name, grant);
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      const client = new Client({ name: 'cadre-tool-listing', version: '0.1.0' });
      await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
      try {
        return (await client.listTools()).tools;
      } finally {
        await client.close();
        await server.close();
      }
    })();
    listings.set(key, listing);
    listing.catch(() => listings.delete(key));
  }
  return listing;
}
