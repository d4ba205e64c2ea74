import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createCadreMcpServer } from './create-mcp-server.js';
import { refusalOf } from './http-access.js';
import type { HttpAccess } from './http-access.js';
import { urlHost } from './http-address.js';
import type { HttpAddress } from './http-address.js';
import { MemoryEventStore } from './memory-event-store.js';
import type { CadreMcpContext } from './server-context.js';

/** The path MCP clients post to. */
export const mcpPath = '/mcp';

/** Sessions one server keeps at once; a client past that is told to try later (503). */
export const defaultMaxSessions = 64;

/** How long a session with no request and no open stream is kept: 30 minutes. */
export const defaultSessionIdleMs = 30 * 60_000;

/** Limits of `serveHttp`. */
export interface HttpSessionLimits {
  /** Sessions kept at once (`defaultMaxSessions`). */
  maxSessions?: number;
  /**
   * A session nobody has used for this long (no request, no open stream) ends, so a client that
   * went away without ending its session does not hold a place for ever (`defaultSessionIdleMs`).
   */
  sessionIdleMs?: number;
}

/** A running `cadre mcp --http`. */
export interface HttpMcpServer {
  /** The endpoint clients connect to, such as http://127.0.0.1:7337/mcp. */
  url: string;
  /** Ends every session and stops listening. */
  close(): Promise<void>;
}

interface Session {
  transport: StreamableHTTPServerTransport;
  server: McpServer;
  /** Requests and streams of the session still open. */
  open: number;
  /** When its last request or stream ended (or it began). */
  lastUsed: number;
}

function reply(
  response: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  if (response.headersSent) return;
  response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  response.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

/**
 * Serves cadre over Streamable HTTP (the SDK's transport) at `/mcp`: each client gets a session
 * (`Mcp-Session-Id`) with its own MCP server over the shared runtime, and resumable SSE streams
 * (a bounded event store per session). Every request is checked first: Host and Origin against
 * DNS rebinding, and the bearer token when one is set. A session left idle past the limit ends.
 */
export async function serveHttp(
  context: CadreMcpContext,
  address: HttpAddress,
  access: HttpAccess,
  limits: HttpSessionLimits = {},
): Promise<HttpMcpServer> {
  const maxSessions = limits.maxSessions ?? defaultMaxSessions;
  const sessionIdleMs = limits.sessionIdleMs ?? defaultSessionIdleMs;
  const sessions = new Map<string, Session>();
  /** Initialize requests being handled: each holds a place until its session exists or not. */
  let opening = 0;

  /** Ends the sessions idle past the limit (closing the server closes its transport). */
  const sweep = setInterval(
    () => {
      const now = Date.now();
      for (const [id, session] of sessions) {
        if (session.open > 0 || now - session.lastUsed < sessionIdleMs) continue;
        sessions.delete(id);
        void session.server.close().catch(() => undefined);
      }
    },
    Math.max(50, Math.min(sessionIdleMs / 4, 60_000)),
  );
  sweep.unref();

  /** Counts a request (or stream) of a session as open until its response ends. */
  function using(session: Session, response: ServerResponse): void {
    session.open += 1;
    response.once('close', () => {
      session.open -= 1;
      session.lastUsed = Date.now();
    });
  }

  async function open(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // A session counts from its first byte: a client that sends its initialize slowly must not
    // slip past the cap while the body arrives.
    if (sessions.size + opening >= maxSessions) {
      reply(response, 503, `this server already holds ${maxSessions} sessions; try again later`);
      return;
    }
    opening += 1;
    try {
      await openSession(request, response);
    } finally {
      opening -= 1;
    }
  }

  async function openSession(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      eventStore: new MemoryEventStore(),
      // Runs while the initialize request is handled, after `server` below exists.
      onsessioninitialized: (id) => {
        const session: Session = { transport, server, open: 0, lastUsed: Date.now() };
        sessions.set(id, session);
        using(session, response);
      },
      onsessionclosed: (id) => {
        sessions.delete(id);
      },
    });
    const server = createCadreMcpServer(context, () => transport.sessionId);
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    await transport.handleRequest(request, response);
    // Anything but an initialize request opens no session: the transport has refused it.
    if (transport.sessionId === undefined) await server.close().catch(() => undefined);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== mcpPath) {
      reply(response, 404, `not found: cadre serves MCP at ${mcpPath}`);
      return;
    }
    const refusal = refusalOf(request.headers, access);
    if (refusal) {
      reply(response, refusal.status, refusal.message, refusal.headers);
      return;
    }
    const sessionId = request.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const session = sessions.get(sessionId);
      if (!session) {
        reply(response, 404, `no session '${sessionId}': it ended; initialize a new one`);
        return;
      }
      using(session, response);
      await session.transport.handleRequest(request, response);
      return;
    }
    if (request.method === 'POST') {
      await open(request, response);
      return;
    }
    reply(
      response,
      400,
      'no Mcp-Session-Id: initialize a session first (POST an initialize request)',
    );
  }

  const http = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      reply(
        response,
        500,
        `internal error: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
  });
  // A request (headers and body) must arrive within 30 s: half-sent requests do not hold places.
  http.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(address.port, address.host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const bound = http.address() as AddressInfo;
  return {
    url: `http://${urlHost(bound.address)}:${bound.port}${mcpPath}`,
    async close() {
      clearInterval(sweep);
      await Promise.all(
        [...sessions.values()].map((session) => session.server.close().catch(() => undefined)),
      );
      sessions.clear();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
