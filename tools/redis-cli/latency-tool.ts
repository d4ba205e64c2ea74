import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { errorResult, textResult } from '../shared/tool-result.js';
import { configValue } from './config-value.js';
import { describeFailure } from './describe-failure.js';
import type { RedisToolContext } from './tool-context.js';
import { grantRefusal } from './tool-context.js';

/** The input of the `latency` tool. */
export const LatencyInput = {
  event: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,63}$/i, {
      error: 'event is a latency event name, such as command, fast-command or expire-cycle',
    })
    .optional()
    .describe(
      'A latency event (from the latest list, such as command or expire-cycle) whose history to return too (LATENCY HISTORY)',
    ),
};

/** The latest spike of one latency event. */
interface LatencyLatest {
  event: string;
  time: string;
  latest_ms: number;
  max_ms: number;
}

/** One point of a latency event's history. */
interface LatencyPoint {
  time: string;
  latency_ms: number;
}

function isoTime(seconds: unknown): string {
  return new Date(Number(seconds) * 1000).toISOString();
}

function parseLatest(reply: unknown): LatencyLatest[] {
  if (!Array.isArray(reply)) return [];
  return reply.filter(Array.isArray).map((row: unknown[]) => ({
    event: String(row[0]),
    time: isoTime(row[1]),
    latest_ms: Number(row[2]),
    max_ms: Number(row[3]),
  }));
}

function parseHistory(reply: unknown): LatencyPoint[] {
  if (!Array.isArray(reply)) return [];
  return reply
    .filter(Array.isArray)
    .map((row: unknown[]) => ({ time: isoTime(row[0]), latency_ms: Number(row[1]) }));
}

/** Registers `latency`: LATENCY LATEST and LATENCY DOCTOR (and one event's history). */
export function registerLatencyTool(server: McpServer, context: RedisToolContext): void {
  server.registerTool(
    'latency',
    {
      title: 'Redis latency',
      description:
        'Latency monitor: the latest spike per event (LATENCY LATEST), the latency doctor’s report (LATENCY DOCTOR) and, with event, that event’s history (LATENCY HISTORY). Says so when latency monitoring is off.',
      inputSchema: LatencyInput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ event }) => {
      const refused = grantRefusal(context, 'latency');
      if (refused) return refused;
      let step = 'LATENCY LATEST';
      try {
        const latest = parseLatest(await context.redis.call('LATENCY', 'LATEST'));
        step = 'LATENCY DOCTOR';
        const doctor = String(await context.redis.call('LATENCY', 'DOCTOR'));
        step = `LATENCY HISTORY ${event ?? ''}`.trim();
        const history =
          event === undefined
            ? undefined
            : parseHistory(await context.redis.call('LATENCY', 'HISTORY', event));
        const threshold = await configValue(context.redis, 'latency-monitor-threshold');
        const thresholdMs = threshold === undefined ? null : Number(threshold);
        const monitoring =
          thresholdMs === null
            ? 'The monitoring threshold is unknown (CONFIG GET is not allowed for this connection).'
            : thresholdMs === 0
              ? 'Latency monitoring is off (latency-monitor-threshold is 0), so no events are recorded; an administrator can enable it with CONFIG SET latency-monitor-threshold 100.'
              : `Events slower than ${thresholdMs} ms are recorded.`;
        const lines = [
          monitoring,
          '',
          'Latest spikes (LATENCY LATEST):',
          ...(latest.length === 0
            ? ['  none recorded']
            : latest.map(
                (row) =>
                  `  ${row.event}: latest ${row.latest_ms} ms at ${row.time}, max ${row.max_ms} ms`,
              )),
          ...(history === undefined
            ? []
            : [
                '',
                `History of ${event} (LATENCY HISTORY):`,
                ...(history.length === 0
                  ? ['  none recorded']
                  : history.map((point) => `  ${point.time}: ${point.latency_ms} ms`)),
              ]),
          '',
          'LATENCY DOCTOR:',
          doctor.trim(),
        ];
        return textResult(lines.join('\n'), {
          monitor_threshold_ms: thresholdMs,
          latest,
          ...(history === undefined ? {} : { history }),
          doctor,
        });
      } catch (error) {
        return errorResult(describeFailure(step, error, context.timeoutMs));
      }
    },
  );
}
