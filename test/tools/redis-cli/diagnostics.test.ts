import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseInfo } from '../../../tools/redis-cli/parse-info.js';
import type { RedisCliClient } from './redis-cli-client.js';
import { startRedisCli } from './redis-cli-client.js';
import { deleteUnder, directConnection, uniquePrefix } from './test-keyspace.js';

const prefix = uniquePrefix('diagnostics');
const key = (name: string) => `${prefix}${name}`;
const clientName = `cadre-redis-cli-test-${prefix.split(':')[3]?.slice(0, 8) ?? 'x'}`;

let redis: Redis;
let reader: RedisCliClient;

async function rawStats(): Promise<{ hits: number; misses: number }> {
  const stats = parseInfo(await redis.info('stats')).stats ?? {};
  return { hits: Number(stats.keyspace_hits), misses: Number(stats.keyspace_misses) };
}

beforeAll(async () => {
  redis = directConnection(clientName);
  await redis.set(key('small'), 'v');
  await redis.set(key('big'), 'y'.repeat(300_000));
  await redis.hset(
    key('wide'),
    Object.fromEntries(Array.from({ length: 500 }, (_, index) => [`field${index}`, 'value'])),
  );
  await redis.rpush(key('list'), ...Array.from({ length: 50 }, (_, index) => `item${index}`));
  reader = await startRedisCli('read');
});

afterAll(async () => {
  await reader?.close();
  await deleteUnder(redis, prefix);
  redis.disconnect();
});

interface InfoData {
  figures: Record<string, unknown> & {
    keyspace_hit_ratio: number | null;
    keyspace_hits: number;
    keyspace_misses: number;
  };
  sections: Record<string, Record<string, string>>;
}

describe('info', () => {
  it('returns sections and a keyspace_hit_ratio that matches the hits and misses', async () => {
    const before = await rawStats();
    for (let index = 0; index < 6; index += 1) await redis.get(key('small'));
    for (let index = 0; index < 3; index += 1) await redis.get(key(`absent-${index}`));
    const result = await reader.call('info');
    const after = await rawStats();
    expect(result.isError).toBe(false);
    const { figures, sections } = result.data as InfoData;
    for (const section of ['server', 'clients', 'memory', 'stats', 'keyspace']) {
      expect(sections).toHaveProperty(section);
    }
    expect(sections.server?.redis_version).toMatch(/^\d+\.\d+/);
    // Other tests share the server: the tool's counts lie between what we read around it.
    expect(figures.keyspace_hits).toBeGreaterThanOrEqual(before.hits + 6);
    expect(figures.keyspace_hits).toBeLessThanOrEqual(after.hits);
    expect(figures.keyspace_misses).toBeGreaterThanOrEqual(before.misses + 3);
    expect(figures.keyspace_misses).toBeLessThanOrEqual(after.misses);
    expect(String(figures.keyspace_hits)).toBe(sections.stats?.keyspace_hits);
    const expected =
      (figures.keyspace_hits / (figures.keyspace_hits + figures.keyspace_misses)) * 100;
    expect(figures.keyspace_hit_ratio).toBeCloseTo(expected, 2);
    expect(figures.keyspace_hit_ratio).toBeGreaterThan(0);
    expect(figures.keyspace_hit_ratio).toBeLessThanOrEqual(100);
    expect(result.text).toContain(`keyspace_hit_ratio: ${figures.keyspace_hit_ratio}%`);
  });

  it('derives the memory, eviction and traffic figures', async () => {
    const result = await reader.call('info');
    const { figures, sections } = result.data as InfoData;
    expect(figures).toMatchObject({
      mem_fragmentation_ratio: Number(sections.memory?.mem_fragmentation_ratio),
      evicted_keys: Number(sections.stats?.evicted_keys),
      used_memory_human: sections.memory?.used_memory_human,
      maxmemory: Number(sections.memory?.maxmemory),
      maxmemory_policy: sections.memory?.maxmemory_policy,
    });
    for (const name of ['expired_keys', 'instantaneous_ops_per_sec', 'connected_clients']) {
      expect(typeof figures[name]).toBe('number');
    }
  });

  it('returns one section when asked, with the figures still derived', async () => {
    const result = await reader.call('info', { section: 'memory' });
    expect(result.isError).toBe(false);
    const { figures, sections } = result.data as InfoData;
    expect(Object.keys(sections)).toEqual(['memory']);
    expect(typeof figures.keyspace_hits).toBe('number');
  });

  it('refuses a section name that is not a word', async () => {
    const result = await reader.call('info', { section: 'all\r\nFLUSHALL' });
    expect(result.isError).toBe(true);
  });
});

