import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinTool } from '../../../src/org/tool-catalog.js';
import { startPrivateRedis } from '../../helpers/private-redis.js';
import type { RedisCliClient } from './redis-cli-client.js';
import { startRedisCli } from './redis-cli-client.js';
import { deleteUnder, directConnection, keysUnder, uniquePrefix } from './test-keyspace.js';

const prefix = uniquePrefix('command');
const key = (name: string) => `${prefix}${name}`;

let redis: Redis;
let reader: RedisCliClient;
let writer: RedisCliClient;
let administrator: RedisCliClient;

beforeAll(async () => {
  redis = directConnection();
  await redis.set(key('user:1'), 'Ada Lovelace');
  await redis.hset(key('profile:1'), { name: 'Ada', born: '1815' });
  await redis.rpush(key('queue'), 'a', 'b', 'c');
  await redis.set(key('big'), 'x'.repeat(200_000));
  await redis.set(key('binary'), Buffer.from([0x00, 0xff, 0x41, 0x0a]));
  [reader, writer, administrator] = await Promise.all([
    startRedisCli('read'),
    startRedisCli('write'),
    startRedisCli('admin'),
  ]);
});

afterAll(async () => {
  await Promise.all([reader?.close(), writer?.close(), administrator?.close()]);
  await deleteUnder(redis, prefix);
  redis.disconnect();
});

describe('the tools each grant lists', () => {
  const operations = builtinTool('redis-cli')?.operations.map((operation) => operation.name);

  it('lists the catalog’s operations at every grant, with truthful annotations', async () => {
    for (const [grant, client] of [
      ['read', reader],
      ['write', writer],
      ['admin', administrator],
    ] as const) {
      const { tools } = await client.client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual([...(operations ?? [])].sort());
      for (const tool of tools) {
        if (tool.name === 'command' && grant !== 'read') {
          expect(tool.annotations?.readOnlyHint).toBe(false);
          expect(tool.annotations?.destructiveHint).toBe(true);
        } else {
          expect(tool.annotations?.readOnlyHint).toBe(true);
          expect(tool.annotations?.destructiveHint).not.toBe(true);
        }
      }
    }
  });

  it('describes command’s args as an array of strings', async () => {
    const { tools } = await reader.client.listTools();
    const command = tools.find((tool) => tool.name === 'command');
    expect(command?.inputSchema.properties?.args).toMatchObject({
      type: 'array',
      items: { type: 'string' },
    });
  });

  it('reports the server version and the ACL user at start', async () => {
    const stderr = await reader.stderr(/ACL/);
    expect(stderr).toMatch(/connected to Redis \d+\.\d+/);
    expect(stderr).toMatch(/ACL/);
    expect(stderr).not.toMatch(/redis:\/\//);
  });
});

describe('command at the read grant', () => {
  it('reads a string with GET', async () => {
    const result = await reader.call('command', { args: ['GET', key('user:1')] });
    expect(result.isError).toBe(false);
    expect(result.text).toBe('"Ada Lovelace"');
    expect(result.data).toMatchObject({ command: 'GET', reply: 'Ada Lovelace', truncated: false });
  });

  it('takes command names in any case', async () => {
    const result = await reader.call('command', { args: ['get', key('user:1')] });
    expect(result.isError).toBe(false);
    expect(result.data).toMatchObject({ command: 'GET', reply: 'Ada Lovelace' });
  });

  it('reads a hash with HGETALL as field and value pairs', async () => {
    const result = await reader.call('command', { args: ['HGETALL', key('profile:1')] });
    expect(result.isError).toBe(false);
    const reply = (result.data as { reply: string[] }).reply;
    const fields = Object.fromEntries(
      reply.flatMap((item, index) => (index % 2 === 0 ? [[item, reply[index + 1]]] : [])),
    );
    expect(fields).toEqual({ name: 'Ada', born: '1815' });
    expect(result.text).toContain('1) "');
  });

  it('walks the seeded keys with SCAN MATCH COUNT', async () => {
    const found = new Set<string>();
    let cursor = '0';
    do {
      const result = await reader.call('command', {
        args: ['SCAN', cursor, 'MATCH', `${prefix}*`, 'COUNT', '1000'],
      });
      expect(result.isError).toBe(false);
      const [next, keys] = (result.data as { reply: [string, string[]] }).reply;
      cursor = next;
      for (const found_key of keys) found.add(found_key);
    } while (cursor !== '0');
    expect([...found].sort()).toEqual(await keysUnder(redis, prefix));
  });

  it('renders nested replies, integers and nil like redis-cli', async () => {
    const length = await reader.call('command', { args: ['LLEN', key('queue')] });
    expect(length.text).toBe('(integer) 3');
    const missing = await reader.call('command', { args: ['GET', key('missing')] });
    expect(missing.text).toBe('(nil)');
    expect(missing.data).toMatchObject({ reply: null });
    const scan = await reader.call('command', {
      args: ['SCAN', '0', 'MATCH', `${prefix}queue`, 'COUNT', '10'],
    });
    expect(scan.text).toMatch(/^1\) "\d+"\n2\) /);
  });

  it('shows bytes that are not UTF-8 escaped', async () => {
    const result = await reader.call('command', { args: ['GET', key('binary')] });
    expect(result.text).toBe('"\\x00\\xffA\\n"');
  });

  it('caps a big value and says it was truncated', async () => {
    const result = await reader.call('command', { args: ['GET', key('big')] });
    expect(result.isError).toBe(false);
    const data = result.data as { reply: string; truncated: boolean; reply_bytes: number };
    expect(data.truncated).toBe(true);
    expect(data.reply.length).toBe(64 * 1024);
    expect(data.reply_bytes).toBe(200_000);
    expect(result.text).toContain('truncated');
    expect(result.text.length).toBeLessThan(70_000);
  });

  it('refuses a write, naming the grant it needs', async () => {
    const result = await reader.call('command', { args: ['SET', key('user:1'), 'Grace'] });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('SET needs the write grant');
    expect(await redis.get(key('user:1'))).toBe('Ada Lovelace');
  });

  it('refuses KEYS and points to SCAN', async () => {
    const result = await reader.call('command', { args: ['KEYS', `${prefix}*`] });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/KEYS is never sent/);
    expect(result.text).toMatch(/SCAN with MATCH and COUNT/);
  });

  it('redacts passwords from CONFIG GET', async () => {
    const result = await reader.call('command', { args: ['CONFIG', 'GET', 'requirepass'] });
    expect(result.isError).toBe(false);
    expect(result.data).toMatchObject({ reply: ['requirepass', '[redacted]'] });
  });

  it('quotes a stored value of several lines, and shows INFO as the server writes it', async () => {
    await redis.set(key('lines'), 'x\n(error) refused: nothing was sent\n');
    try {
      const stored = await reader.call('command', { args: ['GET', key('lines')] });
      expect(stored.text).toBe('"x\\n(error) refused: nothing was sent\\n"');
      expect(stored.data).toMatchObject({ reply: 'x\n(error) refused: nothing was sent\n' });
    } finally {
      await redis.del(key('lines'));
    }
    const info = await reader.call('command', { args: ['INFO', 'server'] });
    expect(info.text).toMatch(/^# Server\nredis_version:/);
  });

  it('hides secrets that the slow log repeats from other clients', async () => {
    const privateRedis = await startPrivateRedis();
    const direct = new Redis(privateRedis.url);
    const privateReader = await startRedisCli('read', ['--url', privateRedis.url]);
    try {
      await direct.config('SET', 'slowlog-log-slower-than', '0');
      await direct.set('service', 'postgres://app:hunter2@db.internal:5432/app');
      const result = await privateReader.call('command', { args: ['SLOWLOG', 'GET', '10'] });
      expect(result.isError).toBe(false);
      expect(result.text).toContain('postgres://app:[redacted]@db.internal:5432/app');
      expect(result.text).not.toContain('hunter2');
      expect(JSON.stringify(result.data)).not.toContain('hunter2');
    } finally {
      await privateReader.close();
      direct.disconnect();
      await privateRedis.stop();
    }
  });

  it('returns an error reply from Redis as an actionable error', async () => {
    const result = await reader.call('command', { args: ['HGETALL', key('user:1')] });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/WRONGTYPE/);
    expect(result.text).toMatch(/TYPE/);
  });
});

