import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Where the test PostgreSQL listens; `postgres` administers it (trust auth). */
const server = 'postgres://postgres@127.0.0.1:5432';

/** A throwaway database for one test file, with its own non-superuser roles. */
export interface PsqlTestDatabase {
  name: string;
  /** Unique to this database; every role and file name the test makes carries it. */
  suffix: string;
  reader: string;
  writer: string;
  /** URL as postgres (superuser). */
  superuserUrl: string;
  /** URL as the reader role: LOGIN, pg_read_all_data, pg_monitor. */
  readerUrl: string;
  /** URL as the writer role: the reader's rights plus INSERT/UPDATE/DELETE; owns `events`. */
  writerUrl: string;
  /** A superuser connection to this database, for seeding and checking. */
  admin: pg.Client;
  /** Everything a hostile statement could change: table contents, schema, roles, settings. */
  fingerprint(): Promise<Record<string, unknown>>;
  /** Terminates its connections and drops the database and roles. */
  drop(): Promise<void>;
}

const seed = `
CREATE TABLE customers (
  id serial PRIMARY KEY,
  name text NOT NULL,
  email text UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE orders (
  id serial PRIMARY KEY,
  customer_id integer NOT NULL REFERENCES customers (id),
  total numeric(10, 2) NOT NULL DEFAULT 0,
  status text
);
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
INSERT INTO customers (name, email) SELECT 'customer ' || g, 'c' || g || '@example.com' FROM generate_series(1, 20) g;
INSERT INTO orders (customer_id, total, status) SELECT 1 + g % 20, g, 'open' FROM generate_series(1, 100) g;
CREATE TABLE events AS
  SELECT g AS id, g % 1000 AS bucket, md5(g::text) AS payload FROM generate_series(1, 50000) g;
CREATE TABLE t (id integer PRIMARY KEY, v text);
INSERT INTO t VALUES (1, 'one'), (2, 'two'), (3, 'three');
CREATE TABLE counter (n integer NOT NULL);
INSERT INTO counter VALUES (0);
CREATE SEQUENCE seq;
CREATE FUNCTION bump() RETURNS integer LANGUAGE sql AS 'UPDATE counter SET n = n + 1 RETURNING n';
CREATE PROCEDURE p() LANGUAGE sql AS 'DELETE FROM t';
ANALYZE;
`;

/** Creates `cadre_psql_<random>` with seeded tables and a reader and a writer role. */
export async function createPsqlTestDatabase(): Promise<PsqlTestDatabase> {
  const suffix = randomBytes(5).toString('hex');
  const name = `cadre_psql_${suffix}`;
  const reader = `cadre_psql_reader_${suffix}`;
  const writer = `cadre_psql_writer_${suffix}`;
  const root = new pg.Client({ connectionString: `${server}/test` });
  await root.connect();
  try {
    await root.query(`CREATE DATABASE ${name}`);
    await root.query(`CREATE ROLE ${reader} LOGIN`);
    await root.query(`CREATE ROLE ${writer} LOGIN`);
    await root.query(`GRANT pg_read_all_data, pg_monitor TO ${reader}, ${writer}`);
  } finally {
    await root.end();
  }
  const admin = new pg.Client({ connectionString: `${server}/${name}` });
  await admin.connect();
  await admin.query(seed);
  await admin.query(`
    GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${writer};
    GRANT USAGE, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${writer};
    GRANT CREATE ON SCHEMA public TO ${writer};
    ALTER TABLE events OWNER TO ${writer};
  `);

  const roles = [reader, writer];
  return {
    name,
    suffix,
    reader,
    writer,
    superuserUrl: `${server}/${name}`,
    readerUrl: `postgres://${reader}@127.0.0.1:5432/${name}`,
    writerUrl: `postgres://${writer}@127.0.0.1:5432/${name}`,
    admin,
    async fingerprint() {
      const tables = await admin.query<{ schema: string; table: string }>(
        `SELECT table_schema AS schema, table_name AS table FROM information_schema.tables
          WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`,
      );
      const checksums: Record<string, string> = {};
      for (const { schema, table } of tables.rows) {
        const result = await admin.query<{ md5: string }>(
          `SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS md5 FROM "${schema}"."${table}" x`,
        );
        checksums[`${schema}.${table}`] = result.rows[0]?.md5 ?? '';
      }
      const one = async (sql: string, values: unknown[] = []) =>
        (await admin.query(sql, values)).rows;
      return {
        tables: tables.rows.map((row) => `${row.schema}.${row.table}`),
        checksums,
        sequence: await one('SELECT last_value, is_called FROM seq'),
        indexes: await one(
          "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1",
        ),
        functions: await one(
          "SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace ORDER BY 1",
        ),
        roles: await one(
          `SELECT rolname, rolsuper, rolcreaterole, rolcreatedb, rolcanlogin, rolbypassrls
             FROM pg_roles WHERE rolname = 'postgres' OR rolname LIKE $1 ORDER BY 1`,
          [`%${suffix}%`],
        ),
        memberships: await one(
          `SELECT roleid::regrole::text AS role, member::regrole::text AS member FROM pg_auth_members
            WHERE member::regrole::text = ANY($1) ORDER BY 1, 2`,
          [roles],
        ),
        roleSettings: await one(
          `SELECT setdatabase, setrole, setconfig FROM pg_db_role_setting
            WHERE setdatabase = (SELECT oid FROM pg_database WHERE datname = $1)
               OR setrole IN (SELECT oid FROM pg_roles WHERE rolname = ANY($2)) ORDER BY 1, 2`,
          [name, roles],
        ),
        autoConf: await one(
          "SELECT name, setting FROM pg_file_settings WHERE sourcefile LIKE '%postgresql.auto.conf' ORDER BY 1",
        ),
        largeObjects: await one('SELECT count(*)::int AS count FROM pg_largeobject_metadata'),
        privileges: await one(
          "SELECT relname, relacl::text FROM pg_class WHERE relnamespace = 'public'::regnamespace ORDER BY 1",
        ),
        extensions: await one('SELECT extname FROM pg_extension ORDER BY 1'),
      };
    },
    async drop() {
      await admin.end().catch(() => undefined);
      const cleanup = new pg.Client({ connectionString: `${server}/test` });
      await cleanup.connect();
      try {
        await cleanup.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
          [name],
        );
        await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        for (const role of roles) await cleanup.query(`DROP ROLE IF EXISTS ${role}`);
      } finally {
        await cleanup.end();
      }
    },
  };
}
