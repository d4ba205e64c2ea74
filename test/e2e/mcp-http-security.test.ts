import { request } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { httpServerAround } from '../mcp-server/cli-server.js';

const token = 'test-token-0123456789abcdef0123456789';
const initialize = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'raw-http', version: '1.0.0' },
  },
});

/** Posts an initialize request with exactly these headers (a browser cannot forge Host; this can). */
function post(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json, text/event-stream',
          ...headers,
        },
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(initialize);
  });
}

describe('cadre mcp --http refuses to start unsafely', () => {
  it('refuses a non-loopback address without CADRE_MCP_TOKEN, before listening', async () => {
    for (const address of ['0.0.0.0:0', '192.0.2.10:7337']) {
      const result = await runCli(['mcp', '--org', 'agents/esa', '--http', address], undefined, {
        CADRE_MCP_TOKEN: '',
        ANTHROPIC_API_KEY: '',
        CADRE_STORE_URL: 'memory:',
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        'can be reached from other machines, and CADRE_MCP_TOKEN is not set',
      );
      expect(result.stderr).toContain('openssl rand -hex 32');
      expect(result.stdout).toBe('');
    }
  });

  it('refuses a token too short to be a secret', async () => {
    const result = await runCli(
      ['mcp', '--org', 'agents/esa', '--http', '192.0.2.10:7337'],
      undefined,
      {
        CADRE_MCP_TOKEN: 'secret',
        CADRE_STORE_URL: 'memory:',
      },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('CADRE_MCP_TOKEN has 6 characters; it needs at least 16');
  });
});

describe('cadre mcp --http on 127.0.0.1 (no token): DNS rebinding protection', () => {
  const server = httpServerAround(['--org', 'agents/esa']);

  it('rejects a request with a forged Host header (403), and one from a foreign Origin', async () => {
    const forged = await post(server.url, { Host: 'attacker.example:80' });
    expect(forged.status).toBe(403);
    expect(forged.body).toContain('DNS rebinding protection');
    const foreign = await post(server.url, {
      Host: new URL(server.url).host,
      Origin: 'http://attacker.example',
    });
    expect(foreign.status).toBe(403);
  });

  it('serves a request with a genuine Host', async () => {
    const genuine = await post(server.url, { Host: new URL(server.url).host });
    expect(genuine.status).toBe(200);
    expect(genuine.headers['mcp-session-id']).toEqual(expect.any(String));
  });
});

describe('cadre mcp --http with CADRE_MCP_TOKEN', () => {
  const server = httpServerAround(
    ['--org', 'agents/esa', '--allowed-host', 'cadre.test'],
    { CADRE_MCP_TOKEN: token },
    '0.0.0.0:0',
  );

  it('starts on a non-loopback address with the token, and says a token is required', () => {
    expect(server.stderr()).toContain('(bearer token required)');
  });

  it('answers a wrong or missing token with 401', async () => {
    const url = server.url.replace('0.0.0.0', '127.0.0.1');
    const wrong = await post(url, {
      Host: new URL(url).host,
      Authorization: 'Bearer not-the-token-at-all-0000',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toBe('Bearer realm="cadre"');
    const missing = await post(url, { Host: new URL(url).host });
    expect(missing.status).toBe(401);
    const forged = await post(url, { Host: 'attacker.example', Authorization: `Bearer ${token}` });
    expect(forged.status).toBe(403);
  });

  it('serves a client that sends the token', async () => {
    const url = new URL(server.url.replace('0.0.0.0', '127.0.0.1'));
    const client = new Client({ name: 'with-token', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(url, {
        requestInit: { headers: { Authorization: `Bearer ${token}` } },
      }),
    );
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('run_task');
    await client.close();
  });
});
