import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'libsql';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CadreError } from '../../src/errors.js';
import { migrate, migrations } from '../../src/store/migrations.js';
import type { Migration } from '../../src/store/migrations.js';
import { openSqliteDriver } from '../../src/store/sqlite-driver.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { storeSchemaVersion } from '../../src/store/store.js';
import { makeMessage } from '../helpers/a2a-message.js';
import { storeContract } from '../contracts/store.contract.js';

const folder = mkdtempSync(join(tmpdir(), 'cadre-sqlite-store-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const contractFile = join(folder, 'contract', '.cadre', 'state.db');
storeContract('sqlite', () => openSqliteStore(contractFile), {
  reopen: () => openSqliteStore(contractFile),
});

let files = 0;
/** A path in a folder of its own that does not exist yet. */
function freshFile(): string {
  files += 1;
  return join(folder, `case-${files}`, 'state.db');
}

/** Runs `fn` on the file through libsql directly, as another program would. */
function withDatabase<T>(file: string, fn: (db: Database.Database) => T): T {
  const db = new Database(file);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

function schemaVersions(file: string): unknown[] {
  return withDatabase(file, (db) =>
    db.prepare('SELECT version, applied_at FROM schema_version ORDER BY version').all(),
  );
}

describe('openSqliteStore', () => {
  const opened: Store[] = [];
  async function open(file: string): Promise<Store> {
    const store = await openSqliteStore(file);
    opened.push(store);
    return store;
  }
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  it('creates the file and its folder, at the current schema, in WAL mode', async () => {
    const file = freshFile();

    await open(file);

    expect(existsSync(file)).toBe(true);
    expect(schemaVersions(file)).toEqual(
      migrations.map(({ version }) => ({ version, applied_at: expect.any(Number) })),
    );
    expect(withDatabase(file, (db) => db.pragma('journal_mode'))).toEqual([
      { journal_mode: 'wal' },
    ]);
  });

  it('creates a folder and files only their owner can read (the store holds conversations)', async () => {
    const file = freshFile();
    const store = await open(file);
    await store.saveRun({
      runId: 'run-private',
      org: 'esa',
      task: 'go',
      entry: 'ceo',
      status: 'running',
      startedAt: 1,
    });
    const mode = (path: string) => statSync(path).mode & 0o777;
    expect(mode(dirname(file))).toBe(0o700);
    expect(mode(file)).toBe(0o600);
    expect(existsSync(`${file}-wal`)).toBe(true);
    expect(mode(`${file}-wal`)).toBe(0o600);
  });

  it('does not migrate again when a file is reopened', async () => {
    const file = freshFile();
    const first = await open(file);
    await first.close();
    const before = schemaVersions(file);

    await open(file);

    expect(schemaVersions(file)).toEqual(before);
    const driver = openSqliteDriver(file);
    try {
      expect(await migrate(driver)).toEqual({ from: storeSchemaVersion, to: storeSchemaVersion });
    } finally {
      await driver.close();
    }
  });

  it('takes a schema 1 file to the current schema, keeping its runs and requests', async () => {
    const file = freshFile();
    const driver = openSqliteDriver(file);
    try {
      await migrate(driver, migrations.slice(0, 1));
      await driver.query(
        "INSERT INTO runs (run_id, org, task, entry, status, started_at) VALUES ('run-1', 'esa', 'go', 'ceo', 'running', 1)",
      );
      await driver.query(
        "INSERT INTO open_requests (message_id, run_id, from_agent, to_agent, kind, task_id, sent_at, due_at, level, status) VALUES ('m-1', 'run-1', 'domain-1', 'domain-2', 'question', 't-1', 5, 1800005, 0, 'open')",
      );
    } finally {
      await driver.close();
    }

    const store = await open(file);

    expect(await store.getRun('run-1')).toStrictEqual({
      runId: 'run-1',
      org: 'esa',
      task: 'go',
      entry: 'ceo',
      status: 'running',
      startedAt: 1,
    });
    expect(await store.openRequests('run-1')).toMatchObject([{ messageId: 'm-1', dueAt: 1800005 }]);
    await store.saveRun({
      runId: 'run-1',
      org: 'esa',
      task: 'go',
      entry: 'ceo',
      status: 'running',
      startedAt: 1,
      settings: { orgDir: 'agents/esa', timeScale: 1000 },
    });
    expect((await store.getRun('run-1'))?.settings).toStrictEqual({
      orgDir: 'agents/esa',
      timeScale: 1000,
    });
  });

  it('migrates an older schema on open, keeping its data', async () => {
    const file = freshFile();
    const store = await open(file);
    await store.saveRun({
      runId: 'run-1',
      org: 'esa',
      task: 'go',
      entry: 'ceo',
      status: 'running',
      startedAt: 1,
    });
    await store.close();
    const next: Migration = {
      version: storeSchemaVersion + 1,
      description: 'a note on runs',
      statements: {
        sqlite: ['ALTER TABLE runs ADD COLUMN note TEXT'],
        postgres: ['ALTER TABLE runs ADD COLUMN note TEXT'],
      },
    };

    const driver = openSqliteDriver(file);
    try {
      expect(await migrate(driver, [...migrations, next])).toEqual({
        from: storeSchemaVersion,
        to: storeSchemaVersion + 1,
      });
    } finally {
      await driver.close();
    }

    expect(withDatabase(file, (db) => db.prepare('SELECT run_id, note FROM runs').all())).toEqual([
      { run_id: 'run-1', note: null },
    ]);
  });

  it('refuses a file written by a newer cadre, and leaves it as it was', async () => {
    const file = freshFile();
    await (await open(file)).close();
    withDatabase(file, (db) =>
      db
        .prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)')
        .run(storeSchemaVersion + 1, 5),
    );

    const opening = openSqliteStore(file);

    await expect(opening).rejects.toThrow(CadreError);
    await expect(opening).rejects.toMatchObject({
      code: 'store-schema-newer',
      message: expect.stringContaining(
        `was written by a newer cadre (schema ${storeSchemaVersion + 1}); this cadre reads schema ${storeSchemaVersion}; upgrade cadre`,
      ),
    });
    expect(schemaVersions(file)).toHaveLength(migrations.length + 1);
  });

  it('refuses a file that is not a database, naming it', async () => {
    const file = join(folder, 'notes.db');
    writeFileSync(file, 'these are notes, not a database\n'.repeat(200));

    await expect(openSqliteStore(file)).rejects.toMatchObject({
      code: 'store-open-failed',
      message: expect.stringContaining(file),
    });
  });

  it('refuses a database of another program instead of writing over its tables', async () => {
    const file = freshFile();
    const other = openSqliteDriver(file);
    await other.query('CREATE TABLE runs (id INTEGER)');
    await other.close();

    await expect(openSqliteStore(file)).rejects.toMatchObject({
      code: 'store-migration-failed',
      message: expect.stringContaining('runs already exists'),
    });
    const tables = withDatabase(file, (db) =>
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all(),
    );
    expect(tables).toEqual([{ name: 'runs' }]);
  });

  it('opens one new file from two stores at once', async () => {
    const file = freshFile();

    const [first, second] = await Promise.all([openSqliteStore(file), openSqliteStore(file)]);
    opened.push(first, second);
    await first.putMessage(makeMessage({ messageId: 'shared-1', contextId: 'run-shared' }));

    expect(await second.pendingMessages('run-shared')).toHaveLength(1);
    expect(schemaVersions(file)).toHaveLength(migrations.length);
  });

  describe('a corrupt row', () => {
    it('is an error naming the messages table and the key when the body is not JSON', async () => {
      const file = freshFile();
      const store = await open(file);
      await store.putMessage(makeMessage({ messageId: 'message-x', contextId: 'run-x' }));
      withDatabase(file, (db) =>
        db.prepare("UPDATE messages SET body = '{not json' WHERE message_id = ?").run('message-x'),
      );

      await expect(store.getMessage('message-x')).rejects.toMatchObject({
        code: 'store-row-invalid',
        message: expect.stringMatching(
          /corrupt messages row \(message_id "message-x"\): body: not JSON/,
        ),
      });
      await expect(store.pendingMessages('run-x')).rejects.toThrow(/messages row/);
    });

    it('is an error naming the field when a message no longer matches the A2A schema', async () => {
      const file = freshFile();
      const store = await open(file);
      await store.putMessage(makeMessage({ messageId: 'message-y' }));
      withDatabase(file, (db) =>
        db
          .prepare("UPDATE messages SET body = json_remove(body, '$.parts') WHERE message_id = ?")
          .run('message-y'),
      );

      await expect(store.getMessage('message-y')).rejects.toThrow(
        /corrupt messages row \(message_id "message-y"\): body\.parts/,
      );
    });

    it('is an error naming the runs table, the key and the column for a bad status', async () => {
      const file = freshFile();
      const store = await open(file);
      await store.saveRun({
        runId: 'run-z',
        org: 'esa',
        task: 'go',
        entry: 'ceo',
        status: 'running',
        startedAt: 1,
      });
      withDatabase(file, (db) => db.prepare("UPDATE runs SET status = 'exploded'").run());

      await expect(store.listRuns(10)).rejects.toMatchObject({
        code: 'store-row-invalid',
        message: expect.stringMatching(/corrupt runs row \(run_id "run-z"\): status/),
      });
    });

    it('is an error naming the sessions table when the state is not JSON', async () => {
      const file = freshFile();
      const store = await open(file);
      await store.saveSession({
        sessionId: 'session-q',
        runId: 'run-q',
        agent: 'dba',
        status: 'waiting',
        state: { turns: 1 },
        updatedAt: 1,
      });
      withDatabase(file, (db) => db.prepare("UPDATE sessions SET state = 'oops'").run());

      await expect(store.sessions('run-q')).rejects.toThrow(
        /corrupt sessions row \(session_id "session-q"\): state: not JSON/,
      );
    });
  });

  it('refuses a message that is not a valid A2A message instead of storing it', async () => {
    const store = await open(freshFile());
    const message = { ...makeMessage({ messageId: 'message-bad' }), parts: [] };

    await expect(store.putMessage(message)).rejects.toMatchObject({ code: 'message-invalid' });
    expect(await store.getMessage('message-bad')).toBeUndefined();
  });

  it('keeps whole milliseconds, rounding a fractional time from a scaled clock', async () => {
    const store = await open(freshFile());
    await store.putMessage(makeMessage({ messageId: 'message-t' }));

    await store.markHandled('message-t', 1_234.6);

    expect(await store.getMessage('message-t')).toMatchObject({ settledAt: 1_235 });
  });

  it('is a store-closed error when used after close', async () => {
    const store = await openSqliteStore(freshFile());
    await store.close();

    await expect(store.getRun('run-1')).rejects.toMatchObject({ code: 'store-closed' });
    await store.close();
  });
});
