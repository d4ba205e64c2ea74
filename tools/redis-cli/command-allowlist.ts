import type { Grant } from '../../src/org/agent-schema.js';
import { grantCovers } from '../../src/org/tool-catalog.js';

/** What a Redis command needs: the least grant that may send it, or `never` (refused at every grant). */
export type CommandNeed = Grant | 'never';

/** How one command (or one subcommand) is classified. */
interface Rule {
  need: CommandNeed;
  /** Why a `never` command is refused, and what to do instead. */
  reason?: string;
  /** The name refusals use when it differs from the command's (such as `XREAD BLOCK`). */
  label?: string;
  /** A refinement that looks at the arguments (such as `XREAD … BLOCK`). */
  refine?: (upperArguments: readonly string[]) => Rule | undefined;
}

/** A command that takes a subcommand (`CONFIG GET`), classified per subcommand. */
interface ContainerRule {
  subcommands: Record<string, Rule>;
}

/** The verdict on one argument array. */
export type CommandVerdict =
  | {
      allowed: true;
      /** The command as sent, upper-cased (`GET`, `CONFIG GET`). */
      name: string;
      need: Grant;
    }
  | {
      allowed: false;
      /** The command as recognised, when it could be (`FLUSHALL`, `CONFIG SET`). */
      name?: string;
      need: CommandNeed;
      reason: string;
    };

const read: Rule = { need: 'read' };
const write: Rule = { need: 'write' };
const admin: Rule = { need: 'admin' };

const blockingReason =
  'it blocks the shared connection until data arrives; use the non-blocking form (LPOP, RPOP, LMOVE, ZPOPMIN, XRANGE) instead';
const transactionReason =
  'transactions keep state on the shared connection between calls; each call runs exactly one command';
const pushReason =
  'it turns the shared connection into a push stream that never returns a reply; inspect pub/sub with PUBSUB CHANNELS or PUBSUB NUMSUB, and recent commands with SLOWLOG GET';
const connectionReason =
  'it changes the state of the shared connection for every later call; the connection is configured by the server’s URL';
const credentialsReason = 'credentials belong in the connection URL, never in a tool call';
const replicationReason =
  'it turns the shared connection into a replication stream that never returns a normal reply';

function never(reason: string): Rule {
  return { need: 'never', reason };
}

/** Whether an argument (upper-cased) appears before the `STREAMS` keyword of XREAD. */
function hasBlockOption(upperArguments: readonly string[]): boolean {
  for (const argument of upperArguments) {
    if (argument === 'STREAMS') return false;
    if (argument === 'BLOCK') return true;
  }
  return false;
}

/** The largest COUNT a SCAN-family call may ask for: one step walks about that many slots. */
export const maxScanCount = 10_000;

/**
 * A SCAN-family command `name` (`SCAN cursor …`, `HSCAN key cursor …`) whose options start at
 * `optionStart` (0-based, among the arguments after the name): a COUNT above `maxScanCount` is
 * refused, since Redis answers nothing else while one step walks that many slots.
 */
function scanRule(name: string, optionStart: number): Rule {
  return {
    need: 'read',
    refine: (upperArguments) => {
      // Every COUNT followed by a number counts (flags such as NOVALUES take no value).
      for (let at = optionStart; at < upperArguments.length - 1; at += 1) {
        if (upperArguments[at] !== 'COUNT') continue;
        const count = Number(upperArguments[at + 1]);
        if (Number.isFinite(count) && count > maxScanCount) {
          return {
            ...never(
              `COUNT ${upperArguments[at + 1]} makes one step walk that many slots while the server answers nobody else; ask for at most COUNT ${maxScanCount} and continue from the returned cursor`,
            ),
            label: `${name} with a COUNT above ${maxScanCount}`,
          };
        }
      }
      return undefined;
    },
  };
}

