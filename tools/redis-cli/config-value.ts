import type { Redis } from 'ioredis';

/**
 * The value of one CONFIG parameter, or undefined when it cannot be read (an ACL user
 * without CONFIG GET, an unknown parameter). Never fails.
 */
export async function configValue(redis: Redis, parameter: string): Promise<string | undefined> {
  try {
    const reply = await redis.call('CONFIG', 'GET', parameter);
    if (!Array.isArray(reply)) return undefined;
    const value: unknown = reply[1];
    return value === undefined || value === null ? undefined : String(value);
  } catch {
    return undefined;
  }
}
