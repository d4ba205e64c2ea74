import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedModel } from '../../src/model/scripted-model.js';
import type { OrgDefinition } from '../../src/org/org-definition.js';
import { createRuntime } from '../../src/runtime/runtime.js';
import type { Runtime } from '../../src/runtime/runtime.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import type { EscalationRecord } from '../../src/store/store.js';
import { loadTestOrg } from '../helpers/test-org.js';
import { connectClient, contextOf } from './in-memory-server.js';

function textOf(result: unknown): string {
  return (result as CallToolResult).content
    .map((block) => (block.type === 'text' ? block.text : ''))
    .join('\n');
}

/** An escalation that reached the person at the top, waiting for an answer. */
const waiting: EscalationRecord = {
  escalationId: 'esc-1',
  runId: 'run-1',
  requestMessageId: 'message-1',
  asker: 'ceo',
  waitedOn: 'ops',
  to: 'human',
  rule: 'ops-silent',
  reason: 'ops did not answer within 10m',
  level: 1,
  firedAt: 1_000,
  status: 'open',
};

describe('bad input to cadre’s MCP server: a clear tool error each time, and it keeps serving', () => {
  let client: Client;
  let runtime: Runtime;
  let org: OrgDefinition;
  let remove: () => Promise<void>;
  beforeAll(async () => {
    ({ org, remove } = await loadTestOrg([
      { id: 'ceo', role: 'ceo' },
      { id: 'ops', role: 'domain', reports_to: 'ceo' },
    ]));
    const store = createMemoryStore();
    await store.saveEscalation({ ...waiting });
    await store.saveEscalation({ ...waiting, escalationId: 'esc-agent', to: 'ceo' });
    runtime = createRuntime({ org, model: new ScriptedModel(() => ({ text: 'ok' })), store });
    client = await connectClient(contextOf(org, runtime));
  });
  afterAll(async () => {
    await client.close();
    await runtime.close();
    await remove();
  });

  it('refuses an empty task, naming the tool and the field', async () => {
    const result = await client.callTool({ name: 'run_task', arguments: { task: '   ' } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/run_task: the task is empty.* at task/);
  });

  it('refuses a missing task', async () => {
    const result = await client.callTool({ name: 'run_task', arguments: {} });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/run_task: .* at task/);
  });

  it('refuses an unknown agent, listing the org’s agents', async () => {
    const entry = await client.callTool({
      name: 'run_task',
      arguments: { task: 'Deploy', to: 'nobody' },
    });
    expect(entry.isError).toBe(true);
    expect(textOf(entry)).toContain(
      "run_task: no agent 'nobody' in org 'test'; its agents are ceo, ops at to",
    );
    const asked = await client.callTool({
      name: 'ask_agent',
      arguments: { agent: 'nobody', question: 'Up?' },
    });
    expect(asked.isError).toBe(true);
    expect(textOf(asked)).toContain("ask_agent: no agent 'nobody'");
    expect(textOf(asked)).toMatch(/ at agent$/);
  });

  it('refuses an unknown run id', async () => {
    const result = await client.callTool({ name: 'get_run', arguments: { run_id: 'no-such-run' } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain("get_run: run_id: no run 'no-such-run' in the store");
  });

  it('refuses an unknown escalation, an empty answer, and an escalation that went to an agent', async () => {
    const unknown = await client.callTool({
      name: 'answer_escalation',
      arguments: { escalation_id: 'esc-none', answer: 'Go' },
    });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toContain("answer_escalation: escalation_id: no escalation 'esc-none'");
    const empty = await client.callTool({
      name: 'answer_escalation',
      arguments: { escalation_id: 'esc-1', answer: ' ' },
    });
    expect(empty.isError).toBe(true);
    expect(textOf(empty)).toMatch(/answer_escalation: the answer is empty.* at answer/);
    const agent = await client.callTool({
      name: 'answer_escalation',
      arguments: { escalation_id: 'esc-agent', answer: 'Go' },
    });
    expect(agent.isError).toBe(true);
    expect(textOf(agent)).toContain('went to agent ceo, not to a person');
  });

  it('takes one answer to an escalation and refuses the second', async () => {
    const open = await client.callTool({ name: 'list_escalations', arguments: {} });
    expect(textOf(open)).toContain('esc-1 (open — waits for you)');
    const first = await client.callTool({
      name: 'answer_escalation',
      arguments: { escalation_id: 'esc-1', answer: 'Approved: restore from last night.' },
    });
    expect(first.isError).toBeFalsy();
    expect(first.structuredContent).toMatchObject({
      escalation: { escalationId: 'esc-1', status: 'answered', answeredBy: 'human' },
    });
    const second = await client.callTool({
      name: 'answer_escalation',
      arguments: { escalation_id: 'esc-1', answer: 'Rejected.' },
    });
    expect(second.isError).toBe(true);
    expect(textOf(second)).toContain("answer_escalation: escalation 'esc-1' was already answered");
    const all = await client.callTool({ name: 'list_escalations', arguments: { open: false } });
    expect(textOf(all)).toContain('answered by human: Approved: restore from last night.');
  });

  it('keeps serving after all of that', async () => {
    const result = await client.callTool({ name: 'list_agents', arguments: {} });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ org: 'test', root: 'ceo', entry: 'ceo' });
    const run = await client.callTool({ name: 'run_task', arguments: { task: 'Say ok' } });
    expect(textOf(run)).toMatch(/^ok\n/);
  });
});