/** Single commands, by upper-cased name. */
const commandRules: Record<string, Rule> = {
  // read: strings and keys
  GET: read,
  MGET: read,
  STRLEN: read,
  GETRANGE: read,
  SUBSTR: read,
  LCS: read,
  EXISTS: read,
  TYPE: read,
  TTL: read,
  PTTL: read,
  EXPIRETIME: read,
  PEXPIRETIME: read,
  SCAN: scanRule('SCAN', 1),
  DBSIZE: read,
  // read: hashes
  HGET: read,
  HMGET: read,
  HGETALL: read,
  HKEYS: read,
  HVALS: read,
  HLEN: read,
  HEXISTS: read,
  HSTRLEN: read,
  HSCAN: scanRule('HSCAN', 2),
  HRANDFIELD: read,
  // read: lists
  LRANGE: read,
  LLEN: read,
  LINDEX: read,
  LPOS: read,
  // read: sets
  SMEMBERS: read,
  SISMEMBER: read,
  SMISMEMBER: read,
  SCARD: read,
  SSCAN: scanRule('SSCAN', 2),
  SRANDMEMBER: read,
  SINTER: read,
  SUNION: read,
  SDIFF: read,
  SINTERCARD: read,
  // read: sorted sets
  ZRANGE: read,
  ZRANGEBYSCORE: read,
  ZRANGEBYLEX: read,
  ZREVRANGE: read,
  ZREVRANGEBYSCORE: read,
  ZREVRANGEBYLEX: read,
  ZSCORE: read,
  ZMSCORE: read,
  ZCARD: read,
  ZCOUNT: read,
  ZLEXCOUNT: read,
  ZRANK: read,
  ZREVRANK: read,
  ZSCAN: scanRule('ZSCAN', 2),
  ZRANDMEMBER: read,
  // read: streams
  XRANGE: read,
  XREVRANGE: read,
  XLEN: read,
  XPENDING: read,
  XREAD: {
    need: 'read',
    refine: (upperArguments) =>
      hasBlockOption(upperArguments)
        ? { ...never(blockingReason), label: 'XREAD BLOCK' }
        : undefined,
  },
  // read: bits, HyperLogLog, geo
  BITCOUNT: read,
  BITPOS: read,
  GETBIT: read,
  GEOPOS: read,
  GEODIST: read,
  GEOHASH: read,
  GEOSEARCH: read,
  // read: server
  INFO: read,
  PING: read,
  ECHO: read,
  TIME: read,
  LASTSAVE: read,
  ROLE: read,

  // write
  SET: write,
  SETEX: write,
  PSETEX: write,
  SETNX: write,
  SETRANGE: write,
  GETSET: write,
  GETDEL: write,
  GETEX: write,
  MSET: write,
  MSETNX: write,
  DEL: write,
  UNLINK: write,
  EXPIRE: write,
  PEXPIRE: write,
  EXPIREAT: write,
  PEXPIREAT: write,
  PERSIST: write,
  RENAME: write,
  RENAMENX: write,
  COPY: {
    need: 'write',
    // COPY source destination DB n writes into another database, as MOVE (admin) does.
    refine: (upperArguments) =>
      upperArguments.slice(2).includes('DB') ? { ...admin, label: 'COPY … DB' } : undefined,
  },
  INCR: write,
  INCRBY: write,
  INCRBYFLOAT: write,
  DECR: write,
  DECRBY: write,
  APPEND: write,
  HSET: write,
  HSETNX: write,
  HMSET: write,
  HDEL: write,
  HINCRBY: write,
  HINCRBYFLOAT: write,
  LPUSH: write,
  RPUSH: write,
  LPUSHX: write,
  RPUSHX: write,
  LPOP: write,
  RPOP: write,
  LREM: write,
  LTRIM: write,
  LSET: write,
  LINSERT: write,
  LMOVE: write,
  SADD: write,
  SREM: write,
  SPOP: write,
  SMOVE: write,
  ZADD: write,
  ZREM: write,
  ZINCRBY: write,
  ZPOPMIN: write,
  ZPOPMAX: write,
  ZREMRANGEBYRANK: write,
  ZREMRANGEBYSCORE: write,
  ZREMRANGEBYLEX: write,
  XADD: write,
  XDEL: write,
  XTRIM: write,
  XACK: write,
  SETBIT: write,
  PFADD: write,
  // PFCOUNT rewrites the key's cached cardinality (Redis flags it as a write).
  PFCOUNT: write,
  GEOADD: write,
  PUBLISH: write,

  // admin
  FLUSHDB: admin,
  FLUSHALL: admin,
  SAVE: admin,
  BGSAVE: admin,
  BGREWRITEAOF: admin,
  SHUTDOWN: admin,
  DEBUG: admin,
  MODULE: admin,
  EVAL: admin,
  EVALSHA: admin,
  EVAL_RO: admin,
  EVALSHA_RO: admin,
  FCALL: admin,
  FCALL_RO: admin,
  FUNCTION: admin,
  SCRIPT: admin,
  REPLICAOF: admin,
  SLAVEOF: admin,
  ACL: admin,
  MIGRATE: admin,
  SWAPDB: admin,
  MOVE: admin,
  FAILOVER: admin,
  RESTORE: admin,

  // never: KEYS walks the whole keyspace in one blocking call
  KEYS: never(
    'it blocks the server while it walks every key; use SCAN with MATCH and COUNT instead, such as ["SCAN", "0", "MATCH", "user:*", "COUNT", "100"], or the bigkeys tool',
  ),
  // never: transactions
  MULTI: never(transactionReason),
  EXEC: never(transactionReason),
  DISCARD: never(transactionReason),
  WATCH: never(transactionReason),
  UNWATCH: never(transactionReason),
  // never: push streams
  SUBSCRIBE: never(pushReason),
  PSUBSCRIBE: never(pushReason),
  SSUBSCRIBE: never(pushReason),
  UNSUBSCRIBE: never(pushReason),
  PUNSUBSCRIBE: never(pushReason),
  SUNSUBSCRIBE: never(pushReason),
  MONITOR: never(pushReason),
  SYNC: never(replicationReason),
  PSYNC: never(replicationReason),
  REPLCONF: never(replicationReason),
  // never: connection state and credentials
  SELECT: never(
    'it switches the shared connection to another database for every later call; put the database number in the connection URL (redis://host:6379/1) instead',
  ),
  RESET: never(connectionReason),
  QUIT: never(connectionReason),
  READONLY: never(connectionReason),
  READWRITE: never(connectionReason),
  AUTH: never(credentialsReason),
  HELLO: never(credentialsReason),
  // never: blocking
  BLPOP: never(blockingReason),
  BRPOP: never(blockingReason),
  BRPOPLPUSH: never(blockingReason),
  BLMOVE: never(blockingReason),
  BLMPOP: never(blockingReason),
  BZPOPMIN: never(blockingReason),
  BZPOPMAX: never(blockingReason),
  BZMPOP: never(blockingReason),
  WAIT: never(blockingReason),
  WAITAOF: never(blockingReason),
};

