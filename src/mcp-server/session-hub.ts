import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { LoggingLevel } from '@modelcontextprotocol/sdk/types.js';

/** One connected MCP client: its server object and (over HTTP) its session id. */
export interface ConnectedSession {
  server: McpServer;
  /** The transport's session id, once the client has initialized (HTTP); `undefined` over stdio. */
  sessionId: () => string | undefined;
}

/** The name log messages carry (`notifications/message` `logger`). */
export const loggerName = 'cadre';

/**
 * The clients connected to one `cadre mcp`: one over stdio, any number over HTTP. It tells all
 * of them when the runs change and sends log messages, each at the level its client set.
 */
export class SessionHub {
  readonly #sessions = new Set<ConnectedSession>();

  /** Adds a session; the function it returns removes it. */
  join(session: ConnectedSession): () => void {
    this.#sessions.add(session);
    return () => this.#sessions.delete(session);
  }

  /** How many sessions are connected. */
  get size(): number {
    return this.#sessions.size;
  }

  /** Tells every client that the list of resources changed (a run was added). */
  runsChanged(): void {
    for (const session of this.#sessions)
      if (session.server.isConnected()) session.server.sendResourceListChanged();
  }

  /** Logs to one session, or to every session; dropped for a client whose level is higher. */
  log(level: LoggingLevel, text: string, only?: ConnectedSession): void {
    for (const session of only ? [only] : this.#sessions) {
      if (!session.server.isConnected()) continue;
      session.server
        .sendLoggingMessage({ level, logger: loggerName, data: text }, session.sessionId())
        .catch(() => undefined);
    }
  }
}
