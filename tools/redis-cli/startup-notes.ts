import type { Redis } from 'ioredis';
import type { Grant } from '../../src/org/agent-schema.js';
import { redactSecrets } from '../shared/redact.js';
import { pairsToObject } from './pairs-to-object.js';
import { parseInfo } from './parse-info.js';

/** What the server learned about Redis when it started. */
export interface StartupFacts {
  version: string;
  mode: string;
  notes: string[];
}

function messageOf(error: unknown): string {
  return redactSecrets(error instanceof Error ? error.message : String(error));
}

/** Whether an ACL rule list (`+@all`, `~*`) lets a user run everything on every key. */
function isUnrestricted(user: Record<string, unknown>): boolean {
  const text = (value: unknown): string =>
    Array.isArray(value) ? value.map(String).join(' ') : String(value ?? '');
  const flags = text(user.flags);
  const commands = text(user.commands);
  const keys = text(user.keys);
  const allCommands = flags.includes('allcommands') || /(^|\s)\+@all(\s|$)/.test(commands);
  const allKeys = flags.includes('allkeys') || /(^|\s)~\*(\s|$)/.test(keys);
  return allCommands && allKeys && !/(^|\s)-/.test(commands);
}

/** A note on the ACL user of the connection: who it is and whether ACL restricts it. */
async function aclNote(redis: Redis): Promise<string> {
  let user: string;
  try {
    user = String(await redis.call('ACL', 'WHOAMI'));
  } catch (error) {
    const message = messageOf(error);
    if (/unknown command/i.test(message)) {
      return 'ACL: this Redis has no ACL (before 6.0); the grant’s allowlist is the only guard.';
    }
    return `ACL restricts this connection: ACL WHOAMI was refused (${message}); some allow-listed commands may fail with NOPERM.`;
  }
  try {
    const rules = pairsToObject(await redis.call('ACL', 'GETUSER', user));
    if (isUnrestricted(rules)) {
      return `ACL: connected as user '${user}', which may run every command on every key; the grant’s allowlist is the only guard (prefer a restricted ACL user).`;
    }
    const commands = Array.isArray(rules.commands)
      ? rules.commands.join(' ')
      : String(rules.commands ?? '');
    const keys = Array.isArray(rules.keys) ? rules.keys.join(' ') : String(rules.keys ?? '');
    return `ACL restricts this connection: user '${user}' (commands: ${commands || 'none'}; keys: ${keys || 'none'}); commands outside its rules fail with NOPERM.`;
  } catch {
    return `ACL restricts this connection: connected as user '${user}', which may not read its own ACL rules (ACL GETUSER); some allow-listed commands may fail with NOPERM.`;
  }
}

/**
 * Checks the connection at start (PING, INFO server) and gathers the notes the CLI prints:
 * the server version, the grant, and whether ACL restricts this connection (ACL WHOAMI).
 */
export async function collectStartupFacts(redis: Redis, grant: Grant): Promise<StartupFacts> {
  const pong = String(await redis.call('PING'));
  if (pong !== 'PONG') throw new Error(`PING answered ${JSON.stringify(pong)} instead of PONG`);
  const server = parseInfo(String(await redis.call('INFO', 'server'))).server ?? {};
  const version = server.redis_version ?? 'unknown';
  const mode = server.redis_mode ?? 'unknown';
  const notes = [`connected to Redis ${version} (${mode}); grant: ${grant}`, await aclNote(redis)];
  if (grant === 'admin') {
    notes.push(
      'the admin grant allows FLUSHALL, CONFIG SET, SHUTDOWN, EVAL and other commands that delete data or stop the server',
    );
  }
  return { version, mode, notes };
}
