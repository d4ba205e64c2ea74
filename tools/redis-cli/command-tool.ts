import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { redactSecrets, redacted } from '../shared/redact.js';
import { errorResult, textResult } from '../shared/tool-result.js';
import { checkCommand } from './command-allowlist.js';
import { describeFailure } from './describe-failure.js';
import { renderReply } from './render-reply.js';
import type { RedisToolContext } from './tool-context.js';
import { grantRefusal } from './tool-context.js';

/** Most elements one command may have. */
export const maxCommandElements = 1000;

/** The input of the `command` tool. */
export const CommandInput = {
  args: z
    .array(
      z.string({
        error:
          'refused: every element of args must be a string, so nothing was sent (never at any grant). Pass numbers as strings, such as ["EXPIRE", "user:1", "60"]',
      }),
    )
    .max(maxCommandElements)
    .describe(
      'The command name, then each argument as its own string, such as ["GET", "user:1"] or ["SCAN", "0", "MATCH", "user:*", "COUNT", "100"]. Never one string with spaces.',
    ),
};

/** Names of CONFIG parameters whose values are secrets. */
const secretParameter = /pass|auth/i;

/** Replaces secret values in a reply of CONFIG GET (`[name, value, …]`). */
function redactConfigReply(reply: unknown): unknown {
  if (!Array.isArray(reply)) return reply;
  return reply.map((item: unknown, index) => {
    const name: unknown = index % 2 === 1 ? reply[index - 1] : undefined;
    return name !== undefined && secretParameter.test(String(name)) ? redacted : item;
  });
}

/** The reply with `hide` applied to the text of every bulk value (values it leaves alone stay Buffers). */
function hideInReply(reply: unknown, hide: (text: string) => string): unknown {
  if (Array.isArray(reply)) return reply.map((item: unknown) => hideInReply(item, hide));
  if (Buffer.isBuffer(reply)) {
    const text = reply.toString('utf8');
    const hidden = hide(text);
    return hidden === text ? reply : hidden;
  }
  return reply;
}

/** Replaces password hashes (`#<sha256>`) in replies of ACL commands. */
const hidePasswordHashes = (text: string): string => text.replace(/[0-9a-f]{64}/gi, redacted);

/**
 * Commands whose reply is text the server writes itself (no stored values in it), shown as is
 * over several lines; any other multi-line value is shown quoted, so that stored data cannot
 * pass for the tool's own lines.
 */
const serverTextCommands = new Set([
  'INFO',
  'CLIENT LIST',
  'CLIENT INFO',
  'MEMORY DOCTOR',
  'LATENCY DOCTOR',
  'LATENCY GRAPH',
]);

function description(context: RedisToolContext): string {
  const byGrant = {
    read: 'At this server’s read grant only reading commands are sent: GET, MGET, HGETALL, HSCAN, LRANGE, SMEMBERS, ZRANGE, XRANGE, TYPE, TTL, EXISTS, SCAN, DBSIZE, INFO, SLOWLOG GET, MEMORY USAGE, OBJECT ENCODING, CONFIG GET, CLIENT LIST, … Writes need the write grant; FLUSHALL, CONFIG SET, EVAL and other administration need the admin grant.',
    write:
      'At this server’s write grant reading commands and writes are sent (SET, DEL, EXPIRE, HSET, LPUSH, ZADD, XADD, …). FLUSHALL, FLUSHDB, CONFIG SET, EVAL, SCRIPT, DEBUG and other administration need the admin grant.',
    admin:
      'At this server’s admin grant reading, writing and administration commands are sent (CONFIG SET, FLUSHDB, EVAL, SCRIPT, …): they can delete data or stop the server.',
  } as const;
  return [
    'Runs one allow-listed Redis command given as an argument array, such as ["HGETALL", "user:1"], and returns the reply as redis-cli shows it plus JSON (long values are cut and marked truncated).',
    byGrant[context.grant],
    'Never sent at any grant: KEYS (use SCAN with MATCH and COUNT), MULTI/EXEC/WATCH, SUBSCRIBE/MONITOR, SELECT, AUTH/HELLO and blocking commands (BLPOP, XREAD BLOCK, WAIT, …).',
  ].join(' ');
}

/** Registers `command`: one allow-listed command, checked against the server's grant. */
export function registerCommandTool(server: McpServer, context: RedisToolContext): void {
  const readOnly = context.grant === 'read';
  server.registerTool(
    'command',
    {
      title: 'Redis command',
      description: description(context),
      inputSchema: CommandInput,
      annotations: readOnly
        ? { readOnlyHint: true, openWorldHint: false }
        : {
            readOnlyHint: false,
            destructiveHint: true,
            idempotentHint: false,
            openWorldHint: false,
          },
    },
    async ({ args }) => {
      const refused = grantRefusal(context, 'command');
      if (refused) return refused;
      const verdict = checkCommand(args, context.grant);
      if (!verdict.allowed) return errorResult(verdict.reason);
      const [, ...rest] = args;
      const commandName = verdict.name.split(' ')[0] ?? verdict.name;
      let reply: unknown;
      try {
        reply = await context.redis.callBuffer(commandName, ...rest);
      } catch (error) {
        return errorResult(describeFailure(verdict.name, error, context.timeoutMs));
      }
      if (verdict.name === 'CONFIG GET') reply = redactConfigReply(reply);
      if (commandName === 'ACL') reply = hideInReply(reply, hidePasswordHashes);
      // The slow log repeats other clients' arguments: secrets in them are hidden, as in slowlog.
      if (verdict.name === 'SLOWLOG GET') reply = hideInReply(reply, redactSecrets);
      const rendered = renderReply(reply, context.maxReplyBytes, {
        serverText: serverTextCommands.has(verdict.name),
      });
      const note = rendered.truncated
        ? `\n(truncated: the reply holds ${rendered.totalBytes} bytes of values; at most ${context.maxReplyBytes} are shown. Ask for less, such as GETRANGE, LRANGE with a smaller range, or SCAN with a smaller COUNT.)`
        : '';
      return textResult(`${rendered.text}${note}`, {
        command: verdict.name,
        grant_needed: verdict.need,
        reply: rendered.json,
        truncated: rendered.truncated,
        reply_bytes: rendered.totalBytes,
      });
    },
  );
}
