// Timing of the durable stores (a benchmark, not a test: it asserts nothing): 10,000 open
// requests saved one by one, then read back with `openRequests()` — what `cadre resume` does
// to re-arm its timers. Uses the compiled stores in dist/ (`npm run build` at the root), SQLite
// in a temporary folder and PostgreSQL at CADRE_BENCH_POSTGRES_URL (default: the local test
// database) in a schema of its own, dropped at the end. Prints milliseconds per step.
import console from 'node:console';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { performance } from 'node:perf_hooks';
import { URL, pathToFileURL } from 'node:url';
import pg from 'pg';

const count = 10_000;
const dist = process.env.CADRE_DIST
  ? pathToFileURL(join(process.env.CADRE_DIST, 'src/'))
  : new URL('../dist/src/', import.meta.url);
const { openSqliteStore } = await import(new URL('store/sqlite-store.js', dist).href);
const { openPostgresStore } = await import(new URL('store/postgres-store.js', dist).href);
const postgresUrl =
  process.env.CADRE_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The i-th request: due times spread so that the read has to sort. */
function request(index) {
  return {
    messageId: `request-${index}`,
    runId: `run-${index % 10}`,
    from: 'domain-1',
    to: 'domain-2',
    kind: 'question',
    taskId: `task-${index}`,
    sentAt: 1_700_000_000_000,
    dueAt: 1_700_000_000_000 + ((index * 7_919) % count) * 1_000,
    level: 0,
    status: 'open',
  };
}

async function measure(name, open) {
  const store = await open();
  try {
    const saveStart = performance.now();
    for (let index = 0; index < count; index += 1) await store.saveRequest(request(index));
    const saveMs = performance.now() - saveStart;
    await store.close();

    const readStart = performance.now();
    const reopened = await open();
    const opened = performance.now();
    const listed = await reopened.openRequests();
    const readMs = performance.now() - opened;
    await reopened.close();
    if (listed.length !== count) throw new Error(`${name}: read ${listed.length} of ${count}`);
    console.log(
      `${name}: save ${count} requests ${saveMs.toFixed(0)} ms; ` +
        `reopen ${(opened - readStart).toFixed(1)} ms; openRequests ${readMs.toFixed(1)} ms`,
    );
  } finally {
    await store.close();
  }
}

const folder = mkdtempSync(join(tmpdir(), 'cadre-bench-store-'));
try {
  const file = join(folder, 'state.db');
  await measure('sqlite', () => openSqliteStore(file));
} finally {
  rmSync(folder, { recursive: true, force: true });
}

const schema = `cadre_bench_${process.pid}`;
try {
  await measure('postgres', () => openPostgresStore(postgresUrl, { schema }));
} finally {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
}
