import {
  LoggingMessageNotificationSchema,
  ResourceListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connected } from './in-memory-server.js';
import { openInMemory } from './in-memory-server.js';

const cadreTools = [
  'run_task',
  'ask_agent',
  'list_agents',
  'get_run',
  'list_escalations',
  'answer_escalation',
];

function textOf(result: unknown): string {
  const content = (result as CallToolResult).content;
  return content.map((block) => (block.type === 'text' ? block.text : '')).join('\n');
}

describe('cadre’s MCP server on agents/esa (in process, rehearsal)', () => {
  let connected: Connected;
  beforeAll(async () => {
    connected = await openInMemory('agents/esa');
  });
  afterAll(async () => connected.close());

  it('initializes as cadre with tools, prompts, resources (list-changed) and logging', () => {
    const { client } = connected;
    expect(client.getServerVersion()?.name).toBe('cadre');
    const capabilities = client.getServerCapabilities();
    expect(capabilities?.logging).toBeDefined();
    expect(capabilities?.resources?.listChanged).toBe(true);
    expect(capabilities?.prompts).toBeDefined();
    expect(capabilities?.tools).toBeDefined();
    expect(client.getInstructions()).toContain('run_task');
  });

  it('lists its six tools, with truthful annotations and no database tools without --tools', async () => {
    const { tools } = await connected.client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([...cadreTools].sort());
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    for (const name of ['list_agents', 'get_run', 'list_escalations'])
      expect(byName.get(name)?.annotations).toMatchObject({
        readOnlyHint: true,
        destructiveHint: false,
      });
    // A rehearsal touches nothing outside cadre, but a run is recorded: not read-only.
    expect(byName.get('run_task')?.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: false,
      openWorldHint: false,
    });
    expect(byName.get('answer_escalation')?.annotations).toMatchObject({
      readOnlyHint: false,
      idempotentHint: false,
    });
    const runTask = byName.get('run_task');
    expect(runTask?.inputSchema.required).toEqual(['task']);
    expect(JSON.stringify(runTask?.inputSchema.properties)).toContain('layer-14');
  });

  it('lists what each tool answers (outputSchema), which the client then checks every result against', async () => {
    const { tools } = await connected.client.listTools();
    const required = new Map(
      tools.map((tool) => [tool.name, [...(tool.outputSchema?.required ?? [])].sort()]),
    );
    expect(Object.fromEntries(required)).toEqual({
      run_task: ['cost', 'runId', 'status'],
      ask_agent: ['cost', 'runId', 'status'],
      list_agents: ['agents', 'entry', 'org', 'root'],
      get_run: [
        'agents',
        'cost',
        'entry',
        'escalations',
        'messageCount',
        'messages',
        'org',
        'runId',
        'startedAt',
        'status',
        'task',
        'transcript',
      ],
      list_escalations: ['escalations'],
      answer_escalation: ['escalation'],
    });
    const runTask = tools.find((tool) => tool.name === 'run_task')?.outputSchema;
    expect(runTask?.properties?.status).toMatchObject({
      enum: ['completed', 'failed', 'cancelled'],
    });
    // Listing the tools armed the client's check: a result that did not match would throw here.
    const agents = await connected.client.callTool({ name: 'list_agents', arguments: {} });
    expect(agents.isError).toBeFalsy();
    expect(agents.structuredContent).toMatchObject({
      root: 'ceo',
      agents: expect.arrayContaining([
        expect.objectContaining({ id: 'ceo', reports_to: null, role: 'ceo' }),
        expect.objectContaining({ id: 'layer-1', reports_to: 'domain-1', role: 'layer' }),
      ]),
    });
  });

  it('offers each agent as a prompt: its rendered system prompt, then the task', async () => {
    const { prompts } = await connected.client.listPrompts();
    expect(prompts).toHaveLength(connected.context.org.agents.length);
    const layer = prompts.find((prompt) => prompt.name === 'layer-1');
    expect(layer?.title).toBe('Layer #1 Database Architecture');
    expect(layer?.arguments).toEqual([expect.objectContaining({ name: 'task', required: false })]);
    const prompt = await connected.client.getPrompt({
      name: 'layer-1',
      arguments: { task: 'Why is the orders query slow?' },
    });
    const message = prompt.messages[0];
    const text = message?.content.type === 'text' ? message.content.text : '';
    expect(message?.role).toBe('user');
    expect(text).toContain('Layer #1 Database Architecture');
    expect(text).toContain('domain-1');
    expect(text).toContain('`ask_agent`');
    expect(text).toMatch(/## Your task\n\nWhy is the orders query slow\?$/);
  });

  it('serves the org as JSON and as a mermaid chart, and each agent’s definition', async () => {
    const { resources } = await connected.client.listResources();
    const uris = resources.map((resource) => resource.uri);
    expect(uris).toEqual(
      expect.arrayContaining(['cadre://org', 'cadre://org/chart', 'cadre://agents/layer-1']),
    );
    const org = await connected.client.readResource({ uri: 'cadre://org' });
    const json = JSON.parse(
      org.contents[0] && 'text' in org.contents[0] ? org.contents[0].text : '{}',
    ) as {
      org: string;
      agents: { id: string }[];
    };
    expect(json.org).toBe('esa');
    expect(json.agents).toHaveLength(15);
    const chart = await connected.client.readResource({ uri: 'cadre://org/chart' });
    expect(chart.contents[0]?.mimeType).toBe('text/vnd.mermaid');
    expect(chart.contents[0] && 'text' in chart.contents[0] ? chart.contents[0].text : '').toMatch(
      /^flowchart/,
    );
    const agent = await connected.client.readResource({ uri: 'cadre://agents/layer-1' });
    const definition = JSON.parse(
      agent.contents[0] && 'text' in agent.contents[0] ? agent.contents[0].text : '{}',
    ) as { id: string; reports_to: string; prompt: string; tools: { tool: string }[] };
    expect(definition).toMatchObject({ id: 'layer-1', reports_to: 'domain-1' });
    expect(definition.tools.map((use) => use.tool)).toContain('psql');
    expect(definition.prompt.length).toBeGreaterThan(20);
    const templates = await connected.client.listResourceTemplates();
    expect(templates.resourceTemplates.map((template) => template.uriTemplate)).toEqual([
      'cadre://runs/{id}',
    ]);
  });

  it('runs a task with progress, tells clients the runs changed, and shows the run afterwards', async () => {
    const { client } = connected;
    const changed: string[] = [];
    client.setNotificationHandler(ResourceListChangedNotificationSchema, (notification) => {
      changed.push(notification.method);
    });
    const progress: string[] = [];
    const result = await client.callTool(
      { name: 'run_task', arguments: { task: 'Check the database and cache health' } },
      undefined,
      { onprogress: (notification) => progress.push(notification.message ?? '') },
    );
    expect(result.isError).toBeFalsy();
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ceo → chief-1 task/),
        expect.stringMatching(/^domain-1 → layer-1 task/),
        expect.stringMatching(/^layer-1 calls psql__health/),
      ]),
    );
    const data = result.structuredContent as {
      runId: string;
      status: string;
      answer: string;
      cost: { summary: string; modelCalls: number };
    };
    expect(data.status).toBe('completed');
    expect(data.answer).toContain('CEO summary');
    expect(data.cost.modelCalls).toBe(10);
    expect(textOf(result)).toContain(`run ${data.runId} · 10 model calls`);
    expect(textOf(result)).toContain('nothing spent (would be $');

    await expect.poll(() => changed.length).toBeGreaterThan(0);
    const { resources } = await client.listResources();
    expect(resources.map((resource) => resource.uri)).toContain(`cadre://runs/${data.runId}`);
    const transcript = await client.readResource({ uri: `cadre://runs/${data.runId}` });
    const markdown =
      transcript.contents[0] && 'text' in transcript.contents[0] ? transcript.contents[0].text : '';
    expect(markdown).toContain('Check the database and cache health');
    expect(markdown).toContain('**domain-1 → layer-14** task');
    expect(markdown).toContain('layer-1 calls psql__health');

    const run = await client.callTool({ name: 'get_run', arguments: { run_id: data.runId } });
    const details = run.structuredContent as {
      status: string;
      agents: string[];
      messageCount: number;
      cost: { summary: string };
    };
    expect(details.status).toBe('completed');
    expect(details.agents).toEqual(['ceo', 'chief-1', 'domain-1', 'layer-1', 'layer-14']);
    expect(details.messageCount).toBe(10);
    expect(details.cost.summary).toContain('10 model calls');
    expect(textOf(run)).toContain('layer-14 → domain-1 reply');
  });

  it('asks one agent, who works with its own tools', async () => {
    const result = await connected.client.callTool({
      name: 'ask_agent',
      arguments: { agent: 'layer-1', question: 'Database health?' },
    });
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toContain('Layer #1 database checked');
    expect(textOf(result)).toContain('psql__health');
  });

  it('logs at the level the client sets', async () => {
    const { client } = connected;
    const logged: { level: string; data: unknown }[] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
      logged.push({ level: notification.params.level, data: notification.params.data });
    });
    await client.setLoggingLevel('info');
    await client.callTool({ name: 'run_task', arguments: { task: 'Check the cache health' } });
    await expect
      .poll(() => logged.some((entry) => /completed/.test(String(entry.data))))
      .toBe(true);
    expect(logged.map((entry) => entry.level)).not.toContain('debug');
    expect(logged.some((entry) => /^run \S+ started/.test(String(entry.data)))).toBe(true);

    logged.length = 0;
    await client.setLoggingLevel('debug');
    await client.callTool({ name: 'run_task', arguments: { task: 'Check the cache health' } });
    await expect
      .poll(() => logged.some((entry) => /completed/.test(String(entry.data))))
      .toBe(true);
    expect(
      logged.filter((entry) => entry.level === 'debug').map((entry) => String(entry.data)),
    ).toEqual(expect.arrayContaining([expect.stringMatching(/^ceo → chief-1 task/)]));
  });
});
