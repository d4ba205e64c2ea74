import { randomUUID } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL the tests talk to (trust auth, database `test`). */
export const postgresUrl = 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Schemas of one test file: `name()` gives a new unique schema name (the store creates the
 * schema), `drop()` drops every one of them at the end.
 */
export function testSchemas(label: string): { name: () => string; drop: () => Promise<void> } {
  const names: string[] = [];
  const prefix = `cadre_${label}_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  return {
    name() {
      const name = `${prefix}_${names.length + 1}`;
      names.push(name);
      return name;
    },
    async drop() {
      await withClient(async (client) => {
        for (const name of names) await client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
      });
    },
  };
}

/** Runs `fn` with a plain pg client on the test database, as another program would. */
export async function withClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
