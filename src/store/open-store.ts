import { isAbsolute, join, resolve } from 'node:path';
import { redactSecrets } from '../../tools/shared/redact.js';
import { CadreError } from '../errors.js';
import { createMemoryStore } from './memory-store.js';
import type { Store } from './store.js';

/** Where the store lives when nothing says otherwise, under the working directory. */
export const defaultStoreFile = join('.cadre', 'state.db');

const accepted =
  'accepted: nothing (SQLite at .cadre/state.db), sqlite:<path>, a path ending in .db, ' +
  'postgres://… or postgresql://…, memory:';

/**
 * Opens the store a URL names (what `CADRE_STORE_URL` holds): nothing or an empty string →
 * SQLite at `<cwd>/.cadre/state.db`; `sqlite:<path>` or a path ending in `.db` → SQLite there
 * (relative to `cwd`); `postgres://…` or `postgresql://…` → PostgreSQL; `memory:` → the memory
 * store, keeping the events of every run it keeps (this process is there to be asked about them). Anything else is a `store-url-invalid` error listing what is accepted.
 */
export async function openStore(url: string | undefined, options: { cwd: string }): Promise<Store> {
  const value = url?.trim() ?? '';
  const file = (path: string) => (isAbsolute(path) ? path : resolve(options.cwd, path));
  // Each driver is loaded only for the store it opens (libsql, pg).
  const openSqliteStore = async (path: string) =>
    (await import('./sqlite-store.js')).openSqliteStore(path);
  if (value === '') return openSqliteStore(file(defaultStoreFile));
  if (value === 'memory:') return createMemoryStore({ keepEvents: 'all' });
  if (/^postgres(ql)?:\/\//i.test(value)) {
    return (await import('./postgres-store.js')).openPostgresStore(value);
  }
  if (/^sqlite:/i.test(value)) {
    const path = value.slice('sqlite:'.length);
    if (path === '') throw invalidUrl(value, 'sqlite: needs a path, as in sqlite:.cadre/state.db');
    return openSqliteStore(file(path));
  }
  if (value.toLowerCase().endsWith('.db') && !/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    return openSqliteStore(file(value));
  }
  throw invalidUrl(value, 'it names no store cadre knows');
}

function invalidUrl(url: string, why: string): CadreError {
  return new CadreError({
    code: 'store-url-invalid',
    message: `store URL "${redactSecrets(url)}" is not accepted: ${why}; ${accepted}`,
    hint: 'set CADRE_STORE_URL to one of the accepted forms, or unset it for the default',
  });
}
