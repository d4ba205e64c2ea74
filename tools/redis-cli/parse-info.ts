/** INFO parsed: section name (lower case, such as `stats`) → field → value as Redis wrote it. */
export type InfoSections = Record<string, Record<string, string>>;

/** Figures derived from INFO that health checks and metric probes read. */
export interface InfoFigures {
  /** keyspace_hits / (keyspace_hits + keyspace_misses) × 100, as a percentage; null when both are 0. */
  keyspace_hit_ratio: number | null;
  keyspace_hits: number | null;
  keyspace_misses: number | null;
  mem_fragmentation_ratio: number | null;
  evicted_keys: number | null;
  expired_keys: number | null;
  instantaneous_ops_per_sec: number | null;
  connected_clients: number | null;
  used_memory: number | null;
  used_memory_human: string | null;
  /** 0 means no limit. */
  maxmemory: number | null;
  maxmemory_human: string | null;
  maxmemory_policy: string | null;
}

/** Parses the text of INFO into sections; lines before any `# Section` header go to `default`. */
export function parseInfo(text: string): InfoSections {
  const sections: InfoSections = {};
  let current: Record<string, string> | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      const name = line.slice(1).trim().toLowerCase();
      current = sections[name] ?? {};
      sections[name] = current;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    if (current === undefined) {
      current = {};
      sections.default = current;
    }
    current[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return sections;
}

/** The value of a field, from whichever section holds it. */
function field(sections: InfoSections, name: string): string | undefined {
  for (const section of Object.values(sections)) {
    if (Object.hasOwn(section, name)) return section[name];
  }
  return undefined;
}

function numberField(sections: InfoSections, name: string): number | null {
  const text = field(sections, name);
  if (text === undefined || text.trim() === '') return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/** A percentage rounded to two decimals. */
function percentage(part: number, whole: number): number {
  return Math.round((part / whole) * 10_000) / 100;
}

/** The hit ratio as a percentage (two decimals); null when there were no lookups. */
export function keyspaceHitRatio(hits: number, misses: number): number | null {
  return hits + misses === 0 ? null : percentage(hits, hits + misses);
}

/** Derives the health figures from parsed INFO; a figure whose fields are missing is null. */
export function deriveInfoFigures(sections: InfoSections): InfoFigures {
  const hits = numberField(sections, 'keyspace_hits');
  const misses = numberField(sections, 'keyspace_misses');
  return {
    keyspace_hit_ratio: hits === null || misses === null ? null : keyspaceHitRatio(hits, misses),
    keyspace_hits: hits,
    keyspace_misses: misses,
    mem_fragmentation_ratio: numberField(sections, 'mem_fragmentation_ratio'),
    evicted_keys: numberField(sections, 'evicted_keys'),
    expired_keys: numberField(sections, 'expired_keys'),
    instantaneous_ops_per_sec: numberField(sections, 'instantaneous_ops_per_sec'),
    connected_clients: numberField(sections, 'connected_clients'),
    used_memory: numberField(sections, 'used_memory'),
    used_memory_human: field(sections, 'used_memory_human') ?? null,
    maxmemory: numberField(sections, 'maxmemory'),
    maxmemory_human: field(sections, 'maxmemory_human') ?? null,
    maxmemory_policy: field(sections, 'maxmemory_policy') ?? null,
  };
}