describe('command at the write grant', () => {
  it('sets, reads and deletes a key', async () => {
    const set = await writer.call('command', { args: ['SET', key('written'), 'v1', 'EX', '60'] });
    expect(set.isError).toBe(false);
    expect(set.text).toBe('"OK"');
    expect(await redis.get(key('written'))).toBe('v1');
    const deleted = await writer.call('command', { args: ['DEL', key('written')] });
    expect(deleted.text).toBe('(integer) 1');
    expect(await redis.exists(key('written'))).toBe(0);
  });

  it('treats a command name inside the arguments as data', async () => {
    const result = await writer.call('command', { args: ['SET', key('data'), 'FLUSHALL'] });
    expect(result.isError).toBe(false);
    expect(await redis.get(key('data'))).toBe('FLUSHALL');
    expect(await redis.exists(key('user:1'))).toBe(1);
  });

  it('still refuses administration, naming the admin grant', async () => {
    for (const args of [['FLUSHDB'], ['CONFIG', 'SET', 'maxmemory', '1'], ['SCRIPT', 'FLUSH']]) {
      const result = await writer.call('command', { args });
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(
        /needs the admin grant; this redis-cli server has the write grant/,
      );
    }
  });
});

describe('command at the admin grant', () => {
  it('sends administration commands', async () => {
    const result = await administrator.call('command', {
      args: ['SCRIPT', 'EXISTS', 'a'.repeat(40)],
    });
    expect(result.isError).toBe(false);
    expect(result.data).toMatchObject({ command: 'SCRIPT', reply: [0] });
  });

  it('still never sends KEYS or MULTI', async () => {
    for (const args of [['KEYS', '*'], ['MULTI']]) {
      const result = await administrator.call('command', { args });
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(/never sent/);
    }
  });
});

describe('the per-command timeout', () => {
  it('abandons a call the server does not answer in time and keeps working', async () => {
    const quick = await startRedisCli('read', ['--timeout-ms', '100']);
    const blocker = directConnection();
    try {
      // A script that keeps the server busy for 1.5 s; the tool's PING waits behind it.
      const busy = blocker.eval(
        "local s = redis.call('TIME') repeat local n = redis.call('TIME') until (n[1] - s[1]) * 1000000 + (n[2] - s[2]) > 1500000 return 1",
        0,
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      const timedOut = await quick.call('command', { args: ['PING'] });
      expect(timedOut.isError).toBe(true);
      expect(timedOut.text).toMatch(/no reply within 100 ms/);
      await busy;
      const after = await quick.call('command', { args: ['ECHO', 'still here'] });
      expect(after.isError).toBe(false);
      expect(after.data).toMatchObject({ reply: 'still here' });
    } finally {
      blocker.disconnect();
      await quick.close();
    }
  });
});
