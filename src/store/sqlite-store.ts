import { migrate } from './migrations.js';
import { openSqliteDriver } from './sqlite-driver.js';
import { createSqlStore } from './sql-store.js';
import type { Store } from './store.js';

/**
 * Opens (creating it and its folder when missing) a SQLite store in `file` and migrates it to
 * the current schema. A file written by a newer cadre is refused (`store-schema-newer`); one
 * that is not a database is a `store-open-failed` error. The default file (`.cadre/state.db`)
 * is the caller's choice.
 */
export async function openSqliteStore(file: string): Promise<Store> {
  const driver = openSqliteDriver(file);
  try {
    await migrate(driver);
  } catch (error) {
    await driver.close();
    throw error;
  }
  return createSqlStore(driver);
}
