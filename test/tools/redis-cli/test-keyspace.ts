import { createHash, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { redisUrl } from './redis-cli-client.js';

/** A key prefix no other test file uses, such as `cadre-test:redis-cli:security:<uuid>:`. */
export function uniquePrefix(file: string): string {
  return `cadre-test:redis-cli:${file}:${randomUUID()}:`;
}

/** A direct ioredis connection for seeding and checking (not through the tool). */
export function directConnection(connectionName?: string): Redis {
  return new Redis(redisUrl, {
    lazyConnect: false,
    maxRetriesPerRequest: 1,
    ...(connectionName === undefined ? {} : { connectionName }),
  });
}

/** Every key under a prefix (by SCAN), sorted. */
export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return [...new Set(keys)].sort();
}

/** A checksum of the keys under a prefix: names, types and serialized values (DUMP). */
export async function keyspaceChecksum(redis: Redis, prefix: string): Promise<string> {
  const hash = createHash('sha256');
  for (const key of await keysUnder(redis, prefix)) {
    const type = await redis.type(key);
    const dump = await redis.dumpBuffer(key);
    hash.update(`${key}\u0000${type}\u0000`);
    hash.update(dump ?? Buffer.alloc(0));
    hash.update('\u0000');
  }
  return hash.digest('hex');
}

/** Deletes every key under a prefix. */
export async function deleteUnder(redis: Redis, prefix: string): Promise<void> {
  const keys = await keysUnder(redis, prefix);
  if (keys.length > 0) await redis.del(...keys);
}
