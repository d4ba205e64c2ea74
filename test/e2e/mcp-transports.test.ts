import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import type { HttpChild } from '../mcp-server/cli-server.js';
import {
  serverEnvironment,
  startHttpServer,
  stdioTransport,
  tempFolder,
} from '../mcp-server/cli-server.js';

const serverArgs = [
  '--org',
  'agents/esa',
  '--model',
  'rehearsal:test/mcp-server/fixtures/esa-mcp.yaml',
  '--tools',
];

function textOf(result: unknown): string {
  return (result as CallToolResult).content
    .map((block) => (block.type === 'text' ? block.text : ''))
    .join('\n');
}

/** How each transport is opened: a child process over stdio, or over HTTP on a real port. */
const transports: Record<
  string,
  (storeUrl: string) => Promise<{ transport: Transport; stop: () => Promise<unknown> }>
> = {
  stdio: async (storeUrl) => {
    const transport = stdioTransport(serverArgs, serverEnvironment(storeUrl));
    return { transport, stop: async () => undefined };
  },
  'Streamable HTTP on 127.0.0.1': async (storeUrl) => {
    const server: HttpChild = await startHttpServer(serverArgs, serverEnvironment(storeUrl));
    return { transport: new StreamableHTTPClientTransport(new URL(server.url)), stop: server.stop };
  },
};

for (const [name, open] of Object.entries(transports)) {
  describe(`cadre mcp over ${name}`, () => {
    const client = new Client({ name: 'e2e', version: '1.0.0' });
    let stop: () => Promise<unknown> = async () => undefined;
    let remove: () => Promise<void> = async () => undefined;
    let storeUrl = '';
    let cancelledRun = '';
    beforeAll(async () => {
      const folder = await tempFolder();
      remove = folder.remove;
      storeUrl = folder.storeUrl;
      const opened = await open(folder.storeUrl);
      stop = opened.stop;
      await client.connect(opened.transport);
    });
    afterAll(async () => {
      await client.close();
      await stop();
      await remove();
    });

    it('initializes, and lists tools, prompts and resources', async () => {
      expect(client.getServerVersion()).toMatchObject({ name: 'cadre' });
      expect(client.getServerCapabilities()).toMatchObject({
        logging: {},
        resources: { listChanged: true },
      });
      const tools = (await client.listTools()).tools.map((tool) => tool.name);
      expect(tools).toEqual(
        expect.arrayContaining([
          'run_task',
          'ask_agent',
          'list_agents',
          'get_run',
          'list_escalations',
          'answer_escalation',
          'psql__query',
          'redis-cli__info',
        ]),
      );
      const prompts = (await client.listPrompts()).prompts.map((prompt) => prompt.name);
      expect(prompts).toContain('layer-1');
      expect(prompts).toHaveLength(15);
      const resources = (await client.listResources()).resources.map((resource) => resource.uri);
      expect(resources).toEqual(expect.arrayContaining(['cadre://org', 'cadre://org/chart']));
    });

    it('runs a task on the rehearsal org: at least three progress notifications before the answer', async () => {
      const progress: string[] = [];
      const result = await client.callTool(
        { name: 'run_task', arguments: { task: 'Check the database and cache health' } },
        undefined,
        { onprogress: (notification) => progress.push(notification.message ?? '') },
      );
      const atResult = progress.length;
      expect(atResult).toBeGreaterThanOrEqual(3);
      expect(result.isError).toBeFalsy();
      expect(textOf(result)).toContain('CEO summary.');
      expect(textOf(result)).toMatch(/— run \S+ · 10 model calls .* nothing spent/);
      const { runId } = result.structuredContent as { runId: string };
      const shown = await client.callTool({ name: 'get_run', arguments: { run_id: runId } });
      expect(shown.structuredContent).toMatchObject({ status: 'completed' });
    });

    it('cancels a run mid-way when the request is cancelled: the store says cancelled', async () => {
      const controller = new AbortController();
      let runId = '';
      const call = client.callTool(
        { name: 'run_task', arguments: { task: 'Check the foundation, slowly' } },
        undefined,
        {
          signal: controller.signal,
          onprogress: ({ message = '' }) => {
            runId ||= /^run (\S+) started/.exec(message)?.[1] ?? '';
            if (message.startsWith('ceo → chief-1 task')) controller.abort('changed my mind');
          },
        },
      );
      await expect(call).rejects.toThrow();
      expect(runId).not.toBe('');
      await expect
        .poll(
          async () =>
            (
              (await client.callTool({ name: 'get_run', arguments: { run_id: runId } }))
                .structuredContent as { status?: string } | undefined
            )?.status,
          { timeout: 10_000 },
        )
        .toBe('cancelled');
      cancelledRun = runId;
    });

    it('answers bad input with a clear tool error each time, and keeps serving', async () => {
      const cases: [string, Record<string, unknown>, RegExp][] = [
        [
          'ask_agent',
          { agent: 'nobody', question: 'Up?' },
          /no agent 'nobody' in org 'esa'.* at agent/,
        ],
        ['run_task', { task: '' }, /the task is empty.* at task/],
        ['get_run', { run_id: 'no-such-run' }, /get_run: run_id: no run 'no-such-run'/],
        [
          'answer_escalation',
          { escalation_id: 'no-such-escalation', answer: 'Go' },
          /escalation_id: no escalation 'no-such-escalation'/,
        ],
        ['psql__query', { sql: 'select 1' }, /agent: ceo holds no grant for psql__query/],
      ];
      for (const [tool, args, expected] of cases) {
        const result = await client.callTool({ name: tool, arguments: args });
        expect(result.isError, tool).toBe(true);
        expect(textOf(result)).toMatch(expected);
      }
      const agents = await client.callTool({ name: 'list_agents', arguments: {} });
      expect(agents.isError).toBeFalsy();
    });

    it('leaves the runs in the durable store when it stops: the cancelled one says cancelled', async () => {
      expect(cancelledRun).not.toBe('');
      await client.close();
      await stop();
      const store = await openStore(storeUrl, { cwd: process.cwd() });
      try {
        expect((await store.getRun(cancelledRun))?.status).toBe('cancelled');
        expect((await store.listRuns(10)).map((run) => run.status).sort()).toEqual([
          'cancelled',
          'completed',
        ]);
      } finally {
        await store.close();
      }
    });
  });
}
