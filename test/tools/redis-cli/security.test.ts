import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisCliClient } from './redis-cli-client.js';
import { startRedisCli } from './redis-cli-client.js';
import {
  deleteUnder,
  directConnection,
  keysUnder,
  keyspaceChecksum,
  uniquePrefix,
} from './test-keyspace.js';

const prefix = uniquePrefix('security');
const key = (name: string) => `${prefix}${name}`;

/** One hostile input: what the refusal must name, and the grant it must say is needed. */
interface HostileInput {
  args: unknown[];
  /** Text the refusal must contain to name the command. */
  names: string;
  /** `never`, or the grant the command needs (refused at read and write alike). */
  need: 'admin' | 'never';
}

const luaFunction =
  "#!lua name=cadre\nredis.register_function('f', function() return redis.call('flushall') end)";

const hostileInputs: HostileInput[] = [
  { args: ['FLUSHALL'], names: 'FLUSHALL', need: 'admin' },
  { args: ['flushall'], names: 'FLUSHALL', need: 'admin' },
  { args: ['FlUsHaLl'], names: 'FLUSHALL', need: 'admin' },
  { args: ['FLUSHALL', 'ASYNC'], names: 'FLUSHALL', need: 'admin' },
  { args: ['FLUSHDB'], names: 'FLUSHDB', need: 'admin' },
  { args: ['CONFIG', 'SET', 'maxmemory', '1'], names: 'CONFIG SET', need: 'admin' },
  {
    args: ['config', 'set', 'maxmemory-policy', 'allkeys-lru'],
    names: 'CONFIG SET',
    need: 'admin',
  },
  { args: ['CONFIG', 'REWRITE'], names: 'CONFIG REWRITE', need: 'admin' },
  { args: ['CONFIG', 'RESETSTAT'], names: 'CONFIG RESETSTAT', need: 'admin' },
  { args: ['SHUTDOWN'], names: 'SHUTDOWN', need: 'admin' },
  { args: ['shutdown', 'NOSAVE'], names: 'SHUTDOWN', need: 'admin' },
  { args: ['DEBUG', 'SLEEP', '0'], names: 'DEBUG', need: 'admin' },
  { args: ['DEBUG', 'SEGFAULT'], names: 'DEBUG', need: 'admin' },
  { args: ['MODULE', 'LOAD', '/tmp/x.so'], names: 'MODULE', need: 'admin' },
  { args: ['EVAL', "redis.call('flushall')", '0'], names: 'EVAL', need: 'admin' },
  { args: ['EVALSHA', 'a'.repeat(40), '0'], names: 'EVALSHA', need: 'admin' },
  { args: ['EVAL_RO', 'return 1', '0'], names: 'EVAL_RO', need: 'admin' },
  { args: ['FCALL', 'f', '0'], names: 'FCALL', need: 'admin' },
  { args: ['FUNCTION', 'LOAD', luaFunction], names: 'FUNCTION', need: 'admin' },
  { args: ['SCRIPT', 'FLUSH'], names: 'SCRIPT', need: 'admin' },
  { args: ['REPLICAOF', '127.0.0.1', '1'], names: 'REPLICAOF', need: 'admin' },
  { args: ['SLAVEOF', '127.0.0.1', '1'], names: 'SLAVEOF', need: 'admin' },
  { args: ['ACL', 'SETUSER', 'x', 'on'], names: 'ACL', need: 'admin' },
  {
    args: ['MIGRATE', '127.0.0.1', '1', key('seed:string'), '0', '1000'],
    names: 'MIGRATE',
    need: 'admin',
  },
  { args: ['SAVE'], names: 'SAVE', need: 'admin' },
  { args: ['BGSAVE'], names: 'BGSAVE', need: 'admin' },
  { args: ['BGREWRITEAOF'], names: 'BGREWRITEAOF', need: 'admin' },
  { args: ['SWAPDB', '0', '1'], names: 'SWAPDB', need: 'admin' },
  { args: ['MOVE', key('seed:string'), '1'], names: 'MOVE', need: 'admin' },
  { args: ['CLIENT', 'KILL', 'ID', '1'], names: 'CLIENT KILL', need: 'admin' },
  { args: ['CLIENT', 'PAUSE', '10000'], names: 'CLIENT PAUSE', need: 'admin' },
  { args: ['SLOWLOG', 'RESET'], names: 'SLOWLOG RESET', need: 'admin' },
  { args: ['LATENCY', 'RESET'], names: 'LATENCY RESET', need: 'admin' },
  { args: ['MEMORY', 'PURGE'], names: 'MEMORY PURGE', need: 'admin' },
  { args: ['KEYS', '*'], names: 'KEYS', need: 'never' },
  { args: ['keys', `${prefix}*`], names: 'KEYS', need: 'never' },
  { args: ['MULTI'], names: 'MULTI', need: 'never' },
  { args: ['EXEC'], names: 'EXEC', need: 'never' },
  { args: ['WATCH', key('seed:string')], names: 'WATCH', need: 'never' },
  { args: ['SUBSCRIBE', 'c'], names: 'SUBSCRIBE', need: 'never' },
  { args: ['PSUBSCRIBE', '*'], names: 'PSUBSCRIBE', need: 'never' },
  { args: ['MONITOR'], names: 'MONITOR', need: 'never' },
  { args: ['SYNC'], names: 'SYNC', need: 'never' },
  { args: ['SELECT', '1'], names: 'SELECT', need: 'never' },
  { args: ['AUTH', 'x'], names: 'AUTH', need: 'never' },
  { args: ['HELLO', '3', 'AUTH', 'default', 'secret'], names: 'HELLO', need: 'never' },
  { args: ['BLPOP', 'k', '0'], names: 'BLPOP', need: 'never' },
  { args: ['BRPOP', 'k', '0'], names: 'BRPOP', need: 'never' },
  { args: ['XREAD', 'BLOCK', '0', 'STREAMS', 'k', '$'], names: 'XREAD BLOCK', need: 'never' },
  { args: ['WAIT', '1', '0'], names: 'WAIT', need: 'never' },
  { args: ['CLIENT', 'REPLY', 'OFF'], names: 'CLIENT REPLY', need: 'never' },
  { args: ['CONFIG'], names: 'CONFIG', need: 'never' },
  { args: ['NOTACOMMAND'], names: 'NOTACOMMAND', need: 'never' },
  { args: ['constructor'], names: 'CONSTRUCTOR', need: 'never' },
  { args: ['__proto__'], names: '__proto__', need: 'never' },
  { args: ['FLUSHALL\r\n'], names: 'FLUSHALL', need: 'never' },
  { args: ['FLUSHALL \r\n'], names: 'FLUSHALL', need: 'never' },
  { args: ['GET k\r\nFLUSHALL'], names: 'FLUSHALL', need: 'never' },
  { args: [' FLUSHALL'], names: 'FLUSHALL', need: 'never' },
  { args: ['FLUSHALL\u0000'], names: 'FLUSHALL', need: 'never' },
  { args: ['*1\r\n$8\r\nFLUSHALL'], names: 'FLUSHALL', need: 'never' },
  { args: ['ＦＬＵＳＨＡＬＬ'], names: 'ＦＬＵＳＨＡＬＬ', need: 'never' },
  { args: [], names: 'empty', need: 'never' },
  { args: ['SCAN', '0', 'COUNT', '100000000'], names: 'COUNT above 10000', need: 'never' },
  {
    args: ['HSCAN', key('seed:hash'), '0', 'NOVALUES', 'COUNT', '20000'],
    names: 'HSCAN with a COUNT above 10000',
    need: 'never',
  },
  { args: ['COPY', key('seed:string'), key('copy'), 'DB', '5'], names: 'COPY … DB', need: 'admin' },
  { args: ['GET', 5], names: 'string', need: 'never' },
  { args: [['FLUSHALL']], names: 'string', need: 'never' },
  { args: ['SET', key('seed:string'), { toString: 'FLUSHALL' }], names: 'string', need: 'never' },
];

