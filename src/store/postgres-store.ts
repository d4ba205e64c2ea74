import { migrate } from './migrations.js';
import { openPostgresDriver } from './postgres-driver.js';
import type { PostgresDriverOptions } from './postgres-driver.js';
import { createSqlStore } from './sql-store.js';
import type { Store } from './store.js';

/** Options for {@link openPostgresStore}. */
export type PostgresStoreOptions = PostgresDriverOptions;

/**
 * Opens a store on a PostgreSQL database through a connection pool and migrates it to the
 * current schema (openers in several processes take turns). `schema` keeps the tables in a
 * schema of their own, created when missing. `close()` ends the pool.
 */
export async function openPostgresStore(
  url: string,
  options: PostgresStoreOptions = {},
): Promise<Store> {
  const driver = await openPostgresDriver(url, options);
  try {
    await migrate(driver);
  } catch (error) {
    await driver.close();
    throw error;
  }
  return createSqlStore(driver);
}
