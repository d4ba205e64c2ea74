import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMcpToolHost } from '../../src/mcp/mcp-tool-host.js';
import { createRehearsalToolHost } from '../../src/mcp/rehearsal-tool-host.js';
import type { ToolHost } from '../../src/mcp/tool-host.js';
import type { AgentDefinition, OrgDefinition } from '../../src/org/org-definition.js';
import { loadTestOrg } from '../helpers/test-org.js';

let org: OrgDefinition;
let remove: () => Promise<void>;
beforeAll(async () => {
  ({ org, remove } = await loadTestOrg(
    [
      { id: 'ceo', role: 'ceo' },
      {
        id: 'reader',
        role: 'chief',
        reports_to: 'ceo',
        extra: ['tools: [{ tool: psql, grant: read }, { tool: redis-cli, grant: read }]'],
      },
      {
        id: 'writer',
        role: 'chief',
        reports_to: 'ceo',
        extra: ['tools: [{ tool: psql, grant: write }, { tool: pgbench, grant: write }]'],
      },
    ],
    [
      'targets:',
      '  postgres: { kind: postgres, url: env:CADRE_REHEARSAL_TEST_NO_SUCH_URL, access: write }',
      '  redis: { kind: redis, url: env:CADRE_REHEARSAL_TEST_NO_SUCH_URL }',
    ],
  ));
});
afterAll(async () => remove());

const agent = (id: string): AgentDefinition => {
  const found = org.agents.find((candidate) => candidate.id === id);
  if (!found) throw new Error(id);
  return found;
};
const context = (id: string) => ({ runId: 'run-1', agent: agent(id) });

describe('the rehearsal tool host', () => {
  it('lists each agent its granted tools with the parameters their servers list', async () => {
    const host = createRehearsalToolHost(org);
    const reader = await host.toolsFor(agent('reader'));
    expect(reader.map((tool) => tool.name)).toEqual([
      'psql__query',
      'psql__explain',
      'psql__describe',
      'psql__health',
      'redis-cli__command',
      'redis-cli__info',
      'redis-cli__slowlog',
      'redis-cli__latency',
      'redis-cli__memory',
      'redis-cli__bigkeys',
    ]);
    const query = reader.find((tool) => tool.name === 'psql__query');
    expect(query?.description).toContain('read-only transaction');
    expect(query?.input_schema).toMatchObject({
      type: 'object',
      required: ['sql'],
      properties: { sql: { type: 'string' } },
    });
    const writer = (await host.toolsFor(agent('writer'))).map((tool) => tool.name);
    expect(writer).toContain('psql__execute');
    expect(writer).toContain('pgbench__init');
  });

  it('refuses arguments the live server would refuse, and answers what would have run otherwise', async () => {
    const host = createRehearsalToolHost();
    const missing = await host.call('psql__query', {}, context('reader'));
    expect(missing.isError).toBe(true);
    expect(missing.content).toContain('Invalid arguments for tool query');
    expect(missing.content).toContain('sql');
    const wrongType = await host.call('redis-cli__command', { args: 'GET x' }, context('reader'));
    expect(wrongType.isError).toBe(true);
    expect(wrongType.content).toContain('Invalid arguments for tool command');
    const fine = await host.call('psql__query', { sql: 'SELECT 1' }, context('reader'));
    expect(fine).toEqual({
      content:
        'rehearsal: psql__query {"sql":"SELECT 1"} was not run (no database is touched in a rehearsal)',
      isError: false,
    });
    const notGranted = await host.call('psql__execute', { sql: 'VACUUM' }, context('reader'));
    expect(notGranted.isError).toBe(true);
    expect(notGranted.content).toContain('tool psql__execute is not granted to reader');
  });
});

describe('the live tool host, when a server cannot start', () => {
  let host: ToolHost;
  afterAll(async () => host.close());

  it('still lists the real parameters of cadre’s tools, and says why they are unavailable', async () => {
    host = createMcpToolHost({ org });
    const tools = await host.toolsFor(agent('reader'));
    const query = tools.find((tool) => tool.name === 'psql__query');
    expect(query?.description).toMatch(
      /read-only transaction.*\(unavailable: .*CADRE_REHEARSAL_TEST_NO_SUCH_URL/s,
    );
    expect(query?.input_schema).toMatchObject({ required: ['sql'] });
  });
});
