import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { errorResult, textResult } from '../shared/tool-result.js';
import { describeFailure } from './describe-failure.js';
import type { PairValue } from './pairs-to-object.js';
import { pairsToObject } from './pairs-to-object.js';
import type { RedisToolContext } from './tool-context.js';
import { grantRefusal } from './tool-context.js';

function formatStats(stats: Record<string, PairValue>): string[] {
  return Object.entries(stats).map(([key, value]) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? `  ${key}: ${Object.entries(value)
          .map(([inner, innerValue]) => `${inner}=${String(innerValue)}`)
          .join(', ')}`
      : `  ${key}: ${Array.isArray(value) ? JSON.stringify(value) : String(value)}`,
  );
}

/** Registers `memory`: MEMORY STATS (parsed) and MEMORY DOCTOR. */
export function registerMemoryTool(server: McpServer, context: RedisToolContext): void {
  server.registerTool(
    'memory',
    {
      title: 'Redis memory',
      description:
        'Memory statistics (MEMORY STATS, parsed into fields such as peak.allocated, total.allocated, dataset.bytes, fragmentation, and per database overhead) and the memory doctor’s report (MEMORY DOCTOR). For one key use the command tool with ["MEMORY", "USAGE", key]; for the largest keys use bigkeys.',
      inputSchema: {},
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async () => {
      const refused = grantRefusal(context, 'memory');
      if (refused) return refused;
      let step = 'MEMORY STATS';
      try {
        const stats = pairsToObject(await context.redis.call('MEMORY', 'STATS'), (key) =>
          /^db\.\d+$/.test(key),
        );
        step = 'MEMORY DOCTOR';
        const doctor = String(await context.redis.call('MEMORY', 'DOCTOR'));
        const lines = ['MEMORY STATS:', ...formatStats(stats), '', 'MEMORY DOCTOR:', doctor.trim()];
        return textResult(lines.join('\n'), { stats, doctor });
      } catch (error) {
        return errorResult(describeFailure(step, error, context.timeoutMs));
      }
    },
  );
}
