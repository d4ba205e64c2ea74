import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { errorResult, textResult } from '../shared/tool-result.js';
import { describeFailure } from './describe-failure.js';
import { renderReply } from './render-reply.js';
import type { RedisToolContext } from './tool-context.js';
import { grantRefusal } from './tool-context.js';

/** The input of the `bigkeys` tool. */
export const BigkeysInput = {
  sample: z
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(1000)
    .describe('How many keys to sample with SCAN at most (default 1000, at most 100000)'),
  match: z
    .string()
    .min(1)
    .max(256)
    .optional()
    .describe('A SCAN MATCH pattern to sample only some keys, such as "session:*"'),
  count: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(100)
    .describe('The COUNT hint of each SCAN call (default 100)'),
  top: z
    .number()
    .int()
    .min(1)
    .max(100)
    .default(10)
    .describe('How many of the largest keys to return (default 10)'),
};

/** One sampled key and its size. */
interface BigKey {
  key: string;
  type: string;
  /** MEMORY USAGE: bytes the key and its value take, estimated by Redis. */
  bytes: number;
  /** Characters of a string, elements of a list, set or sorted set, fields of a hash, entries of a stream. */
  length: number | null;
}

/** Totals for one type among the sampled keys. */
interface TypeTotal {
  keys: number;
  bytes: number;
}

/** The command that measures a key's length, by type. */
const lengthCommand: Record<string, string> = {
  string: 'STRLEN',
  list: 'LLEN',
  set: 'SCARD',
  zset: 'ZCARD',
  hash: 'HLEN',
  stream: 'XLEN',
};

/** What `length` counts, by type, for the text. */
const lengthUnit: Record<string, string> = {
  string: 'bytes long',
  list: 'elements',
  set: 'members',
  zset: 'members',
  hash: 'fields',
  stream: 'entries',
};

/** Keys per pipeline when measuring. */
const batchSize = 100;

function keyText(key: Buffer): string {
  const rendered = renderReply(key, 1024).json;
  return typeof rendered === 'string' ? rendered : key.toString('utf8');
}

/** Results of a pipeline, as values (an error or a missing result becomes undefined). */
async function pipelineValues(redis: Redis, commands: (string | Buffer)[][]): Promise<unknown[]> {
  const pipeline = redis.pipeline();
  for (const [name, ...rest] of commands) pipeline.callBuffer(String(name), ...rest);
  const results = (await pipeline.exec()) ?? [];
  return results.map(([error, value]) => (error ? undefined : value));
}

/** Scans at most `sample` keys, stopping at the end of the keyspace or when time runs out. */
async function sampleKeys(
  redis: Redis,
  options: { sample: number; match: string | undefined; count: number; deadline: number },
): Promise<{ keys: Buffer[]; complete: boolean; scanCalls: number; stoppedForTime: boolean }> {
  const keys: Buffer[] = [];
  let cursor = '0';
  let scanCalls = 0;
  const matching = options.match === undefined ? [] : ['MATCH', options.match];
  for (;;) {
    const reply = (await redis.callBuffer(
      'SCAN',
      cursor,
      ...matching,
      'COUNT',
      String(options.count),
    )) as [Buffer, Buffer[]];
    scanCalls += 1;
    cursor = reply[0].toString('utf8');
    for (const key of reply[1]) {
      if (keys.length < options.sample) keys.push(key);
    }
    if (cursor === '0') return { keys, complete: true, scanCalls, stoppedForTime: false };
    if (keys.length >= options.sample) {
      return { keys, complete: false, scanCalls, stoppedForTime: false };
    }
    if (Date.now() > options.deadline) {
      return { keys, complete: false, scanCalls, stoppedForTime: true };
    }
  }
}

