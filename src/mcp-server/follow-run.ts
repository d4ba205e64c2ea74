import type { LoggingLevel } from '@modelcontextprotocol/sdk/types.js';
import type { RunHandle, RunResult } from '../runtime/runtime-types.js';
import { describeEvent } from './describe-event.js';

/** Who follows a run from an MCP request: progress, logs, and the request's cancellation. */
export interface RunFollower {
  /** Sends one progress notification; absent when the client asked for none. */
  progress?: (message: string) => Promise<void>;
  /** Logs one line at a level (the client's level decides whether it is sent). */
  log: (level: LoggingLevel, text: string) => void;
  /** Aborted when the client cancels the request or goes away: the run is cancelled then. */
  signal: AbortSignal;
}

/**
 * Follows a run to its end: each event worth telling becomes a progress notification and a log
 * line; cancelling the request cancels the run (model calls in flight are aborted, the run ends
 * `cancelled` in the store).
 */
export async function followRun(handle: RunHandle, follower: RunFollower): Promise<RunResult> {
  const cancel = () => handle.cancel();
  if (follower.signal.aborted) cancel();
  else follower.signal.addEventListener('abort', cancel, { once: true });
  try {
    for await (const event of handle.events) {
      const described = describeEvent(event);
      if (!described) continue;
      follower.log(described.level, described.text);
      if (follower.progress && !follower.signal.aborted)
        await follower.progress(described.text).catch(() => undefined);
    }
    return await handle.result;
  } finally {
    follower.signal.removeEventListener('abort', cancel);
  }
}
