import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import Database from 'libsql';
import { CadreError } from '../errors.js';
import {
  checkSqlValues,
  storeClosedError,
  storeQueryError,
  type SqlDriver,
  type SqlExecutor,
  type SqlResult,
  type SqlValue,
} from './sql-driver.js';

/** How long a statement waits for another connection's write lock before it fails. */
const busyTimeoutMs = 5_000;

/**
 * Opens a SQLite file through libsql's synchronous API: creates the parent folder (0700) and
 * the file (0600) when they are missing, turns on WAL (readers do not block the writer) and a
 * busy timeout. A file that cannot be opened, or is not a database, is a `store-open-failed`
 * error naming it.
 */
export function openSqliteDriver(file: string): SqlDriver {
  const where = file;
  let db: Database.Database;
  try {
    // The store holds tasks, conversations and escalations: readable by its owner only. A new
    // folder is 0700 and a new file 0600 (SQLite gives its -wal and -shm files the same mode);
    // an existing file keeps the mode its owner chose.
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    closeSync(openSync(file, 'a', 0o600));
    db = new Database(file);
  } catch (error) {
    throw openFailed(file, error);
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  } catch (error) {
    db.close();
    throw openFailed(file, error);
  }

  const statements = new Map<string, Database.Statement>();
  let closed = false;

  function run(sql: string, params: readonly SqlValue[]): SqlResult {
    if (closed) throw storeClosedError(where);
    checkSqlValues(params, sql);
    try {
      let statement = statements.get(sql);
      if (!statement) {
        statement = db.prepare(sql);
        statements.set(sql, statement);
      }
      if (statement.reader) {
        const rows = statement.all(...params);
        return { rows, changes: rows.length };
      }
      return { rows: [], changes: statement.run(...params).changes };
    } catch (error) {
      throw storeQueryError(where, error);
    }
  }

  const executor: SqlExecutor = {
    async query(sql, params = []) {
      return run(sql, params);
    },
  };

  /**
   * Takes the write lock without blocking the thread: libsql waits for a busy lock
   * synchronously, which would stall another opener of the same file in this process.
   */
  async function beginImmediate(): Promise<void> {
    const deadline = Date.now() + busyTimeoutMs;
    db.pragma('busy_timeout = 0');
    try {
      for (;;) {
        try {
          db.exec('BEGIN IMMEDIATE');
          return;
        } catch (error) {
          const busy = (error as { code?: unknown }).code === 'SQLITE_BUSY';
          if (!busy || Date.now() > deadline) throw storeQueryError(where, error);
          await delay(10);
        }
      }
    } finally {
      db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    }
  }

  return {
    dialect: 'sqlite',
    where,
    query: executor.query,
    async exclusive(fn) {
      if (closed) throw storeClosedError(where);
      await beginImmediate();
      try {
        const result = await fn(executor);
        db.exec('COMMIT');
        return result;
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw error;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      statements.clear();
      db.close();
    },
  };
}

function openFailed(file: string, error: unknown): CadreError {
  const detail = error instanceof Error ? error.message : String(error);
  return new CadreError({
    code: 'store-open-failed',
    message: `cannot open the SQLite store ${file}: ${detail}`,
    hint: 'check that the path is a writable folder and the file, if it exists, is a cadre store',
    cause: error,
  });
}
