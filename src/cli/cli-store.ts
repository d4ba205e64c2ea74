import { CadreError } from '../errors.js';
import { openStore } from '../store/open-store.js';
import type { RunRecord, Store } from '../store/store.js';

/**
 * Opens the store the commands share (`CADRE_STORE_URL`, else SQLite at `.cadre/state.db`
 * under the working directory), runs `body` on it and closes it.
 */
export async function withStore<T>(body: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(process.env.CADRE_STORE_URL, { cwd: process.cwd() });
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}

/**
 * The run a person named: by its id, or by a prefix of exactly one run's id among the most
 * recent 1,000 (as `cadre runs` shows them, shortened).
 */
export async function findRun(store: Store, given: string): Promise<RunRecord> {
  const exact = await store.getRun(given);
  if (exact) return exact;
  const matches = (await store.listRuns(1_000)).filter((run) => run.runId.startsWith(given));
  if (matches.length === 1 && matches[0]) return matches[0];
  throw new CadreError({
    code: matches.length === 0 ? 'run-unknown' : 'run-ambiguous',
    message:
      matches.length === 0
        ? `no run '${given}' in the store`
        : `'${given}' is the start of ${matches.length} run ids: ${matches
            .slice(0, 5)
            .map((run) => run.runId)
            .join(', ')}`,
    hint:
      matches.length === 0
        ? 'list the runs with `cadre runs` (the store is CADRE_STORE_URL, or .cadre/state.db)'
        : 'give more of the id',
  });
}
