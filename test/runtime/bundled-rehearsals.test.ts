import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AnthropicModel } from '../../src/model/anthropic-model.js';
import { loadOrg } from '../../src/org/load-org.js';
import type { RunEvent } from '../../src/runtime/run-event.js';
import { createRuntime } from '../../src/runtime/runtime.js';
import { loadRehearsalScript, startFakeServer } from '../../src/testing.js';

const agentsDir = fileURLToPath(new URL('../../agents/', import.meta.url));

describe('the bundled rehearsal scripts', () => {
  for (const name of ['esa', 'heir', 'infra-ops']) {
    it(`rehearse ${name}: every scripted step is used, every tool call succeeds, the run completes`, async () => {
      const { org } = await loadOrg(join(agentsDir, name));
      const script = await loadRehearsalScript(join(agentsDir, name, 'rehearsals', 'default.yaml'));
      const server = await startFakeServer({ script });
      const runtime = createRuntime({
        org,
        model: new AnthropicModel({ apiKey: 'rehearsal', baseURL: server.url, maxRetries: 0 }),
      });
      try {
        const handle = runtime.run('Rehearse the delegation chain');
        const events: RunEvent[] = [];
        for await (const event of handle.events) events.push(event);
        const result = await handle.result;
        expect(result.status).toBe('completed');
        expect(server.requests.every((entry) => entry.scripted !== false)).toBe(true);
        const scripted = Object.entries(script.agents ?? {}).map(([agent, steps]) => [
          agent,
          (steps as unknown[]).length,
        ]);
        const calls = new Map<string, number>();
        for (const entry of server.requests)
          calls.set(entry.agent ?? '', (calls.get(entry.agent ?? '') ?? 0) + 1);
        for (const [agent, steps] of scripted)
          expect(calls.get(agent as string), String(agent)).toBe(steps);
        const toolEnds = events.filter((event) => event.type === 'tool-call-end');
        expect(toolEnds.length).toBeGreaterThan(0);
        expect(toolEnds.filter((event) => event.type === 'tool-call-end' && event.isError)).toEqual(
          [],
        );
        expect(events.filter((event) => event.type === 'guard-tripped')).toEqual([]);
      } finally {
        await runtime.close();
        await server.close();
      }
    });
  }
});
