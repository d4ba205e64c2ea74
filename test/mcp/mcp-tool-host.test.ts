import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createMcpToolHost, defaultBuiltinLaunch } from '../../src/mcp/mcp-tool-host.js';
import type { ToolHost } from '../../src/mcp/tool-host.js';
import type { OrgDefinition } from '../../src/org/org-definition.js';
import { loadTestOrg } from '../helpers/test-org.js';

const serverScript = fileURLToPath(new URL('../fixtures/mcp/test-server.mjs', import.meta.url));
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(callTimeoutMs = 2000): Promise<{ org: OrgDefinition; host: ToolHost }> {
  const { org, remove } = await loadTestOrg(
    [
      { id: 'boss', role: 'ceo', extra: ['tools: [helper]'] },
      { id: 'worker', role: 'chief', reports_to: 'boss', extra: ['tools: [helper/echo]'] },
      { id: 'broken', role: 'chief', reports_to: 'boss', extra: ['tools: [missing]'] },
    ],
    [
      'mcp_servers:',
      `  helper: { command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(serverScript)}], tools: [echo, hang, crash, fail, env] }`,
      '  missing: { command: /nonexistent/cadre-test-server, tools: [anything] }',
    ],
  );
  const host = createMcpToolHost({ org, callTimeoutMs });
  cleanups.push(remove, () => host.close());
  return { org, host };
}

const agent = (org: OrgDefinition, id: string) => {
  const found = org.agents.find((candidate) => candidate.id === id);
  if (!found) throw new Error(id);
  return found;
};

describe('the MCP tool host', () => {
  it('lists each agent only the tools it is granted, named <server>__<tool>', async () => {
    const { org, host } = await setUp();
    expect((await host.toolsFor(agent(org, 'boss'))).map((tool) => tool.name).sort()).toEqual([
      'helper__crash',
      'helper__echo',
      'helper__env',
      'helper__fail',
      'helper__hang',
    ]);
    const workerTools = await host.toolsFor(agent(org, 'worker'));
    expect(workerTools.map((tool) => tool.name)).toEqual(['helper__echo']);
    expect(workerTools[0]?.input_schema).toMatchObject({
      type: 'object',
      properties: { text: { type: 'string' } },
    });
    const refused = await host.call(
      'helper__hang',
      {},
      { runId: 'r', agent: agent(org, 'worker') },
    );
    expect(refused).toEqual({
      content: 'tool helper__hang is not granted to worker',
      isError: true,
    });
  });

  it('calls a tool, reuses its server, and redacts secrets from results', async () => {
    const { org, host } = await setUp();
    const boss = agent(org, 'boss');
    const first = await host.call('helper__echo', { text: 'hi' }, { runId: 'r', agent: boss });
    const second = await host.call('helper__echo', { text: 'again' }, { runId: 'r', agent: boss });
    expect(first.isError).toBe(false);
    const pid = /pid (\d+)/.exec(first.content)?.[1];
    expect(second.content).toBe(`echo: again (pid ${pid})`);
    const failed = await host.call('helper__fail', {}, { runId: 'r', agent: boss });
    expect(failed).toEqual({
      content: 'failed: postgres://app:[redacted]@db/app is down',
      isError: true,
    });
  });

  it('ends a hung call with an error result and restarts the server for the next call', async () => {
    const { org, host } = await setUp(300);
    const boss = agent(org, 'boss');
    const before = await host.call('helper__echo', { text: 'x' }, { runId: 'r', agent: boss });
    const hung = await host.call('helper__hang', {}, { runId: 'r', agent: boss });
    expect(hung.isError).toBe(true);
    expect(hung.content).toContain('did not answer within');
    const after = await host.call('helper__echo', { text: 'x' }, { runId: 'r', agent: boss });
    expect(after.isError).toBe(false);
    expect(/pid (\d+)/.exec(after.content)?.[1]).not.toBe(/pid (\d+)/.exec(before.content)?.[1]);
  });

  it('starts a crashed server again on the next call', async () => {
    const { org, host } = await setUp();
    const boss = agent(org, 'boss');
    const before = await host.call('helper__echo', { text: 'x' }, { runId: 'r', agent: boss });
    const crashed = await host.call('helper__crash', {}, { runId: 'r', agent: boss });
    expect(crashed.isError).toBe(true);
    const after = await host.call('helper__echo', { text: 'x' }, { runId: 'r', agent: boss });
    expect(after.isError).toBe(false);
    expect(/pid (\d+)/.exec(after.content)?.[1]).not.toBe(/pid (\d+)/.exec(before.content)?.[1]);
  });

  it('gives an org server only a safe default environment plus what its env map names', async () => {
    process.env.CADRE_TEST_SECRET_TOKEN = 'not for the server';
    process.env.CADRE_TEST_GIVEN = 'for the server';
    const { org, remove } = await loadTestOrg(
      [{ id: 'boss', role: 'ceo', extra: ['tools: [helper]'] }],
      [
        'mcp_servers:',
        `  helper: { command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(serverScript)}], env: { GIVEN: env:CADRE_TEST_GIVEN }, tools: [env] }`,
      ],
    );
    const host = createMcpToolHost({ org });
    cleanups.push(
      remove,
      () => host.close(),
      async () => {
        delete process.env.CADRE_TEST_SECRET_TOKEN;
        delete process.env.CADRE_TEST_GIVEN;
      },
    );
    const result = await host.call('helper__env', {}, { runId: 'r', agent: agent(org, 'boss') });
    const names = JSON.parse(result.content) as string[];
    expect(names).toContain('GIVEN');
    expect(names).toContain('PATH');
    expect(names).not.toContain('CADRE_TEST_SECRET_TOKEN');
    expect(names).not.toContain('CADRE_TEST_GIVEN');
    expect(names.filter((name) => name.startsWith('ANTHROPIC'))).toEqual([]);
  });

  it('starts a built-in tool with the URL it needs, libpq settings and no other secrets', async () => {
    process.env.CADRE_TEST_CLOUD_SECRET = 'not for the tool';
    process.env.PGSSLMODE = 'prefer';
    cleanups.push(async () => {
      delete process.env.CADRE_TEST_CLOUD_SECRET;
      delete process.env.PGSSLMODE;
    });
    const { org } = await setUp();
    const launch = defaultBuiltinLaunch('psql', 'read', 'postgres://u:p@h/db', 'main', org);
    expect(launch.kind).toBe('stdio');
    const env = launch.kind === 'stdio' ? launch.env : {};
    expect(env.CADRE_TARGET_URL).toBe('postgres://u:p@h/db');
    expect(env.PGSSLMODE).toBe('prefer');
    expect(env.PATH).toBe(process.env.PATH);
    expect(env.CADRE_TEST_CLOUD_SECRET).toBeUndefined();
    expect(Object.keys(env).filter((name) => name.startsWith('ANTHROPIC'))).toEqual([]);
  });

  it('lists the tools of a server that cannot start, and each call says why', async () => {
    const { org, host } = await setUp();
    const broken = agent(org, 'broken');
    const tools = await host.toolsFor(broken);
    expect(tools.map((tool) => tool.name)).toEqual(['missing__anything']);
    expect(tools[0]?.description).toContain('unavailable');
    const call = await host.call('missing__anything', {}, { runId: 'r', agent: broken });
    expect(call.isError).toBe(true);
    expect(call.content).toMatch(
      /^tool missing__anything is unavailable: its server could not start \(.+\)$/,
    );
  });
});
