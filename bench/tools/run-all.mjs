// The tools driver: `SELECT 1` calls per second over stdio, cadre's psql MCP server side by
// side with @modelcontextprotocol/server-postgres on the same database. Each row runs in its own
// fresh `node` process, one after another, interleaved (cadre, peer, cadre, peer, …); the table
// gives each figure's median over the runs (and its range) and cadre's ratios against the peer.
// Exits 1 if a call returned an error or a wrong value (or a row crashed); the 1.5× goal is
// reported, not asserted.
//
//   node bench/tools/run-all.mjs [--runs N] [--warmup N] [--cadre-main path/to/main.js]
//                                [--cadre-base path/to/main.js] [row ...]
//
// Rows: cadre-psql server-postgres (the default), and sdk-floor (only when named: an MCP server
// on cadre's SDK that answers without a database, the fixed cost of a call over stdio).
// --runs defaults to 3. --warmup sets the untimed calls before the timed phases (default 200;
// more calls show each server after its JIT has settled). --cadre-main runs a patched copy of
// cadre's server instead of
// dist/tools/psql/main.js. --cadre-base adds a row `cadre-base`, another build of cadre's server
// (such as a copy of dist/ before a change), interleaved with the others for a before/after in
// one run. BENCH_PG_URL chooses the database (default
// postgres://postgres@127.0.0.1:5432/test).
import { spawnSync } from 'node:child_process';
import console from 'node:console';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';
import { databaseUrl } from './workload.mjs';

const here = new URL('.', import.meta.url);
const version = (path) => JSON.parse(readFileSync(new URL(path, here), 'utf8')).version;
const packageVersion = (name) => {
  try {
    return version(`../node_modules/${name}/package.json`);
  } catch {
    return '?';
  }
};
const cadreVersion = version('../../package.json');

const GOAL = 1.5;
const rows = [
  {
    name: 'cadre-psql',
    label: `cadre ${cadreVersion} psql (dist/, --grant read, default options)`,
    byDefault: true,
  },
  {
    name: 'server-postgres',
    label: `@modelcontextprotocol/server-postgres ${packageVersion('@modelcontextprotocol/server-postgres')}`,
    byDefault: true,
  },
  {
    name: 'cadre-base',
    label: 'cadre psql, base build (--cadre-base)',
    byDefault: false,
  },
  {
    name: 'sdk-floor',
    label: `no database: @modelcontextprotocol/sdk ${packageVersion('@modelcontextprotocol/sdk')} McpServer answering 1`,
    byDefault: false,
  },
  {
    name: 'sdk-pg-floor',
    label: `the same plus one round trip: \`SELECT 1\` through pg, nothing else`,
    byDefault: false,
  },
];

const args = process.argv.slice(2);
let runs = 3;
let warmup;
let cadreMain;
let cadreBase;
const wanted = [];
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === '--runs') runs = Number(args[(i += 1)]);
  else if (args[i].startsWith('--runs=')) runs = Number(args[i].slice('--runs='.length));
  else if (args[i] === '--warmup') warmup = args[(i += 1)];
  else if (args[i] === '--cadre-main') cadreMain = args[(i += 1)];
  else if (args[i] === '--cadre-base') cadreBase = args[(i += 1)];
  else wanted.push(args[i]);
}
if (!Number.isInteger(runs) || runs < 1) {
  console.error('--runs takes a whole number of at least 1');
  process.exit(2);
}
if (warmup !== undefined && !/^\d+$/.test(warmup)) {
  console.error('--warmup takes a whole number');
  process.exit(2);
}
const unknown = wanted.filter((name) => !rows.some((row) => row.name === name));
if (unknown.length > 0) {
  console.error(`unknown row(s): ${unknown.join(', ')}; choose from ${rows.map((r) => r.name)}`);
  process.exit(2);
}
if (cadreBase && !wanted.includes('cadre-base')) {
  if (wanted.length === 0) wanted.push('cadre-psql', 'server-postgres');
  wanted.push('cadre-base');
}
const chosen = rows.filter((row) =>
  wanted.length > 0 ? wanted.includes(row.name) : row.byDefault,
);
if (chosen.some((row) => row.name === 'cadre-base') && !cadreBase) {
  console.error('the cadre-base row needs --cadre-base path/to/main.js');
  process.exit(2);
}
if (cadreBase)
  rows.find((row) => row.name === 'cadre-base').label =
    `cadre psql from ${cadreBase} (--grant read)`;
