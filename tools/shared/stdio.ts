import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

/**
 * Serves an MCP server over this process's stdin and stdout until the client goes away: when
 * the transport closes or stdin ends (which the SDK's transport does not notice), `onClose`
 * runs once, however many times either happens.
 */
export async function serveOverStdio(
  server: McpServer,
  onClose: () => Promise<void>,
): Promise<void> {
  let closing: Promise<void> | undefined;
  const closeOnce = () => (closing ??= onClose().catch(() => undefined));
  const transport = new StdioServerTransport();
  transport.onclose = () => {
    void closeOnce();
  };
  process.stdin.once('end', () => {
    void closeOnce();
  });
  await server.connect(transport);
}
