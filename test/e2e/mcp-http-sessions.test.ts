import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ResourceListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { httpServerAround, jsonRpcHeaders } from '../mcp-server/cli-server.js';

describe('cadre mcp --http with several clients', () => {
  const server = httpServerAround(['--org', 'agents/esa', '--model', 'rehearsal']);

  it('gives each client its own session over one runtime, and tells every client when a run is added', async () => {
    const first = new StreamableHTTPClientTransport(new URL(server.url));
    const second = new StreamableHTTPClientTransport(new URL(server.url));
    const worker = new Client({ name: 'worker', version: '1.0.0' });
    const watcher = new Client({ name: 'watcher', version: '1.0.0' });
    await worker.connect(first);
    await watcher.connect(second);
    expect(first.sessionId).toEqual(expect.any(String));
    expect(second.sessionId).toEqual(expect.any(String));
    expect(first.sessionId).not.toBe(second.sessionId);

    let changed = 0;
    watcher.setNotificationHandler(ResourceListChangedNotificationSchema, () => {
      changed += 1;
    });
    const result = await worker.callTool({
      name: 'run_task',
      arguments: { task: 'Check the database and cache health' },
    });
    const { runId } = result.structuredContent as { runId: string };
    await expect.poll(() => changed, { timeout: 10_000 }).toBeGreaterThan(0);
    const { resources } = await watcher.listResources();
    expect(resources.map((resource) => resource.uri)).toContain(`cadre://runs/${runId}`);

    // Ending a session (DELETE) leaves the other one serving.
    const ended = second.sessionId;
    await second.terminateSession();
    await watcher.close();
    const gone = await fetch(server.url, {
      method: 'POST',
      headers: { ...jsonRpcHeaders, 'Mcp-Session-Id': ended ?? '' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }),
    });
    expect(gone.status).toBe(404);
    expect((await worker.listTools()).tools.length).toBeGreaterThan(0);
    await worker.close();
  });
});