const help = read;

/** Commands that take a subcommand, by upper-cased name, then upper-cased subcommand. */
const containerRules: Record<string, ContainerRule> = {
  CONFIG: {
    subcommands: { GET: read, HELP: help, SET: admin, RESETSTAT: admin, REWRITE: admin },
  },
  CLIENT: {
    subcommands: {
      LIST: read,
      INFO: read,
      GETNAME: read,
      ID: read,
      HELP: help,
      KILL: admin,
      PAUSE: admin,
      UNPAUSE: admin,
      'NO-EVICT': admin,
      UNBLOCK: admin,
      SETNAME: never(connectionReason),
      SETINFO: never(connectionReason),
      REPLY: never(connectionReason),
      TRACKING: never(connectionReason),
      CACHING: never(connectionReason),
      'NO-TOUCH': never(connectionReason),
    },
  },
  SLOWLOG: { subcommands: { GET: read, LEN: read, HELP: help, RESET: admin } },
  MEMORY: {
    subcommands: {
      USAGE: read,
      STATS: read,
      DOCTOR: read,
      'MALLOC-STATS': read,
      HELP: help,
      PURGE: admin,
    },
  },
  LATENCY: {
    subcommands: {
      LATEST: read,
      HISTORY: read,
      DOCTOR: read,
      GRAPH: read,
      HISTOGRAM: read,
      HELP: help,
      RESET: admin,
    },
  },
  OBJECT: {
    subcommands: { ENCODING: read, FREQ: read, IDLETIME: read, REFCOUNT: read, HELP: help },
  },
  COMMAND: {
    subcommands: { COUNT: read, INFO: read, DOCS: read, GETKEYS: read, HELP: help },
  },
  PUBSUB: {
    subcommands: {
      CHANNELS: read,
      NUMSUB: read,
      NUMPAT: read,
      SHARDCHANNELS: read,
      SHARDNUMSUB: read,
      HELP: help,
    },
  },
  XINFO: { subcommands: { STREAM: read, GROUPS: read, CONSUMERS: read, HELP: help } },
};

/** A command name as Redis spells them: ASCII letters first, then letters, digits, `_`, `-`, `.`, `|`. */
const plainCommandName = /^[A-Za-z][A-Za-z0-9_.|-]{0,63}$/;

/** Whether text holds whitespace, a line break or another control character. */
function hasSpaceOrControl(text: string): boolean {
  return Array.from(text).some((character) => {
    const code = character.codePointAt(0) ?? 0;
    return code < 0x20 || code === 0x7f || /\s/u.test(character);
  });
}

/** The entry of a record under its own key only (never one inherited from Object.prototype). */
function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** How a value shows in a refusal: short, with control characters escaped. */
function shown(value: string): string {
  const text = value.length > 60 ? `${value.slice(0, 60)}…` : value;
  return JSON.stringify(text);
}

function refusal(
  name: string | undefined,
  need: CommandNeed,
  reason: string,
): Extract<CommandVerdict, { allowed: false }> {
  return { allowed: false, ...(name === undefined ? {} : { name }), need, reason };
}

