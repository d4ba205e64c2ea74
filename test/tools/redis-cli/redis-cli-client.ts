import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { fileURLToPath } from 'node:url';
import type { Grant } from '../../../src/org/agent-schema.js';

/** The Redis the tests use (a real Redis 7); each test file works under its own key prefix. */
export const redisUrl = process.env.CADRE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The repository root, where the server runs. */
export const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** The built server, as `npm run build` writes it. */
export const serverPath = fileURLToPath(
  new URL('../../../dist/tools/redis-cli/main.js', import.meta.url),
);

/** What a tool call returned, in the shapes the tests look at. */
export interface ToolCall {
  isError: boolean;
  text: string;
  /** `structuredContent.result`, when the tool returned data. */
  data: unknown;
}

/** A connected MCP client of the built redis-cli server, and what its stderr said. */
export interface RedisCliClient {
  client: Client;
  call(name: string, args?: Record<string, unknown>): Promise<ToolCall>;
  /** Waits (up to 5 s) until the server's stderr matches, and returns it. */
  stderr(pattern?: RegExp): Promise<string>;
  close(): Promise<void>;
}

function childEnvironment(): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined) environment[name] = value;
  }
  environment.CADRE_TEST_REDIS_URL = redisUrl;
  return environment;
}

/** Spawns `node dist/tools/redis-cli/main.js --url env:CADRE_TEST_REDIS_URL --grant <grant>`. */
export async function startRedisCli(grant: Grant, extra: string[] = []): Promise<RedisCliClient> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [serverPath, '--url', 'env:CADRE_TEST_REDIS_URL', '--grant', grant, ...extra],
    env: childEnvironment(),
    cwd: repositoryRoot,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const client = new Client({ name: 'redis-cli-test', version: '0.0.0' });
  await client.connect(transport);
  return {
    client,
    async stderr(pattern = /./) {
      for (let attempt = 0; attempt < 500 && !pattern.test(stderr); attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return stderr;
    },
    async call(name, args = {}) {
      const result = await client.callTool({ name, arguments: args });
      const content = Array.isArray(result.content) ? result.content : [];
      const text = content
        .map((part: { type?: string; text?: string }) => (part.type === 'text' ? part.text : ''))
        .join('\n');
      const structured = result.structuredContent as { result?: unknown } | undefined;
      return { isError: result.isError === true, text, data: structured?.result };
    },
    close: () => client.close(),
  };
}
