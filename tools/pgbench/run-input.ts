import { z } from 'zod';
import { Identifier } from '../../src/org/agent-schema.js';

/** pgbench's built-in scripts that the tool offers. */
export const BuiltinScript = z.enum(['select-only', 'tpcb-like', 'simple-update'], {
  error: (issue) =>
    `builtin must be exactly one of select-only, tpcb-like, simple-update; got ${JSON.stringify(issue.input)}`,
});
/** A built-in pgbench script. */
export type BuiltinScript = z.infer<typeof BuiltinScript>;

/** Most concurrent clients one run may open. */
export const maxClients = 100;
/** Most transactions per client in transactions mode. */
export const maxTransactions = 100_000;
/** Longest custom script text, in characters. */
export const maxScriptLength = 20_000;
/** Highest target rate, in transactions per second. */
export const maxRate = 1_000_000;
/** Largest scale factor `init` accepts. */
export const maxScale = 100;

/** A whole number in [min, max], with a message that names the field and the range. */
function wholeNumber(name: string, min: number, max: number) {
  const message = `${name} must be a whole number from ${min} to ${max}`;
  return z
    .int({ error: (issue) => `${message}; got ${JSON.stringify(issue.input)}` })
    .min(min, { error: message })
    .max(max, { error: message });
}

/** An object schema that refuses unknown fields, naming them and the fields it takes. */
function strictInput<Shape extends z.core.$ZodLooseShape>(tool: string, shape: Shape) {
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field ${issue.keys.map((key) => `'${key}'`).join(', ')}: ${tool} takes only ${Object.keys(shape).join(', ')}`
        : undefined,
  });
}

/** The input of `run`; `maxSeconds` bounds `duration_seconds`. */
export function runInputSchema(maxSeconds: number) {
  return strictInput('run', {
    clients: wholeNumber('clients', 1, maxClients)
      .default(4)
      .describe(`concurrent database clients, 1 to ${maxClients} (default 4)`),
    threads: wholeNumber('threads', 1, maxClients)
      .default(1)
      .describe('pgbench worker threads, 1 to clients (default 1)'),
    duration_seconds: wholeNumber('duration_seconds', 1, maxSeconds)
      .optional()
      .describe(
        `run for this many seconds, 1 to ${maxSeconds} (default ${Math.min(10, maxSeconds)}); not with transactions`,
      ),
    transactions: wholeNumber('transactions', 1, maxTransactions)
      .optional()
      .describe(
        `run this many transactions per client, 1 to ${maxTransactions}; not with duration_seconds`,
      ),
    builtin: BuiltinScript.optional().describe(
      'built-in script: select-only (default; the only one at the read grant), tpcb-like, simple-update; not with script',
    ),
    script: z
      .string({ error: 'script must be the text of a pgbench script' })
      .min(1, { error: 'script is empty: give SQL statements' })
      .max(maxScriptLength, { error: `script is longer than ${maxScriptLength} characters` })
      .optional()
      .describe(
        'custom pgbench script text: SQL statements ending in ;, plus \\set and \\sleep (read grant: SELECT/WITH/VALUES/SHOW/TABLE only); not with builtin',
      ),
    rate: z
      .number({ error: 'rate must be a number of transactions per second' })
      .positive({ error: 'rate must be above 0' })
      .max(maxRate, { error: `rate must be at most ${maxRate}` })
      .optional()
      .describe(
        'target rate in transactions per second (pgbench -R); default: as fast as possible',
      ),
    target: Identifier.optional().describe(
      "name of the org's target to benchmark (default: the target this server was started with)",
    ),
  });
}
/** The input of `run`, after validation. */
export type RunInput = z.infer<ReturnType<typeof runInputSchema>>;

/** The input of `init`. */
export const InitInput = strictInput('init', {
  scale: wholeNumber('scale', 1, maxScale)
    .default(1)
    .describe(`scale factor, 1 to ${maxScale} (100,000 pgbench_accounts rows each; default 1)`),
  foreign_keys: z
    .boolean({ error: 'foreign_keys must be true or false' })
    .default(false)
    .describe('create foreign keys between the pgbench tables'),
  unlogged_tables: z
    .boolean({ error: 'unlogged_tables must be true or false' })
    .default(false)
    .describe('create the pgbench tables unlogged'),
  target: Identifier.optional().describe(
    "name of the org's target (default: the target this server was started with)",
  ),
});
/** The input of `init`, after validation. */
export type InitInput = z.infer<typeof InitInput>;
