import { describe, expect, it } from 'vitest';
import { deriveInfoFigures, parseInfo } from '../../../tools/redis-cli/parse-info.js';

const info = [
  '# Clients',
  'connected_clients:3',
  '',
  '# Memory',
  'used_memory_human:1.00M',
  'maxmemory:0',
  'maxmemory_human:0B',
  'maxmemory_policy:noeviction',
  'mem_fragmentation_ratio:1.50',
  '',
  '# Stats',
  'keyspace_hits:85',
  'keyspace_misses:15',
  'evicted_keys:2',
  'expired_keys:7',
  'instantaneous_ops_per_sec:12',
  '',
  '# Keyspace',
  'db0:keys=10,expires=1,avg_ttl=0',
].join('\r\n');

describe('parsing INFO', () => {
  it('splits sections into fields', () => {
    const sections = parseInfo(info);
    expect(Object.keys(sections)).toEqual(['clients', 'memory', 'stats', 'keyspace']);
    expect(sections.keyspace).toEqual({ db0: 'keys=10,expires=1,avg_ttl=0' });
  });

  it('derives the hit ratio as a percentage and the other figures', () => {
    expect(deriveInfoFigures(parseInfo(info))).toEqual({
      keyspace_hit_ratio: 85,
      keyspace_hits: 85,
      keyspace_misses: 15,
      mem_fragmentation_ratio: 1.5,
      evicted_keys: 2,
      expired_keys: 7,
      instantaneous_ops_per_sec: 12,
      connected_clients: 3,
      used_memory: null,
      used_memory_human: '1.00M',
      maxmemory: 0,
      maxmemory_human: '0B',
      maxmemory_policy: 'noeviction',
    });
  });

  it('gives a null hit ratio when there were no lookups', () => {
    const figures = deriveInfoFigures(parseInfo('# Stats\nkeyspace_hits:0\nkeyspace_misses:0'));
    expect(figures.keyspace_hit_ratio).toBeNull();
  });

  it('rounds the hit ratio to two decimals', () => {
    const figures = deriveInfoFigures(parseInfo('# Stats\nkeyspace_hits:2\nkeyspace_misses:1'));
    expect(figures.keyspace_hit_ratio).toBe(66.67);
  });
});
