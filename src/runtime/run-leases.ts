import { hostname } from 'node:os';
import { CadreError } from '../errors.js';
import type { Store } from '../store/store.js';
import { randomId } from './random-id.js';

/** How long a lease lasts unless renewed (renewed every third of it while the run is live). */
export const defaultLeaseMs = 10_000;

/**
 * Leases on stored runs, so that one process at a time works on a run: a process holds the
 * lease of each run it runs and renews it while the run is live; another process that would
 * resume the run waits for the lease to lapse (its holder died) or is refused (its holder lives).
 * Leases use the real clock, also in a drill.
 */
export interface RunLeases {
  /** This process's name in the store: host, pid and a random part. */
  readonly owner: string;
  /** Takes the lease of a run this process has just stored. */
  hold(runId: string): Promise<void>;
  /**
   * Takes the lease of a run to resume: at once when it is free, after up to one lease period
   * when its holder stopped renewing it; throws `run-claimed` when its holder keeps it.
   */
  takeOver(runId: string): Promise<void>;
  /** Stops renewing. */
  close(): void;
}

/** Leases for the runs `live()` names, kept in `store` (a store that keeps nothing needs none). */
export function createRunLeases(
  store: Store,
  live: () => Iterable<string>,
  leaseMs = defaultLeaseMs,
): RunLeases {
  const owner = `${hostname()}/${process.pid}/${randomId().slice(0, 8)}`;
  const claim = (runId: string) => store.claimRun(runId, owner, Date.now() + leaseMs, Date.now());
  let renewing: ReturnType<typeof setInterval> | undefined;
  const renewAll = () => {
    for (const runId of live()) void claim(runId).catch(() => undefined);
  };
  const keepRenewing = () => {
    if (renewing !== undefined || !store.durable) return;
    renewing = setInterval(renewAll, Math.max(10, Math.floor(leaseMs / 3)));
    renewing.unref();
  };
  return {
    owner,
    async hold(runId) {
      if (!store.durable) return;
      await claim(runId);
      keepRenewing();
    },
    async takeOver(runId) {
      if (!store.durable) return;
      const deadline = Date.now() + leaseMs + Math.min(1000, leaseMs);
      while (!(await claim(runId))) {
        if (Date.now() >= deadline) {
          throw new CadreError({
            code: 'run-claimed',
            message: `run '${runId}' is being worked on by another process, which keeps renewing its lease`,
            hint: 'wait for that process to end the run, or stop it; a process that died lets go within seconds',
          });
        }
        await new Promise((resolve) => setTimeout(resolve, Math.max(5, Math.floor(leaseMs / 10))));
      }
      keepRenewing();
    },
    close() {
      if (renewing !== undefined) clearInterval(renewing);
      renewing = undefined;
    },
  };
}
