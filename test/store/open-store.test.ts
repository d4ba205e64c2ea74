import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { postgresUrl, testSchemas, withClient } from './postgres-schemas.js';

const folder = mkdtempSync(join(tmpdir(), 'cadre-open-store-'));
const schemas = testSchemas('open');
afterAll(async () => {
  rmSync(folder, { recursive: true, force: true });
  await schemas.drop();
});

let cases = 0;
/** A working directory of its own for one test. */
function freshCwd(): string {
  cases += 1;
  return join(folder, `cwd-${cases}`);
}

const run = {
  runId: 'run-1',
  org: 'esa',
  task: 'go',
  entry: 'ceo',
  status: 'running',
  startedAt: 1,
} as const;

describe('openStore', () => {
  const opened: Store[] = [];
  async function open(url: string | undefined, cwd: string): Promise<Store> {
    const store = await openStore(url, { cwd });
    opened.push(store);
    return store;
  }
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  it('opens SQLite at .cadre/state.db under cwd when no URL is given', async () => {
    const cwd = freshCwd();

    await open(undefined, cwd);

    expect(existsSync(join(cwd, '.cadre', 'state.db'))).toBe(true);
  });

  it('treats an empty URL as no URL', async () => {
    const cwd = freshCwd();

    await open('', cwd);

    expect(existsSync(join(cwd, '.cadre', 'state.db'))).toBe(true);
  });

  it('opens SQLite at a sqlite: path, relative to cwd', async () => {
    const cwd = freshCwd();

    await open('sqlite:state/runs.sqlite', cwd);

    expect(existsSync(join(cwd, 'state', 'runs.sqlite'))).toBe(true);
  });

  it('opens SQLite at a path ending in .db, relative or absolute', async () => {
    const cwd = freshCwd();
    const absolute = join(freshCwd(), 'absolute.db');

    await open('relative.db', cwd);
    await open(absolute, cwd);

    expect(existsSync(join(cwd, 'relative.db'))).toBe(true);
    expect(existsSync(absolute)).toBe(true);
  });

  it('keeps what a SQLite store was given for the next opener of the same URL', async () => {
    const cwd = freshCwd();
    const first = await open(undefined, cwd);
    await first.saveRun(run);
    await first.close();

    const second = await open(undefined, cwd);

    expect(await second.getRun('run-1')).toStrictEqual(run);
  });

  it('opens the memory store for memory:, writing no file', async () => {
    const cwd = freshCwd();

    const store = await open('memory:', cwd);
    await store.saveRun(run);

    expect(await store.getRun('run-1')).toStrictEqual(run);
    expect(existsSync(cwd)).toBe(false);
  });

  it('opens PostgreSQL for a postgres:// or postgresql:// URL', async () => {
    const schema = schemas.name();
    await withClient((client) => client.query(`CREATE SCHEMA ${schema}`));
    const options = `?options=${encodeURIComponent(`-c search_path=${schema}`)}`;

    const store = await open(`${postgresUrl}${options}`, freshCwd());
    await store.saveRun(run);
    const again = await open(
      `${postgresUrl.replace('postgres://', 'postgresql://')}${options}`,
      freshCwd(),
    );

    expect(await again.getRun('run-1')).toStrictEqual(run);
    const rows = await withClient(async (client) => {
      const result = await client.query(`SELECT run_id FROM ${schema}.runs`);
      return result.rows;
    });
    expect(rows).toEqual([{ run_id: 'run-1' }]);
  });

  it.each([
    ['a URL of another database', 'mysql://root@127.0.0.1/cadre'],
    ['a file that is not .db', 'state.sqlite'],
    ['sqlite: without a path', 'sqlite:'],
    ['an https URL ending in .db', 'https://example.com/state.db'],
  ])('refuses %s, saying what is accepted', async (_case, url) => {
    await expect(openStore(url, { cwd: freshCwd() })).rejects.toMatchObject({
      code: 'store-url-invalid',
      message: expect.stringMatching(/accepted: .*sqlite:<path>.*postgres:\/\/.*memory:/),
    });
  });

  it('redacts a password in the URL it refuses', async () => {
    const opening = openStore('mysql://root:hunter2@127.0.0.1/cadre', { cwd: freshCwd() });

    await expect(opening).rejects.toMatchObject({ code: 'store-url-invalid' });
    await expect(opening).rejects.toSatisfy((error: Error) => !error.message.includes('hunter2'));
  });
});