describe('slowlog', () => {
  it('parses a slow command this test caused', async () => {
    const [, threshold] = (await redis.config('GET', 'slowlog-log-slower-than')) as string[];
    const slowerThan = Math.max(Number(threshold), 1000) * 2;
    // A script that runs for twice the slow log threshold.
    await redis.eval(
      `local s = redis.call('TIME') repeat local n = redis.call('TIME') until (n[1] - s[1]) * 1000000 + (n[2] - s[2]) > ${slowerThan} return 1`,
      0,
    );
    const result = await reader.call('slowlog', { count: 128 });
    expect(result.isError).toBe(false);
    const data = result.data as {
      length: number;
      slower_than_us: number;
      entries: {
        id: number;
        time: string;
        duration_us: number;
        command: string[];
        client: string | null;
        client_name: string | null;
      }[];
    };
    expect(data.slower_than_us).toBe(Number(threshold));
    const mine = data.entries.find((entry) => entry.client_name === clientName);
    expect(mine).toBeDefined();
    expect(mine?.command[0]?.toUpperCase()).toBe('EVAL');
    expect(mine?.duration_us).toBeGreaterThan(Number(threshold));
    expect(mine?.client).toMatch(/:\d+$/);
    expect(Number.isNaN(Date.parse(mine?.time ?? ''))).toBe(false);
    expect(result.text).toContain(`(${clientName})`);
  });
});

describe('latency', () => {
  it('returns the latest events and the doctor’s report', async () => {
    const result = await reader.call('latency', { event: 'command' });
    expect(result.isError).toBe(false);
    const data = result.data as { latest: unknown[]; history: unknown[]; doctor: string };
    expect(Array.isArray(data.latest)).toBe(true);
    expect(Array.isArray(data.history)).toBe(true);
    expect(data.doctor.length).toBeGreaterThan(0);
    expect(result.text).toContain('LATENCY DOCTOR');
  });
});

describe('memory', () => {
  it('parses MEMORY STATS and returns MEMORY DOCTOR', async () => {
    const result = await reader.call('memory');
    expect(result.isError).toBe(false);
    const data = result.data as { stats: Record<string, unknown>; doctor: string };
    expect(typeof data.stats['total.allocated']).toBe('number');
    expect(typeof data.stats['peak.allocated']).toBe('number');
    expect(data.stats['db.0']).toMatchObject({ 'overhead.hashtable.main': expect.any(Number) });
    expect(data.doctor.length).toBeGreaterThan(0);
    expect(result.text).toContain('MEMORY DOCTOR');
  });
});

describe('bigkeys', () => {
  it('finds the big seeded key first, with type and length', async () => {
    const result = await reader.call('bigkeys', { match: `${prefix}*`, top: 3 });
    expect(result.isError).toBe(false);
    const data = result.data as {
      sampled: number;
      complete: boolean;
      keys: { key: string; type: string; bytes: number; length: number | null }[];
    };
    expect(data.sampled).toBe(4);
    expect(data.complete).toBe(true);
    expect(data.keys).toHaveLength(3);
    expect(data.keys[0]).toMatchObject({ key: key('big'), type: 'string', length: 300_000 });
    expect(data.keys[0]?.bytes).toBeGreaterThan(300_000);
    expect(data.keys[1]).toMatchObject({ key: key('wide'), type: 'hash', length: 500 });
    expect(result.text).toContain(key('big'));
  });

  it('stops at the sample limit', async () => {
    const result = await reader.call('bigkeys', { match: `${prefix}*`, sample: 1, count: 1000 });
    expect(result.isError).toBe(false);
    expect((result.data as { sampled: number }).sampled).toBe(1);
  });
});