let redis: Redis;
let reader: RedisCliClient;
let writer: RedisCliClient;
let checksumBefore: string;
let databaseSizeBefore: number;
let maxmemoryBefore: unknown;

beforeAll(async () => {
  redis = directConnection();
  await redis.set(key('seed:string'), 'keep me');
  await redis.hset(key('seed:hash'), { a: '1', b: '2' });
  await redis.rpush(key('seed:list'), 'x', 'y', 'z');
  await redis.sadd(key('seed:set'), 'm1', 'm2');
  await redis.zadd(key('seed:zset'), 1, 'one', 2, 'two');
  checksumBefore = await keyspaceChecksum(redis, prefix);
  databaseSizeBefore = await redis.dbsize();
  maxmemoryBefore = await redis.config('GET', 'maxmemory');
  [reader, writer] = await Promise.all([startRedisCli('read'), startRedisCli('write')]);
});

afterAll(async () => {
  await Promise.all([reader?.close(), writer?.close()]);
  await deleteUnder(redis, prefix);
  redis.disconnect();
});

describe.each([
  ['read', () => reader],
  ['write', () => writer],
] as const)('hostile commands at the %s grant', (grant, client) => {
  it.each(hostileInputs)('refuses $args', async ({ args, names, need }) => {
    const result = await client().call('command', { args });
    expect(result.isError).toBe(true);
    expect(result.text).toContain(names);
    if (need === 'never') {
      expect(result.text).toMatch(/never/);
    } else {
      expect(result.text).toContain(`needs the ${need} grant`);
      expect(result.text).toContain(`has the ${grant} grant`);
    }
  });
});

describe('after the hostile commands', () => {
  it('left the server answering and the keyspace unchanged', async () => {
    const ping = await reader.call('command', { args: ['PING'] });
    expect(ping).toMatchObject({ isError: false, text: '"PONG"' });
    const written = await writer.call('command', { args: ['ECHO', 'alive'] });
    expect(written).toMatchObject({ isError: false, text: '"alive"' });
    expect(await redis.ping()).toBe('PONG');
    expect(await keyspaceChecksum(redis, prefix)).toBe(checksumBefore);
    expect(await keysUnder(redis, prefix)).toHaveLength(5);
    expect(await redis.get(key('seed:string'))).toBe('keep me');
    expect(await redis.dbsize()).toBeGreaterThan(0);
    expect(await redis.dbsize()).toBeGreaterThanOrEqual(Math.min(databaseSizeBefore, 5));
    expect(await redis.config('GET', 'maxmemory')).toEqual(maxmemoryBefore);
    const [role] = (await redis.role()) as [string];
    expect(role).toBe('master');
  });

  it('treats command names inside the arguments as data', async () => {
    const echoed = await reader.call('command', { args: ['ECHO', 'FLUSHALL'] });
    expect(echoed).toMatchObject({ isError: false, text: '"FLUSHALL"' });
    const hidden = await reader.call('command', { args: ['GET', 'k\r\nFLUSHALL'] });
    expect(hidden).toMatchObject({ isError: false, text: '(nil)' });
    expect(await redis.get(key('seed:string'))).toBe('keep me');
  });

  it('redacts the password of HELLO AUTH from its refusal', async () => {
    const result = await reader.call('command', {
      args: ['HELLO', '3', 'AUTH', 'default', 'hunter2'],
    });
    expect(result.isError).toBe(true);
    expect(result.text).not.toContain('hunter2');
  });
});
