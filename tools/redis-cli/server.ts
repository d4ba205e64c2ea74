import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { Redis } from 'ioredis';
import { CadreError } from '../../src/errors.js';
import type { Grant } from '../../src/org/agent-schema.js';
import { redactSecrets } from '../shared/redact.js';
import { registerBigkeysTool } from './bigkeys-tool.js';
import { registerCommandTool } from './command-tool.js';
import { registerInfoTool } from './info-tool.js';
import { registerLatencyTool } from './latency-tool.js';
import { registerMemoryTool } from './memory-tool.js';
import { registerSlowlogTool } from './slowlog-tool.js';
import { collectStartupFacts } from './startup-notes.js';
import type { RedisOperation, RedisToolContext } from './tool-context.js';
import { grantAllows } from './tool-context.js';

/** How to start the redis-cli MCP server. */
export interface RedisServerOptions {
  /** A resolved Redis URL (`redis://host:6379/0`, `rediss://…`), never `env:NAME`. */
  url: string;
  /** What the server may send: read, write or admin commands. */
  grant: Grant;
  /** Per-command timeout in milliseconds (ioredis `commandTimeout`); default 5000. */
  timeoutMs?: number;
  /** Cap on the bulk bytes of one reply shown to the model; default 64 KiB. */
  maxReplyBytes?: number;
  /** How long to wait for the connection at start, in milliseconds; default 5000. */
  connectTimeoutMs?: number;
}

/** A started redis-cli MCP server. */
export interface RedisServer {
  server: McpServer;
  /** Closes the MCP server and the Redis connection. */
  close(): Promise<void>;
  /** What the CLI prints to stderr at start: version, grant, ACL restrictions. */
  startupNotes: string[];
}

/** Default per-command timeout. */
export const defaultTimeoutMs = 5000;
/** Default cap on the bulk bytes of one reply. */
export const defaultMaxReplyBytes = 64 * 1024;

/** Where a URL points, without credentials, for messages. */
function describeTarget(url: string): string {
  try {
    const parsed = new URL(url);
    const database = parsed.pathname.replace(/^\//, '') || '0';
    return `${parsed.protocol}//${parsed.hostname}:${parsed.port || '6379'}/${database}`;
  } catch {
    return 'the given Redis URL';
  }
}

type Registration = (server: McpServer, context: RedisToolContext) => void;

const registrations: [RedisOperation, Registration][] = [
  ['command', registerCommandTool],
  ['info', registerInfoTool],
  ['slowlog', registerSlowlogTool],
  ['latency', registerLatencyTool],
  ['memory', registerMemoryTool],
  ['bigkeys', registerBigkeysTool],
];

/**
 * Registers the redis-cli tools the context's grant gives (`command`, `info`, `slowlog`,
 * `latency`, `memory`, `bigkeys` as the catalog grants them). Registering sends nothing.
 */
export function registerRedisTools(server: McpServer, context: RedisToolContext): void {
  for (const [operation, register] of registrations) {
    if (grantAllows(context.grant, operation)) register(server, context);
  }
}

/**
 * Connects to Redis (one ioredis connection), checks it (PING, INFO server, ACL WHOAMI) and
 * returns an MCP server with the tools the grant allows: `command` (allow-listed commands as
 * argument arrays), `info`, `slowlog`, `latency`, `memory` and `bigkeys`. Throws a
 * CadreError when Redis cannot be reached.
 */
export async function createRedisServer(options: RedisServerOptions): Promise<RedisServer> {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const maxReplyBytes = options.maxReplyBytes ?? defaultMaxReplyBytes;
  const target = describeTarget(options.url);
  if (!URL.canParse(options.url)) {
    throw new CadreError({
      code: 'redis-url-invalid',
      message: `redis-cli: the URL is not valid: ${redactSecrets(options.url)}`,
      hint: 'write redis://[user:password@]host[:port][/database] (a port from 1 to 65535), or env:NAME',
    });
  }
  const redis = new Redis(options.url, {
    lazyConnect: true,
    commandTimeout: timeoutMs,
    connectTimeout: options.connectTimeoutMs ?? defaultTimeoutMs,
    maxRetriesPerRequest: 1,
    autoResubscribe: false,
    enableAutoPipelining: false,
    // No retry while starting (a wrong URL fails at once); reconnect later if the server restarts.
    retryStrategy: (attempt) => (started ? Math.min(attempt * 200, 2000) : null),
  });
  let started = false;
  let lastError: Error | undefined;
  // Errors reach callers through their commands; without a listener ioredis would log them.
  redis.on('error', (error: Error) => {
    lastError = error;
  });
  let facts;
  try {
    await redis.connect();
    facts = await collectStartupFacts(redis, options.grant);
    started = true;
  } catch (error) {
    redis.disconnect();
    const cause = lastError ?? error;
    throw new CadreError({
      code: 'redis-unreachable',
      message: `could not connect to Redis at ${target}: ${redactSecrets(cause instanceof Error ? cause.message : String(cause))}`,
      hint: 'check that Redis is running and that the URL (host, port, user, password, database) is right',
      cause: error,
    });
  }
  const context: RedisToolContext = { redis, grant: options.grant, timeoutMs, maxReplyBytes };
  const server = new McpServer(
    { name: 'redis-cli', version: '0.1.0' },
    {
      instructions: `Redis ${facts.version} at ${target}, grant ${options.grant}. Send commands as argument arrays through command; KEYS is never sent (use SCAN or bigkeys).`,
    },
  );
  registerRedisTools(server, context);
  let closed = false;
  return {
    server,
    startupNotes: facts.notes,
    async close() {
      if (closed) return;
      closed = true;
      await server.close().catch(() => undefined);
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