function judge(commandName: string, rule: Rule, held: Grant): CommandVerdict {
  const name = rule.label ?? commandName;
  if (rule.need === 'never') {
    return refusal(
      name,
      'never',
      `refused: ${name} is never sent, at any grant: ${rule.reason ?? 'it is not safe on a shared connection'}.`,
    );
  }
  if (!grantCovers(held, rule.need)) {
    return refusal(
      name,
      rule.need,
      `refused: ${name} needs the ${rule.need} grant; this redis-cli server has the ${held} grant, so nothing was sent. Ask for the ${rule.need} grant, or use a ${held} command instead.`,
    );
  }
  return { allowed: true, name: commandName, need: rule.need };
}

/** Lists a container's subcommands that a grant may send, for refusal messages. */
function subcommandsFor(container: ContainerRule, held: Grant): string {
  const allowed = Object.entries(container.subcommands)
    .filter(([, rule]) => rule.need !== 'never' && grantCovers(held, rule.need))
    .map(([subcommand]) => subcommand);
  return allowed.length === 0 ? 'none' : allowed.join(', ');
}

/**
 * Decides whether an argument array may be sent at a grant. The first element must be a
 * plain command name (no whitespace, no line breaks: commands are never parsed from a
 * string); container commands (`CONFIG`, `CLIENT`, …) are judged by their subcommand;
 * every other element is data. Unknown commands are refused.
 */
export function checkCommand(args: readonly unknown[], held: Grant): CommandVerdict {
  if (args.length === 0) {
    return refusal(
      undefined,
      'never',
      'refused: args is empty, so there is no command to send (never sent). Give the command name first and each argument as its own string, such as ["GET", "user:1"].',
    );
  }
  const nonString = args.findIndex((argument) => typeof argument !== 'string');
  const first = args[0];
  const firstName = typeof first === 'string' ? first : undefined;
  if (nonString !== -1) {
    const label =
      firstName !== undefined && plainCommandName.test(firstName)
        ? firstName.toUpperCase()
        : 'the command';
    return refusal(
      label === 'the command' ? undefined : label,
      'never',
      `refused: argument ${nonString + 1} of ${label} is a ${typeof args[nonString]}, not a string (never sent). Pass every element of args as a string, such as ["EXPIRE", "user:1", "60"].`,
    );
  }
  const strings = args as readonly string[];
  const given = strings[0] ?? '';
  if (hasSpaceOrControl(given)) {
    return refusal(
      undefined,
      'never',
      `refused: the command name ${shown(given)} contains whitespace, a line break or a control character, so it is never sent. Commands are never parsed from one string: give the command name alone as the first element and each argument as its own element, such as ["GET", "user:1"].`,
    );
  }
  if (!plainCommandName.test(given)) {
    return refusal(
      undefined,
      'never',
      `refused: ${shown(given)} is not a plain command name (letters, digits, _ and -), so it is never sent. Give the command name first, such as ["GET", "user:1"].`,
    );
  }
  const name = given.toUpperCase();
  const container = own(containerRules, name);
  if (container !== undefined) {
    const subcommandGiven = strings[1];
    if (subcommandGiven === undefined) {
      return refusal(
        name,
        'never',
        `refused: ${name} needs a subcommand (never sent alone). At the ${held} grant you may send: ${subcommandsFor(container, held)}, such as ["${name}", "${Object.keys(container.subcommands)[0] ?? 'HELP'}", …].`,
      );
    }
    const plain = plainCommandName.test(subcommandGiven);
    const subcommand = plain ? subcommandGiven.toUpperCase() : shown(subcommandGiven);
    const rule = plain ? own(container.subcommands, subcommand) : undefined;
    if (rule === undefined) {
      return refusal(
        `${name} ${subcommand}`,
        'never',
        `refused: ${name} ${subcommand} is not on the allowlist of redis-cli, so it is never sent at any grant. At the ${held} grant you may send ${name} with: ${subcommandsFor(container, held)}.`,
      );
    }
    return judge(`${name} ${subcommand}`, rule, held);
  }
  const rule = own(commandRules, name);
  if (rule === undefined) {
    return refusal(
      name,
      'never',
      `refused: ${name} is not on the allowlist of redis-cli, so it is never sent at any grant. Use an allow-listed command (GET, HGETALL, SCAN, TYPE, TTL, INFO, …); KEYS is replaced by SCAN.`,
    );
  }
  const refined = rule.refine?.(strings.slice(1).map((argument) => argument.toUpperCase()));
  return judge(name, refined ?? rule, held);
}
