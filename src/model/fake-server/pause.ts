import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Waits `ms` milliseconds of wall-clock time (at least: timers may fire a little early, so it
 * tops up until `Date.now()` has moved on by `ms`). Resolves early, without throwing, when
 * `signal` aborts.
 */
export async function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return;
  const deadline = Date.now() + ms;
  try {
    for (let left = ms; left > 0 && !signal.aborted; left = deadline - Date.now()) {
      await sleep(left, undefined, { signal });
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}
