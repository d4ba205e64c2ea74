import { setTimeout as delay } from 'node:timers/promises';
import type { CadreMcpContext } from './server-context.js';

/**
 * Tells every client that the runs changed (`notifications/resources/list_changed`) once the new
 * run is in the store, so that a client listing resources at once finds it. Gives up waiting
 * after `timeoutMs` and tells them anyway.
 */
export async function announceRun(
  context: CadreMcpContext,
  runId: string,
  timeoutMs = 2_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const stored = await context.runtime.store.getRun(runId).catch(() => undefined);
    if (stored) break;
    await delay(20);
  }
  context.sessions.runsChanged();
}
