import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedModel } from '../../src/model/scripted-model.js';
import type { DatabaseTool } from '../../src/mcp-server/database-tool-catalog.js';
import type { CadreMcpContext } from '../../src/mcp-server/server-context.js';
import { databaseToolAnnotations, runAnnotations } from '../../src/mcp-server/tool-annotations.js';
import type { OrgDefinition } from '../../src/org/org-definition.js';
import { createRuntime } from '../../src/runtime/runtime.js';
import type { Runtime } from '../../src/runtime/runtime.js';
import { loadTestOrg } from '../helpers/test-org.js';
import { contextOf } from './in-memory-server.js';

function tool(
  name: string,
  grants: DatabaseTool['holders'][number]['grant'][],
  leastGrant?: 'read' | 'write',
): DatabaseTool {
  return {
    name,
    description: name,
    inputSchema: { type: 'object' },
    holders: grants.map((grant, index) => ({ agent: `agent-${index}`, grant })),
    ...(leastGrant ? { leastGrant } : {}),
  };
}

describe('tool annotations tell the truth about what a call may do', () => {
  let org: OrgDefinition;
  let runtime: Runtime;
  let remove: () => Promise<void>;
  let live: CadreMcpContext;
  let rehearsed: CadreMcpContext;
  beforeAll(async () => {
    ({ org, remove } = await loadTestOrg(
      [
        { id: 'ceo', role: 'ceo' },
        {
          id: 'db',
          role: 'domain',
          reports_to: 'ceo',
          extra: ['tools: [{ tool: psql, grant: write }]'],
        },
      ],
      ['targets:', '  main: { kind: postgres, url: env:DATABASE_URL, access: write }'],
    ));
    runtime = createRuntime({ org, model: new ScriptedModel(() => ({ text: 'ok' })) });
    live = contextOf(org, runtime, { rehearsal: false, toolMode: 'live' });
    rehearsed = contextOf(org, runtime);
  });
  afterAll(async () => {
    await runtime.close();
    await remove();
  });

  it('marks a run destructive and open-world when an agent holds a write grant on live tools and models are real', () => {
    expect(runAnnotations(live)).toEqual({
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: false,
      openWorldHint: true,
    });
    expect(runAnnotations(rehearsed)).toMatchObject({
      destructiveHint: false,
      openWorldHint: false,
    });
  });

  it('keeps read operations read-only at any grant, unless the grant widens them', () => {
    expect(
      databaseToolAnnotations(tool('psql__query', ['read', 'write'], 'read'), live),
    ).toMatchObject({
      readOnlyHint: true,
      destructiveHint: false,
    });
    expect(
      databaseToolAnnotations(tool('redis-cli__command', ['read'], 'read'), live),
    ).toMatchObject({
      readOnlyHint: true,
    });
    expect(
      databaseToolAnnotations(tool('redis-cli__command', ['read', 'write'], 'read'), live),
    ).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
    });
    expect(databaseToolAnnotations(tool('psql__execute', ['write'], 'write'), live)).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
      openWorldHint: false,
    });
  });

  it('treats an org MCP server’s tool as unknown (may write, reaches outside), and a rehearsal as touching nothing', () => {
    expect(databaseToolAnnotations(tool('github__create_issue', ['read']), live)).toEqual({
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: false,
      openWorldHint: true,
    });
    expect(
      databaseToolAnnotations(tool('psql__execute', ['write'], 'write'), rehearsed),
    ).toMatchObject({
      readOnlyHint: true,
      destructiveHint: false,
    });
  });
});
