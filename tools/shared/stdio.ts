import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

/** Serves an MCP server over this process's stdin and stdout until the input closes. */
export async function serveOverStdio(
  server: McpServer,
  onClose: () => Promise<void>,
): Promise<void> {
  const transport = new StdioServerTransport();
  transport.onclose = () => {
    void onClose();
  };
  await server.connect(transport);
}
