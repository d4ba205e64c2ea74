import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';

/** The built psql server, as `npm run build` leaves it. */
const psqlMain = fileURLToPath(new URL('../../../dist/tools/psql/main.js', import.meta.url));

/** What one tool call returned, flattened for assertions. */
export interface PsqlCallResult {
  isError: boolean;
  text: string;
  data: unknown;
}

/** A psql MCP server in a child process, with an MCP client talking to it over stdio. */
export interface PsqlServerProcess {
  tools(): Promise<Tool[]>;
  call(name: string, args: Record<string, unknown>): Promise<PsqlCallResult>;
  /** What the server wrote to stderr so far (its startup notes). */
  stderr(): string;
  close(): Promise<void>;
}

/**
 * Spawns `node dist/tools/psql/main.js --url env:CADRE_TEST_PG_URL --grant <grant> …` with the
 * URL in the child's environment (never in argv) and connects an MCP client to it.
 */
export async function startPsqlServer(
  url: string,
  grant: 'read' | 'write' | 'admin',
  extraArgs: string[] = [],
): Promise<PsqlServerProcess> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [psqlMain, '--url', 'env:CADRE_TEST_PG_URL', '--grant', grant, ...extraArgs],
    env: { ...(process.env as Record<string, string>), CADRE_TEST_PG_URL: url },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const client = new Client({ name: 'cadre-psql-test', version: '0.0.0' });
  await client.connect(transport);
  return {
    tools: async () => (await client.listTools()).tools,
    async call(name, args) {
      const result = await client.callTool({ name, arguments: args });
      const content = Array.isArray(result.content)
        ? (result.content as { type: string; text?: string }[])
        : [];
      const structured = result.structuredContent as { result?: unknown } | undefined;
      return {
        isError: result.isError === true,
        text: content.map((block) => block.text ?? '').join('\n'),
        data: structured?.result,
      };
    },
    stderr: () => stderr,
    close: () => client.close(),
  };
}
