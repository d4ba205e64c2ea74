// Re-arming 10,000 open deadlines on start, through the real path: `runtime.resume(run)` over a
// durable store (SQLite in a temporary folder, then PostgreSQL at CADRE_BENCH_POSTGRES_URL,
// default the local test database, in a schema of its own). A benchmark, not a test: it
// prints figures and checks only that every deadline was re-armed.
//
//   npm run bench:escalation        (builds cadre first)
//
// Each request is a question Domain #1 asked Domain #2 in agents/esa, due 1 to 40 days from
// now (so none fires during the measurement; some are beyond setTimeout's 24.8-day limit).
// Baseline, in the same run and store: reading the same rows with `openRequests()` alone — the
// floor that any resume pays. The goal of issue 5: 10,000 re-armed in under a second.
import console from 'node:console';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { URL, fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';

const count = Number(process.env.CADRE_BENCH_TIMERS ?? 10_000);
const dist = process.env.CADRE_DIST
  ? pathToFileURL(join(process.env.CADRE_DIST, 'src/'))
  : new URL('../dist/src/', import.meta.url);
if (!existsSync(new URL('runtime/resume-run.js', dist))) {
  console.error(`cadre is not built: run \`npm run build\` at the repository root first.`);
  process.exit(1);
}
const load = (path) => import(new URL(path, dist).href);
const { loadOrg } = await load('org/load-org.js');
const { createRuntime } = await load('runtime/runtime.js');
const { ScriptedModel } = await load('model/scripted-model.js');
const { openSqliteStore } = await load('store/sqlite-store.js');
const { openPostgresStore } = await load('store/postgres-store.js');
const { requestFromMessage } = await load('escalation/request-state.js');
const { requestRecordOf } = await load('escalation/records.js');
const postgresUrl =
  process.env.CADRE_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const orgDir = fileURLToPath(new URL('../agents/esa', import.meta.url));
const { org } = await loadOrg(orgDir);

const gc = globalThis.gc ?? (() => undefined);
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Writes a running run with `count` open questions, each with its engine state and deadline. */
async function seed(store, runId) {
  const now = Date.now();
  await store.saveRun({
    runId,
    org: org.name,
    task: 'many questions',
    entry: 'domain-1',
    status: 'running',
    startedAt: now,
    settings: { requestId: `${runId}-request` },
  });
  for (let index = 0; index < count; index += 1) {
    const message = {
      schemaVersion: 1,
      messageId: `${runId}-q${index}`,
      contextId: runId,
      taskId: `${runId}-t${index}`,
      role: 'agent',
      parts: [{ kind: 'text', text: `question ${index}: is the replica caught up?` }],
      from: 'domain-1',
      to: 'domain-2',
      kind: 'question',
      severity: 'normal',
      tags: [],
      hop: 1,
      sentAt: now,
    };
    const engine = requestFromMessage(message);
    const dueAt = now + 86_400_000 + ((index * 7_919) % count) * ((39 * 86_400_000) / count);
    await store.saveRequest({
      ...requestRecordOf(engine, { dueAt }),
      state: { engine, message },
    });
  }
}

async function measure(name, open) {
  const runId = `bench-${process.pid}-${name}`;
  const seeding = await open();
  const seedStart = performance.now();
  await seed(seeding, runId);
  const seedMs = performance.now() - seedStart;
  await seeding.close();

  const floorStore = await open();
  const floorStart = performance.now();
  const rows = await floorStore.openRequests(runId);
  const floorMs = performance.now() - floorStart;
  await floorStore.close();
  if (rows.length !== count) throw new Error(`${name}: read ${rows.length} of ${count}`);

  const store = await open();
  const runtime = createRuntime({
    org,
    store,
    model: new ScriptedModel(() => ({ text: 'not asked in this benchmark' })),
  });
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const start = performance.now();
  const handle = await runtime.resume(runId);
  const resumeMs = performance.now() - start;
  gc();
  const heapAfter = process.memoryUsage().heapUsed;
  handle.cancel();
  await runtime.close();
  await store.close();
  console.log(
    `${name.padEnd(8)} ${count} open requests: resume (read + re-arm) ${resumeMs.toFixed(0)} ms · ` +
      `baseline openRequests() ${floorMs.toFixed(0)} ms · ${mb(heapAfter - heapBefore)} held for them ` +
      `(${((heapAfter - heapBefore) / count).toFixed(0)} B each) · seeding ${(seedMs / 1000).toFixed(1)} s · ` +
      `goal < 1000 ms: ${resumeMs < 1000 ? 'met' : 'MISSED'}`,
  );
}

const folder = mkdtempSync(join(tmpdir(), 'cadre-bench-resume-'));
try {
  const file = join(folder, 'state.db');
  await measure('sqlite', () => openSqliteStore(file));
} finally {
  rmSync(folder, { recursive: true, force: true });
}

const schema = `cadre_bench_resume_${process.pid}`;
try {
  await measure('postgres', () => openPostgresStore(postgresUrl, { schema }));
} finally {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
}
