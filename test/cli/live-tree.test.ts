import { describe, expect, it } from 'vitest';
import { applyEvent, renderActivities } from '../../src/cli/live-tree.js';
import type { AgentActivity } from '../../src/cli/live-tree.js';
import type { RunEvent } from '../../src/runtime/run-event.js';
import { loadTestOrg } from '../helpers/test-org.js';

describe('the live view', () => {
  it('shows the agents that took part as a tree, with status, action, tokens and time', async () => {
    const { org, remove } = await loadTestOrg([
      { id: 'ceo', role: 'ceo' },
      { id: 'chief', role: 'chief', reports_to: 'ceo' },
      { id: 'idle', role: 'chief', reports_to: 'ceo' },
      { id: 'db', role: 'domain', reports_to: 'chief', extra: ['tools: [psql]'] },
    ]);
    try {
      const base = { runId: 'r' };
      const usage = {
        input_tokens: 100,
        output_tokens: 20,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 80,
      };
      const events: RunEvent[] = [
        {
          ...base,
          type: 'session-start',
          agent: 'ceo',
          at: 0,
          sessionId: 's1',
          asker: '@user',
          kind: 'task',
          taskId: 't',
        },
        {
          ...base,
          type: 'model-call-end',
          agent: 'ceo',
          at: 500,
          sessionId: 's1',
          turn: 1,
          usage,
          latencyMs: 500,
          costUsd: 0,
          attempts: 1,
          stopReason: 'tool_use',
          toolCalls: 1,
        },
        {
          ...base,
          type: 'message-sent',
          agent: 'ceo',
          at: 510,
          messageId: 'm',
          from: 'ceo',
          to: 'chief',
          kind: 'task',
          taskId: 't2',
          hop: 1,
          text: 'go',
          severity: 'normal',
        },
        {
          ...base,
          type: 'session-start',
          agent: 'chief',
          at: 520,
          sessionId: 's2',
          asker: 'ceo',
          kind: 'task',
          taskId: 't2',
        },
        {
          ...base,
          type: 'session-start',
          agent: 'db',
          at: 600,
          sessionId: 's3',
          asker: 'chief',
          kind: 'task',
          taskId: 't3',
        },
        {
          ...base,
          type: 'tool-call-start',
          agent: 'db',
          at: 700,
          sessionId: 's3',
          toolUseId: 'u',
          tool: 'psql__health',
          input: {},
        },
        {
          ...base,
          type: 'session-end',
          agent: 'chief',
          at: 1520,
          sessionId: 's2',
          status: 'stopped',
        },
      ];
      const activities = new Map<string, AgentActivity>();
      for (const event of events) applyEvent(activities, event);
      const lines = renderActivities(org, activities, 2000);
      expect(lines).toHaveLength(3);
      expect(lines[0]).toMatch(/^⏳ ceo +delegated to chief +200 tok +2\.0s$/);
      expect(lines[1]).toMatch(/^ {2}⛔ chief +stopped +0 tok +1\.0s$/);
      expect(lines[2]).toMatch(/^ {4}⚙ db +⚙ psql__health +0 tok +1\.4s$/);
      expect(lines.join('\n')).not.toContain('idle');
    } finally {
      await remove();
    }
  });
});
