import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connected } from './in-memory-server.js';
import { openInMemory } from './in-memory-server.js';

describe('cancelling run_task from the client', () => {
  let connected: Connected;
  beforeAll(async () => {
    connected = await openInMemory('agents/esa', {
      model: 'rehearsal:test/mcp-server/fixtures/slow-esa.yaml',
    });
  });
  afterAll(async () => connected.close());

  it('cancels the run: the request is abandoned and the run ends cancelled in the store', async () => {
    const controller = new AbortController();
    let runId = '';
    const call = connected.client.callTool(
      { name: 'run_task', arguments: { task: 'Check the foundation' } },
      undefined,
      {
        signal: controller.signal,
        onprogress: ({ message = '' }) => {
          runId ||= /^run (\S+) started/.exec(message)?.[1] ?? '';
          // Chief #1 takes a minute: cancel while the CEO waits for it.
          if (message.startsWith('ceo → chief-1 task'))
            controller.abort('the person changed their mind');
        },
      },
    );
    await expect(call).rejects.toThrow();
    expect(runId).not.toBe('');
    await expect
      .poll(async () => (await connected.context.runtime.store.getRun(runId))?.status, {
        timeout: 5_000,
      })
      .toBe('cancelled');
    const shown = await connected.client.callTool({
      name: 'get_run',
      arguments: { run_id: runId },
    });
    expect(shown.structuredContent).toMatchObject({ runId, status: 'cancelled' });
  });
});
