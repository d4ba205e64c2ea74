import { CadreError } from '../errors.js';
import type { SqlDialect, SqlDriver, SqlExecutor } from './sql-driver.js';

/** One step of the stored schema: the statements that take version - 1 to version. */
export interface Migration {
  version: number;
  description: string;
  /** The statements for each dialect, run in order inside one transaction. */
  statements: Record<SqlDialect, readonly string[]>;
}

/** The column types that differ between the dialects; the schema is written once over them. */
interface DialectTypes {
  /** A row number given by the database in insertion order, and the table's primary key. */
  seqKey: string;
  /** Epoch milliseconds and other 64-bit integers. */
  bigint: string;
  /** JSON: text in SQLite, JSONB in PostgreSQL. */
  json: string;
}

const dialectTypes: Record<SqlDialect, DialectTypes> = {
  sqlite: { seqKey: 'INTEGER PRIMARY KEY', bigint: 'INTEGER', json: 'TEXT' },
  postgres: {
    seqKey: 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY',
    bigint: 'BIGINT',
    json: 'JSONB',
  },
};

/**
 * Version 1: runs, events, messages (the outbox), sessions, open requests and escalations.
 * Every table has a `seq` key in insertion order, which breaks ties in ordered reads the way
 * the memory store does; the record's own id is a unique column beside it.
 */
function schemaVersion1({ seqKey, bigint, json }: DialectTypes): string[] {
  return [
    `CREATE TABLE runs (
      seq ${seqKey},
      run_id TEXT NOT NULL UNIQUE,
      org TEXT NOT NULL,
      task TEXT NOT NULL,
      entry TEXT NOT NULL,
      status TEXT NOT NULL,
      started_at ${bigint} NOT NULL,
      ended_at ${bigint},
      answer TEXT
    )`,
    `CREATE INDEX runs_by_start ON runs (started_at)`,
    `CREATE TABLE events (
      seq ${seqKey},
      run_id TEXT NOT NULL,
      type TEXT NOT NULL,
      agent TEXT NOT NULL,
      at ${bigint} NOT NULL,
      body ${json} NOT NULL
    )`,
    `CREATE INDEX events_by_run ON events (run_id, seq)`,
    `CREATE TABLE messages (
      seq ${seqKey},
      message_id TEXT NOT NULL UNIQUE,
      run_id TEXT NOT NULL,
      status TEXT NOT NULL,
      sent_at ${bigint} NOT NULL,
      settled_at ${bigint},
      body ${json} NOT NULL
    )`,
    `CREATE INDEX messages_by_run_status ON messages (run_id, status, sent_at)`,
    `CREATE TABLE sessions (
      seq ${seqKey},
      session_id TEXT NOT NULL UNIQUE,
      run_id TEXT NOT NULL,
      agent TEXT NOT NULL,
      status TEXT NOT NULL,
      state ${json} NOT NULL,
      updated_at ${bigint} NOT NULL
    )`,
    `CREATE INDEX sessions_by_run ON sessions (run_id)`,
    `CREATE TABLE open_requests (
      seq ${seqKey},
      message_id TEXT NOT NULL UNIQUE,
      run_id TEXT NOT NULL,
      from_agent TEXT NOT NULL,
      to_agent TEXT NOT NULL,
      kind TEXT NOT NULL,
      task_id TEXT NOT NULL,
      sent_at ${bigint} NOT NULL,
      due_at ${bigint},
      level INTEGER NOT NULL,
      status TEXT NOT NULL
    )`,
    `CREATE INDEX open_requests_by_due ON open_requests (status, due_at)`,
    `CREATE INDEX open_requests_by_run_due ON open_requests (run_id, status, due_at)`,
    `CREATE TABLE escalations (
      seq ${seqKey},
      escalation_id TEXT NOT NULL UNIQUE,
      run_id TEXT NOT NULL,
      request_message_id TEXT NOT NULL,
      asker TEXT NOT NULL,
      waited_on TEXT NOT NULL,
      to_agent TEXT NOT NULL,
      rule TEXT NOT NULL,
      reason TEXT NOT NULL,
      level INTEGER NOT NULL,
      fired_at ${bigint} NOT NULL,
      status TEXT NOT NULL,
      answer TEXT,
      answered_by TEXT,
      answered_at ${bigint}
    )`,
    `CREATE INDEX escalations_by_status ON escalations (status, fired_at)`,
    `CREATE INDEX escalations_by_run ON escalations (run_id, fired_at)`,
  ];
}

