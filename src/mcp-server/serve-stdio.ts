import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createCadreMcpServer } from './create-mcp-server.js';
import type { CadreMcpContext } from './server-context.js';

/** cadre served over this process's stdin and stdout. */
export interface StdioMcpServer {
  /** Resolves when the client goes away: the transport closes or stdin ends. */
  closed: Promise<void>;
  /** Stops serving (the server is being stopped): stdin is let go, so the process can exit. */
  close(): Promise<void>;
}

/**
 * Serves one client over this process's stdin and stdout (stdout carries only the protocol).
 * The end of stdin counts as the client leaving, which the SDK's transport does not notice.
 */
export async function serveStdio(context: CadreMcpContext): Promise<StdioMcpServer> {
  const server = createCadreMcpServer(context);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
    process.stdin.once('close', () => resolve());
  });
  await server.connect(transport);
  return {
    closed,
    async close() {
      await server.close().catch(() => undefined);
    },
  };
}
