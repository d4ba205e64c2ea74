/**
 * `cadre/store`: the durable stores (SQLite through libsql, PostgreSQL) and `openStore`, which
 * picks one from a URL such as `CADRE_STORE_URL`. A separate entry, so that importing `cadre`
 * does not load the database drivers.
 */
export { openStore } from './store/open-store.js';
export { openSqliteStore } from './store/sqlite-store.js';
export { openPostgresStore } from './store/postgres-store.js';
export { createMemoryStore } from './store/memory-store.js';
export type {
  EscalationRecord,
  MessageRecord,
  OpenRequestRecord,
  RunRecord,
  SessionRecord,
  Store,
} from './store/store.js';
