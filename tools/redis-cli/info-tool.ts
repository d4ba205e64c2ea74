import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { errorResult, textResult } from '../shared/tool-result.js';
import { describeFailure } from './describe-failure.js';
import type { InfoFigures, InfoSections } from './parse-info.js';
import { deriveInfoFigures, parseInfo } from './parse-info.js';
import type { RedisToolContext } from './tool-context.js';
import { grantRefusal } from './tool-context.js';

/** The input of the `info` tool. */
export const InfoInput = {
  section: z
    .string()
    .regex(/^[A-Za-z_]{1,32}$/, {
      error: 'section is one INFO section name, such as stats, memory, keyspace or clients',
    })
    .optional()
    .describe(
      'One INFO section (server, clients, memory, persistence, stats, replication, cpu, commandstats, latencystats, keyspace, all); default: the default sections',
    ),
};

/** Sections the derived figures are read from. */
const figureSections = ['stats', 'memory', 'clients'];

function formatFigures(figures: InfoFigures): string[] {
  const ratio =
    figures.keyspace_hit_ratio === null
      ? 'null (no key lookups yet)'
      : `${figures.keyspace_hit_ratio}%`;
  const maxmemory =
    figures.maxmemory === 0 ? '0 (no limit)' : `${figures.maxmemory} (${figures.maxmemory_human})`;
  return [
    `keyspace_hit_ratio: ${ratio} (keyspace_hits ${figures.keyspace_hits}, keyspace_misses ${figures.keyspace_misses})`,
    `mem_fragmentation_ratio: ${figures.mem_fragmentation_ratio}`,
    `used_memory_human: ${figures.used_memory_human}`,
    `maxmemory: ${maxmemory}, maxmemory_policy: ${figures.maxmemory_policy}`,
    `evicted_keys: ${figures.evicted_keys}, expired_keys: ${figures.expired_keys}`,
    `instantaneous_ops_per_sec: ${figures.instantaneous_ops_per_sec}`,
    `connected_clients: ${figures.connected_clients}`,
  ];
}

function formatSections(sections: InfoSections): string[] {
  return Object.entries(sections).flatMap(([name, fields]) => [
    '',
    `# ${name}`,
    ...Object.entries(fields).map(([key, value]) => `${key}: ${value}`),
  ]);
}

/** Registers `info`: INFO parsed into sections, with the hit ratio and other derived figures. */
export function registerInfoTool(server: McpServer, context: RedisToolContext): void {
  server.registerTool(
    'info',
    {
      title: 'Redis INFO',
      description:
        'INFO parsed into sections (field → value), plus derived figures: keyspace_hit_ratio as a percentage (keyspace_hits / (hits + misses) × 100, null when both are 0), mem_fragmentation_ratio, evicted_keys, expired_keys, instantaneous_ops_per_sec, connected_clients, used_memory_human, maxmemory and maxmemory_policy.',
      inputSchema: InfoInput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ section }) => {
      const refused = grantRefusal(context, 'info');
      if (refused) return refused;
      const label = section === undefined ? 'INFO' : `INFO ${section}`;
      try {
        const text = String(
          section === undefined
            ? await context.redis.call('INFO')
            : await context.redis.call('INFO', section),
        );
        const sections = parseInfo(text);
        const hasFigures = figureSections.every((name) => Object.hasOwn(sections, name));
        const figures = deriveInfoFigures(
          hasFigures ? sections : parseInfo(String(await context.redis.call('INFO'))),
        );
        if (section !== undefined && Object.keys(sections).length === 0) {
          return errorResult(
            `INFO ${section} returned nothing: Redis does not know that section. Use one of server, clients, memory, persistence, stats, replication, cpu, commandstats, latencystats, keyspace or all.`,
          );
        }
        const body = [
          'Derived figures:',
          ...formatFigures(figures).map((line) => `  ${line}`),
          ...formatSections(sections),
        ];
        return textResult(body.join('\n'), { figures, sections });
      } catch (error) {
        return errorResult(describeFailure(label, error, context.timeoutMs));
      }
    },
  );
}
