import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelToolNames } from '../../src/org/render-prompt.js';
import type { Connected } from './in-memory-server.js';
import { openInMemory } from './in-memory-server.js';

function textOf(result: unknown): string {
  return (result as CallToolResult).content
    .map((block) => (block.type === 'text' ? block.text : ''))
    .join('\n');
}

describe('the database tools of cadre mcp --tools (every agent’s, each call at its agent’s grant)', () => {
  let connected: Connected;
  beforeAll(async () => {
    connected = await openInMemory('agents/esa', { tools: 'org' });
  });
  afterAll(async () => connected.close());

  it('lists every tool some agent of the org holds, once', async () => {
    const { tools } = await connected.client.listTools();
    const held = new Set(
      connected.context.org.agents.flatMap((agent) =>
        modelToolNames(agent).filter((name) => !name.endsWith('*')),
      ),
    );
    const listed = tools.map((tool) => tool.name).filter((name) => name.includes('__'));
    expect(new Set(listed)).toEqual(held);
    expect(listed).toHaveLength(held.size);
    const query = tools.find((tool) => tool.name === 'psql__query');
    expect(query?.description).toContain('Held by: domain-1 (read), layer-1 (read)');
    expect(query?.inputSchema.properties?.agent).toBeDefined();
    expect(query?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
  });

  it('runs a call for an agent that holds the tool (a rehearsal: nothing is touched)', async () => {
    const result = await connected.client.callTool({
      name: 'psql__query',
      arguments: { agent: 'layer-1', sql: 'select 1' },
    });
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toBe(
      'rehearsal: psql__query {"sql":"select 1"} was not run (no database is touched in a rehearsal)',
    );
  });

  it('acts for the entry agent by default, and refuses an agent without the grant, naming the field', async () => {
    const entry = await connected.client.callTool({
      name: 'redis-cli__info',
      arguments: { section: 'stats' },
    });
    expect(entry.isError).toBe(true);
    expect(textOf(entry)).toContain(
      'redis-cli__info: agent: ceo holds no grant for redis-cli__info',
    );
    const other = await connected.client.callTool({
      name: 'redis-cli__info',
      arguments: { agent: 'layer-1' },
    });
    expect(other.isError).toBe(true);
    expect(textOf(other)).toContain('agents that hold it: domain-1 (read), layer-14 (read)');
    const unknown = await connected.client.callTool({
      name: 'redis-cli__info',
      arguments: { agent: 'nobody' },
    });
    expect(textOf(unknown)).toContain("redis-cli__info: agent: no agent 'nobody' in org 'esa'");
  });
});

describe('cadre mcp --to layer-1 --tools entry', () => {
  let connected: Connected;
  beforeAll(async () => {
    connected = await openInMemory('agents/esa', { tools: 'entry', to: 'layer-1' });
  });
  afterAll(async () => connected.close());

  it('serves only the entry agent’s tools, and calls act for it', async () => {
    const { tools } = await connected.client.listTools();
    const layer = connected.context.org.agents.find((agent) => agent.id === 'layer-1');
    expect(tools.map((tool) => tool.name).filter((name) => name.includes('__'))).toEqual(
      layer ? modelToolNames(layer) : [],
    );
    const result = await connected.client.callTool({ name: 'pgbench__run', arguments: {} });
    expect(result.isError).toBeFalsy();
  });
});
