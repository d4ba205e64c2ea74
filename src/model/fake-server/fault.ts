import { z } from 'zod';

/** What goes wrong. */
export const FaultKind = z.enum(
  ['rate-limit', 'overloaded', 'server-error', 'slow-first-byte', 'cut-stream', 'stream-error'],
  {
    error: (issue) =>
      `kind must be rate-limit, overloaded, server-error, slow-first-byte, cut-stream or stream-error; got ${JSON.stringify(issue.input)}`,
  },
);
/** What goes wrong. */
export type FaultKind = z.infer<typeof FaultKind>;

/**
 * A failure the fake server plays instead of (or on top of) an answer. It hits the requests
 * that match every condition given (`agent`, `turn`, `request`), `times` times (default 1).
 *
 * - `rate-limit`: 429 `rate_limit_error` with a `retry-after` header (`retry_after` seconds, default 1).
 * - `overloaded`: 529 `overloaded_error`.
 * - `server-error`: 500 `api_error`.
 * - `slow-first-byte`: waits `delay_ms` (default 1000) before sending anything, then answers.
 * - `cut-stream`: starts the answer, then destroys the connection mid-body.
 * - `stream-error`: a streamed 200 that sends `message_start`, then an `error` event
 *   (`overloaded_error`), then ends; a request that does not stream gets a 529 instead.
 */
export const Fault = z.strictObject({
  /** Only requests of this agent (as found from the system prompt). */
  agent: z.string().min(1).optional(),
  /** Only the agent's turn with this number (1 = no assistant message yet). */
  turn: z.int().positive().optional(),
  /** Only the request with this 1-based number in the server's whole log. */
  request: z.int().positive().optional(),
  kind: FaultKind,
  /** Seconds for the `retry-after` header of a rate limit (fractions allowed). */
  retry_after: z.number().nonnegative().optional(),
  /** Milliseconds a slow first byte waits. */
  delay_ms: z.int().nonnegative().optional(),
  /** How many matching requests it hits: a count, or `always`. */
  times: z
    .union([z.int().positive(), z.literal('always')], {
      error: 'times is a whole number of at least 1, or always',
    })
    .optional(),
});
/** A failure the fake server plays. */
export type Fault = z.infer<typeof Fault>;