/** Registers `bigkeys`: the largest keys among a SCAN sample, measured with MEMORY USAGE. */
export function registerBigkeysTool(server: McpServer, context: RedisToolContext): void {
  server.registerTool(
    'bigkeys',
    {
      title: 'Redis biggest keys',
      description:
        'Finds the largest keys by memory without KEYS: samples keys with SCAN (optionally MATCH), measures each with MEMORY USAGE, and returns the top N with type, bytes and length (elements, fields or string length), plus totals per type.',
      inputSchema: BigkeysInput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ sample, match, count, top }) => {
      const refused = grantRefusal(context, 'bigkeys');
      if (refused) return refused;
      let step = 'SCAN';
      try {
        // Sampling may take a few SCAN calls; it stops after a few per-command timeouts.
        const deadline = Date.now() + context.timeoutMs * 2;
        const scanned = await sampleKeys(context.redis, { sample, match, count, deadline });
        step = 'MEMORY USAGE';
        const measured: { key: Buffer; type: string; bytes: number }[] = [];
        for (let start = 0; start < scanned.keys.length; start += batchSize) {
          const batch = scanned.keys.slice(start, start + batchSize);
          const values = await pipelineValues(
            context.redis,
            batch.flatMap((key) => [
              ['MEMORY', 'USAGE', key],
              ['TYPE', key],
            ]),
          );
          batch.forEach((key, index) => {
            const bytes = values[index * 2];
            const type = values[index * 2 + 1];
            if (typeof bytes === 'number' && type !== undefined) {
              measured.push({ key, type: String(type), bytes });
            }
          });
        }
        measured.sort((left, right) => right.bytes - left.bytes);
        const largest = measured.slice(0, top);
        step = 'length of the largest keys';
        const lengthCommands = largest.map((entry) => [
          lengthCommand[entry.type] ?? 'TYPE',
          entry.key,
        ]);
        const lengths = await pipelineValues(context.redis, lengthCommands);
        const bigKeys: BigKey[] = largest.map((entry, index) => {
          const length = lengths[index];
          return {
            key: keyText(entry.key),
            type: entry.type,
            bytes: entry.bytes,
            length:
              lengthCommand[entry.type] !== undefined && typeof length === 'number' ? length : null,
          };
        });
        const byType: Record<string, TypeTotal> = {};
        for (const entry of measured) {
          const total = byType[entry.type] ?? { keys: 0, bytes: 0 };
          total.keys += 1;
          total.bytes += entry.bytes;
          byType[entry.type] = total;
        }
        const coverage = scanned.complete
          ? 'the whole keyspace was scanned'
          : scanned.stoppedForTime
            ? 'scanning stopped early to stay within the time limit; this is a sample'
            : `scanning stopped at the sample limit of ${sample}; this is a sample`;
        const lines = [
          `Sampled ${measured.length} key${measured.length === 1 ? '' : 's'} with SCAN${match === undefined ? '' : ` MATCH ${match}`} COUNT ${count} (${scanned.scanCalls} calls; ${coverage}).`,
          ...(bigKeys.length === 0
            ? ['No keys found.']
            : [
                `Largest ${bigKeys.length} by MEMORY USAGE:`,
                ...bigKeys.map(
                  (entry, index) =>
                    `${index + 1}. ${JSON.stringify(entry.key)}: ${entry.type}, ${entry.bytes} bytes${entry.length === null ? '' : `, ${entry.length} ${lengthUnit[entry.type] ?? ''}`}`,
                ),
              ]),
          ...(Object.keys(byType).length === 0
            ? []
            : [
                'By type:',
                ...Object.entries(byType).map(
                  ([type, total]) => `  ${type}: ${total.keys} keys, ${total.bytes} bytes`,
                ),
              ]),
        ];
        return textResult(lines.join('\n'), {
          sampled: measured.length,
          complete: scanned.complete,
          scan_calls: scanned.scanCalls,
          keys: bigKeys,
          by_type: byType,
        });
      } catch (error) {
        return errorResult(describeFailure(step, error, context.timeoutMs));
      }
    },
  );
}
