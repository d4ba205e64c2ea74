import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTempTree } from '../helpers/temp-org.js';
import { serverEnvironment, startHttpServer, stdioTransport } from '../mcp-server/cli-server.js';

/**
 * An org whose only report never answers: after 10 (scaled) minutes its silence escalates to a
 * person (`human`), and the CEO's run waits for that person's answer.
 */
const drillOrg: Record<string, string> = {
  'agents/drill/org.yaml': 'name: drill\nroot: ceo\ndefaults:\n  escalation: drill\n',
  'agents/drill/ceo.yaml':
    'id: ceo\nname: The CEO\nrole: ceo\ndescription: Decides.\nprompt: { text: You decide. }\n',
  'agents/drill/ops.yaml':
    'id: ops\nname: Operations\nrole: domain\nreports_to: ceo\ndescription: Runs the systems.\nprompt: { text: You run the systems. }\n',
  'escalation/drill.yaml': [
    'name: drill',
    'waits:',
    '  - id: ops-silent',
    '    request: task',
    '    waiting_on: ops',
    '    after: 10m',
    '    to: human',
  ].join('\n'),
  'agents/drill/rehearsals/default.yaml': [
    'agents:',
    '  ceo:',
    '    - tools:',
    "        - { name: delegate_task, input: { to: ops, task: 'Can we restore the orders table from last night?' } }",
    "    - text: 'CEO decision: {{results}}'",
    '  ops:',
    '    - delay_ms: 600000',
    "      text: 'Operations: too late to matter.'",
  ].join('\n'),
};

function textOf(result: unknown): string {
  return (result as CallToolResult).content
    .map((block) => (block.type === 'text' ? block.text : ''))
    .join('\n');
}

/** How each transport is opened: a child process over stdio, or over HTTP on a real port. */
const transports: Record<
  string,
  (
    args: string[],
    environment: Record<string, string>,
  ) => Promise<{ transport: Transport; stop: () => Promise<unknown> }>
> = {
  stdio: async (args, environment) => ({
    transport: stdioTransport(args, environment),
    stop: async () => undefined,
  }),
  'Streamable HTTP': async (args, environment) => {
    const server = await startHttpServer(args, environment);
    return { transport: new StreamableHTTPClientTransport(new URL(server.url)), stop: server.stop };
  },
};

for (const [name, open] of Object.entries(transports)) {
  describe(`answer_escalation over ${name}`, () => {
    const client = new Client({ name: 'the-person', version: '1.0.0' });
    let remove: () => Promise<void>;
    let stop: () => Promise<unknown> = async () => undefined;
    beforeAll(async () => {
      const tree = await writeTempTree(drillOrg);
      remove = tree.remove;
      const opened = await open(
        ['--org', `${tree.dir}/agents/drill`, '--model', 'rehearsal', '--time-scale', '1000'],
        serverEnvironment(`${tree.dir}/state.db`),
      );
      stop = opened.stop;
      await client.connect(opened.transport);
    });
    afterAll(async () => {
      await client.close();
      await stop();
      await remove();
    });

    it('unblocks a run that waits for the person at the top of the escalation chain', async () => {
      const progress: string[] = [];
      const run = client.callTool(
        { name: 'run_task', arguments: { task: 'The orders table is corrupted: what do we do?' } },
        undefined,
        { onprogress: ({ message = '' }) => progress.push(message), timeout: 60_000 },
      );
      let escalationId = '';
      await expect
        .poll(
          async () => {
            const listed = await client.callTool({ name: 'list_escalations', arguments: {} });
            const { escalations } = listed.structuredContent as {
              escalations: { escalationId: string; to: string; status: string }[];
            };
            escalationId =
              escalations.find(
                (escalation) => escalation.to === 'human' && escalation.status === 'open',
              )?.escalationId ?? '';
            return escalationId;
          },
          { timeout: 20_000, interval: 200 },
        )
        .not.toBe('');
      expect(progress.some((line) => line.includes(`escalation ${escalationId}`))).toBe(true);

      const answered = await client.callTool({
        name: 'answer_escalation',
        arguments: {
          escalation_id: escalationId,
          answer: 'Restore from the 02:00 backup, then replay the WAL.',
        },
      });
      expect(answered.isError).toBeFalsy();

      const result = await run;
      expect(result.isError).toBeFalsy();
      expect(textOf(result)).toContain('CEO decision:');
      expect(textOf(result)).toContain('Restore from the 02:00 backup, then replay the WAL.');

      const again = await client.callTool({
        name: 'answer_escalation',
        arguments: { escalation_id: escalationId, answer: 'Never mind.' },
      });
      expect(again.isError).toBe(true);
      expect(textOf(again)).toContain('was already answered');
    });
  });
}
