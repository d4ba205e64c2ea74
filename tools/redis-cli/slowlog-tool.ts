import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { redactValue } from '../shared/redact.js';
import { errorResult, textResult } from '../shared/tool-result.js';
import { configValue } from './config-value.js';
import { describeFailure } from './describe-failure.js';
import type { SlowlogEntry } from './parse-slowlog.js';
import { parseSlowlog } from './parse-slowlog.js';
import type { RedisToolContext } from './tool-context.js';
import { grantRefusal } from './tool-context.js';

/** The input of the `slowlog` tool. */
export const SlowlogInput = {
  count: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(10)
    .describe('How many of the most recent slow commands to return (1–1000, default 10)'),
};

/** Shows an argument bare when it is a plain word, quoted otherwise. */
function shownArgument(argument: string): string {
  return /^[\w:.*@/-]+$/.test(argument) ? argument : JSON.stringify(argument);
}

function formatEntry(entry: SlowlogEntry): string {
  const client = entry.client === null ? '' : ` from ${entry.client}`;
  const name = entry.client_name === null ? '' : ` (${entry.client_name})`;
  return `#${entry.id} ${entry.time} ${entry.duration_us} µs${client}${name}: ${entry.command.map(shownArgument).join(' ')}`;
}

/** Registers `slowlog`: SLOWLOG GET parsed (id, time, duration in µs, command, client). */
export function registerSlowlogTool(server: McpServer, context: RedisToolContext): void {
  server.registerTool(
    'slowlog',
    {
      title: 'Redis slow log',
      description:
        'The most recent slow commands (SLOWLOG GET n), parsed: id, time, duration in microseconds, the command and its arguments, and the client. Also the slow log length and threshold.',
      inputSchema: SlowlogInput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ count }) => {
      const refused = grantRefusal(context, 'slowlog');
      if (refused) return refused;
      try {
        const entries = redactValue(
          parseSlowlog(await context.redis.call('SLOWLOG', 'GET', String(count))),
        );
        const length = Number(await context.redis.call('SLOWLOG', 'LEN'));
        const threshold = await configValue(context.redis, 'slowlog-log-slower-than');
        const maxLength = await configValue(context.redis, 'slowlog-max-len');
        const thresholdUs = threshold === undefined ? null : Number(threshold);
        const settings =
          thresholdUs === null
            ? 'the threshold is unknown (CONFIG GET is not allowed for this connection)'
            : thresholdUs < 0
              ? 'the slow log is off (slowlog-log-slower-than is negative)'
              : `commands slower than ${thresholdUs} µs are logged, keeping the last ${maxLength ?? '?'}`;
        const lines = [
          `Slow log: ${length} entr${length === 1 ? 'y' : 'ies'} kept; ${settings}.`,
          ...(entries.length === 0 ? ['No slow commands recorded.'] : entries.map(formatEntry)),
        ];
        return textResult(lines.join('\n'), {
          length,
          slower_than_us: thresholdUs,
          max_length: maxLength === undefined ? null : Number(maxLength),
          entries,
        });
      } catch (error) {
        return errorResult(describeFailure(`SLOWLOG GET ${count}`, error, context.timeoutMs));
      }
    },
  );
}