if (cadreMain) rows[0].label = `cadre psql from ${cadreMain} (--grant read)`;

// Same Node for every row, no loader or inspector flags.
const env = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => key !== 'NODE_OPTIONS'),
);
env.BENCH_PG_URL = databaseUrl();
if (warmup !== undefined) env.BENCH_TOOLS_WARMUP = warmup;
else delete env.BENCH_TOOLS_WARMUP;

const memory = `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB memory`;
const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
const database = env.BENCH_PG_URL.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
console.log(
  `tools on node ${process.version}, ${os.availableParallelism()} cores (${cpu}), ${memory}, load average ${os
    .loadavg()
    .map((load) => load.toFixed(2))
    .join(' ')}; ${database}; ${runs} run(s), ${warmup ?? 200} warm-up calls`,
);

const results = new Map(chosen.map((row) => [row.name, []]));
const failures = [];
for (let run = 1; run <= runs; run += 1) {
  for (const row of chosen) {
    const file = fileURLToPath(
      new URL(`${row.name === 'cadre-base' ? 'cadre-psql' : row.name}.mjs`, here),
    );
    const rowArgs =
      row.name === 'cadre-base'
        ? ['--main', cadreBase]
        : row.name === 'cadre-psql' && cadreMain
          ? ['--main', cadreMain]
          : [];
    process.stdout.write(`${runs > 1 ? `run ${run}: ` : ''}${row.name} ... `);
    const started = Date.now();
    const child = spawnSync(process.execPath, [file, ...rowArgs], {
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 10 * 60 * 1000,
      maxBuffer: 64 * 1024 * 1024,
    });
    const line = child.stdout?.split('\n').find((entry) => entry.startsWith('RESULT '));
    if (child.status !== 0 || !line) {
      console.log('FAILED');
      const why = child.error ? String(child.error) : `exit ${child.status ?? child.signal}`;
      failures.push(row.name);
      console.error(`${row.name} failed (${why}):\n${child.stderr}${child.stdout}`);
      continue;
    }
    const result = JSON.parse(line.slice('RESULT '.length));
    results.get(row.name).push(result);
    console.log(
      `ok, ${((Date.now() - started) / 1000).toFixed(1)} s: ${Math.round(result.sequentialCallsPerSecond)} calls/s sequential, ${Math.round(result.concurrentCallsPerSecond)} concurrent`,
    );
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const keys = [
  'sequentialCallsPerSecond',
  'p50Ms',
  'p99Ms',
  'concurrentCallsPerSecond',
  'serverCpuMsPerCall',
  'serverOtherThreadsMsPerCall',
];
const summary = new Map();
for (const [name, list] of results) {
  if (list.length > 0)
    summary.set(
      name,
      Object.fromEntries(
        keys.map((key) => {
          const values = list.map((r) => r[key]).filter((value) => typeof value === 'number');
          return [key, values.length > 0 ? median(values) : undefined];
        }),
      ),
    );
}

const perSecond = (value) => Math.round(value).toLocaleString('en-US');
const ms = (value) => (value < 10 ? value.toFixed(3) : value.toFixed(1));
const formats = {
  sequentialCallsPerSecond: perSecond,
  p50Ms: ms,
  p99Ms: ms,
  concurrentCallsPerSecond: perSecond,
  serverCpuMsPerCall: (value) => value.toFixed(3),
  serverOtherThreadsMsPerCall: (value) => value.toFixed(3),
};
const cell = (name, key) => {
  if (summary.get(name)[key] === undefined) return 'n/a';
  const list = results.get(name).map((result) => result[key]);
  const shown = formats[key](summary.get(name)[key]);
  if (list.length < 2) return shown;
  const low = formats[key](Math.min(...list));
  const high = formats[key](Math.max(...list));
  return low === high ? shown : `${shown} (${low}–${high})`;
};

console.log('');
if (runs > 1) console.log(`Medians of ${runs} runs (range in brackets):`);
console.log(
  '| server | sequential calls/s | p50 ms | p99 ms | concurrent (10) calls/s | server CPU ms/call | of it, other threads |',
);
console.log('|---|---|---|---|---|---|---|');
for (const row of chosen) {
  if (!summary.has(row.name)) {
    console.log(`| ${row.label} | FAILED | | | | | |`);
    continue;
  }
  console.log(`| ${row.label} | ${keys.map((key) => cell(row.name, key)).join(' | ')} |`);
}
console.log(
  'p50/p99: latency of one call in the sequential phase; server CPU: user + system time of the server process (all its threads) per timed call, from /proc; other threads: the part outside the main thread (V8’s optimizing compiler, GC helpers).',
);

const cadre = summary.get('cadre-psql');
const peer = summary.get('server-postgres');
const base = summary.get('cadre-base');
if (cadre && base) {
  console.log('');
  console.log('cadre against the base build:');
  for (const [mode, key] of [
    ['sequential', 'sequentialCallsPerSecond'],
    ['concurrency 10', 'concurrentCallsPerSecond'],
  ]) {
    console.log(
      `- ${mode}: ${perSecond(cadre[key])} / ${perSecond(base[key])} calls/s = ${(cadre[key] / base[key]).toFixed(2)}×`,
    );
  }
  if (peer) {
    for (const [mode, key] of [
      ['sequential', 'sequentialCallsPerSecond'],
      ['concurrency 10', 'concurrentCallsPerSecond'],
    ]) {
      console.log(
        `- the base build against the peer, ${mode}: ${(base[key] / peer[key]).toFixed(2)}×`,
      );
    }
  }
}
if (cadre && peer) {
  const verdict = (ratio) => (ratio >= GOAL ? 'PASS' : 'FAIL');
  console.log('');
  console.log(`cadre's goal: at least ${GOAL}× the peer's calls/s (reported, not asserted):`);
  for (const [mode, key] of [
    ['sequential', 'sequentialCallsPerSecond'],
    ['concurrency 10', 'concurrentCallsPerSecond'],
  ]) {
    const ratio = cadre[key] / peer[key];
    console.log(
      `- ${mode}: ${perSecond(cadre[key])} / ${perSecond(peer[key])} calls/s = ${ratio.toFixed(2)}×: ${verdict(ratio)}`,
    );
  }
}

const bound = summary.get('sdk-pg-floor');
if (bound && peer) {
  console.log('');
  console.log(
    'the bound: a server doing only the SDK’s part and one round trip (sdk-pg-floor) against the peer:',
  );
  for (const [mode, key] of [
    ['sequential', 'sequentialCallsPerSecond'],
    ['concurrency 10', 'concurrentCallsPerSecond'],
  ]) {
    const line = `- ${mode}: ${perSecond(bound[key])} / ${perSecond(peer[key])} calls/s = ${(bound[key] / peer[key]).toFixed(2)}×`;
    console.log(
      cadre
        ? `${line}; cadre reaches ${((cadre[key] / bound[key]) * 100).toFixed(0)}% of it`
        : line,
    );
  }
}

if (failures.length > 0) {
  console.error(`\nfailed (an error result, a wrong value or a crash): ${[...new Set(failures)]}`);
  process.exit(1);
}
