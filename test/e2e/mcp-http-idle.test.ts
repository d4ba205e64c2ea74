import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { describe, expect, it } from 'vitest';
import { httpServerAround, initializeBody, jsonRpcHeaders } from '../mcp-server/cli-server.js';
import { runCli } from '../helpers/run-cli.js';

/** Opens a session with a bare initialize request (no stream left open) and returns its id. */
async function bareSession(url: string): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: jsonRpcHeaders,
    body: initializeBody('gone-away'),
  });
  await response.text();
  const id = response.headers.get('mcp-session-id');
  if (!id) throw new Error(`no session id (HTTP ${response.status})`);
  return id;
}

/** The status of a tools/list request in session `id`. */
async function statusIn(url: string, id: string): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { ...jsonRpcHeaders, 'Mcp-Session-Id': id },
    body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
  });
  await response.text();
  return response.status;
}

describe('cadre mcp --http and sessions nobody uses', () => {
  const server = httpServerAround([
    '--org',
    'agents/esa',
    '--model',
    'rehearsal',
    '--session-idle',
    '1s',
  ]);

  it('ends a session left idle past --session-idle and keeps one in use', async () => {
    const abandoned = await bareSession(server.url);
    const transport = new StreamableHTTPClientTransport(new URL(server.url));
    const client = new Client({ name: 'busy', version: '1.0.0' });
    await client.connect(transport);
    expect(await statusIn(server.url, abandoned)).toBe(200);

    // The client in use keeps its event stream open and calls every 300 ms; the abandoned
    // session is looked at only every 1.5 s (a look is a use), so it sits idle past the 1 s
    // limit between looks.
    const calls: Promise<number>[] = [];
    const busy = setInterval(() => {
      calls.push(client.listTools().then((listed) => listed.tools.length));
    }, 300);
    try {
      await expect
        .poll(() => statusIn(server.url, abandoned), { timeout: 15_000, interval: 1_500 })
        .toBe(404);
    } finally {
      clearInterval(busy);
    }
    const counts = await Promise.all(calls);
    expect(counts.length).toBeGreaterThan(3);
    expect(counts.every((count) => count > 0)).toBe(true);
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    await client.close();
  });

  it('refuses a --session-idle that is no duration, before serving', async () => {
    const { code, stderr } = await runCli([
      'mcp',
      '--org',
      'agents/esa',
      '--http',
      '127.0.0.1:0',
      '--session-idle',
      'soon',
    ]);

    expect(code).toBe(1);
    expect(stderr).toContain("'soon' is not a duration above zero");
  });
});