/** Version 2: what `cadre resume` needs — a run's settings, totals and error; a request's engine state. */
function schemaVersion2({ json }: DialectTypes): string[] {
  return [
    `ALTER TABLE runs ADD COLUMN error TEXT`,
    `ALTER TABLE runs ADD COLUMN totals ${json}`,
    `ALTER TABLE runs ADD COLUMN settings ${json}`,
    `ALTER TABLE open_requests ADD COLUMN state ${json}`,
  ];
}

/** Version 3: a session's conversation in rows of its own, appended to instead of rewritten. */
function schemaVersion3({ json }: DialectTypes): string[] {
  return [
    `CREATE TABLE session_messages (
      run_id TEXT NOT NULL,
      session_id TEXT NOT NULL,
      position INTEGER NOT NULL,
      body ${json} NOT NULL,
      PRIMARY KEY (session_id, position)
    )`,
    `CREATE INDEX session_messages_by_run ON session_messages (run_id)`,
  ];
}

/** Version 4: the process that holds a running run, and until when (its lease). */
function schemaVersion4({ bigint }: DialectTypes): string[] {
  return [
    `ALTER TABLE runs ADD COLUMN owner TEXT`,
    `ALTER TABLE runs ADD COLUMN lease_until ${bigint}`,
  ];
}

function inBothDialects(build: (types: DialectTypes) => string[]): Record<SqlDialect, string[]> {
  return { sqlite: build(dialectTypes.sqlite), postgres: build(dialectTypes.postgres) };
}

/** The stored schema, as ordered steps numbered 1, 2, …; the last one's version is `storeSchemaVersion`. */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: 'runs, events, messages, sessions, open requests and escalations',
    statements: inBothDialects(schemaVersion1),
  },
  {
    version: 2,
    description: "a run's error, totals and settings; an open request's engine state",
    statements: inBothDialects(schemaVersion2),
  },
  {
    version: 3,
    description: "a session's conversation in rows of its own (appended, not rewritten)",
    statements: inBothDialects(schemaVersion3),
  },
  {
    version: 4,
    description: 'the process that holds a running run, and its lease',
    statements: inBothDialects(schemaVersion4),
  },
];

/**
 * The table that records which migrations ran (one row per version). The migrator creates it
 * before anything else, so that it can read the version of any database, even an empty one.
 */
function schemaVersionTable(dialect: SqlDialect): string {
  return `CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER PRIMARY KEY,
    applied_at ${dialectTypes[dialect].bigint} NOT NULL
  )`;
}

/** The schema version a database holds: the highest migration applied, or 0 for none. */
export async function readSchemaVersion(db: SqlExecutor): Promise<number> {
  const { rows } = await db.query('SELECT MAX(version) AS version FROM schema_version');
  const version = (rows[0] as { version?: unknown } | undefined)?.version;
  return typeof version === 'number' ? version : 0;
}

/** What opening did to the schema. */
export interface MigrationOutcome {
  /** The version found (0 for an empty database). */
  from: number;
  /** The version now. */
  to: number;
}

/**
 * Brings a database up to the latest of `steps` (by default cadre's migrations) in one
 * exclusive transaction: creates `schema_version` when missing, runs every newer step and
 * records it. A database already at that version is left alone; one whose version is newer
 * is refused with a `store-schema-newer` error, and nothing is changed.
 */
export async function migrate(
  driver: SqlDriver,
  steps: readonly Migration[] = migrations,
  now: () => number = Date.now,
): Promise<MigrationOutcome> {
  const latest = steps.at(-1)?.version ?? 0;
  return driver.exclusive(async (tx) => {
    await tx.query(schemaVersionTable(driver.dialect));
    const from = await readSchemaVersion(tx);
    if (from > latest) {
      throw new CadreError({
        code: 'store-schema-newer',
        message: `the store at ${driver.where} was written by a newer cadre (schema ${from}); this cadre reads schema ${latest}; upgrade cadre`,
        hint: 'upgrade cadre, or point CADRE_STORE_URL at another store',
      });
    }
    for (const step of steps) {
      if (step.version <= from) continue;
      for (const statement of step.statements[driver.dialect]) {
        try {
          await tx.query(statement);
        } catch (error) {
          throw new CadreError({
            code: 'store-migration-failed',
            message: `migrating the store at ${driver.where} to schema ${step.version} failed: ${error instanceof Error ? error.message : String(error)}`,
            hint: 'is this a database of another program? point CADRE_STORE_URL at a cadre store or an empty one',
            cause: error,
          });
        }
      }
      await tx.query('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)', [
        step.version,
        now(),
      ]);
    }
    return { from, to: latest };
  });
}
