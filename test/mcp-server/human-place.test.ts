import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedModel } from '../../src/model/scripted-model.js';
import { createRuntime } from '../../src/runtime/runtime.js';
import type { Runtime } from '../../src/runtime/runtime.js';
import { loadTestOrg } from '../helpers/test-org.js';
import { connectClient, contextOf } from './in-memory-server.js';

describe('cadre’s MCP server and a place a person fills', () => {
  let client: Client;
  let runtime: Runtime;
  let remove: () => Promise<void>;
  beforeAll(async () => {
    const loaded = await loadTestOrg([
      { id: 'ceo', role: 'ceo' },
      { id: 'approver', role: 'chief', reports_to: 'ceo', extra: ['human: true'] },
      { id: 'ops', role: 'domain', reports_to: 'approver' },
    ]);
    remove = loaded.remove;
    runtime = createRuntime({ org: loaded.org, model: new ScriptedModel(() => ({ text: 'ok' })) });
    client = await connectClient(contextOf(loaded.org, runtime));
  });
  afterAll(async () => {
    await client.close();
    await runtime.close();
    await remove();
  });

  it('offers the agents as prompts but not the person: nobody is to work as them', async () => {
    const { prompts } = await client.listPrompts();

    expect(prompts.map((prompt) => prompt.name).sort()).toEqual(['ceo', 'ops']);
    await expect(client.getPrompt({ name: 'approver', arguments: {} })).rejects.toThrow(/approver/);
  });
});
