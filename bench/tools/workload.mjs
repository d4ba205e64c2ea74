// The tools benchmark's protocol, shared by both rows: start an MCP server over stdio with the
// SDK's Client + StdioClientTransport (not timed: spawn, initialize, listTools), then
//
//   warm-up       200 `query { sql: 'SELECT 1' }` calls, checked, not timed (BENCH_TOOLS_WARMUP
//                 sets another count: the driver's --warmup);
//   (a) sequential  2,000 calls one after another: calls/s, median and p99 latency per call;
//   (b) concurrent  10 callers, each calling in a loop until 4,000 calls in total: calls/s.
//
// Every result is checked: not an error, and its single row holds the number 1 (each row says
// how it reads that from its server's result). A failed call is counted, not thrown, so one
// failure does not hide the rest; the runner exits 1 when any call failed.
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  StdioClientTransport,
  getDefaultEnvironment,
} from '@modelcontextprotocol/sdk/client/stdio.js';

/** The database both servers use, unless BENCH_PG_URL says otherwise. */
export const defaultUrl = 'postgres://postgres@127.0.0.1:5432/test';

/** Untimed calls before the timed phases: 200, or BENCH_TOOLS_WARMUP (a whole number). */
export const WARMUP_CALLS = /^\d+$/.test(process.env.BENCH_TOOLS_WARMUP ?? '')
  ? Number(process.env.BENCH_TOOLS_WARMUP)
  : 200;
export const SEQUENTIAL_CALLS = 2000;
export const CONCURRENT_CALLERS = 10;
export const CONCURRENT_CALLS = 4000;

const SQL = 'SELECT 1';

/** The connection URL: BENCH_PG_URL, or the default test database. */
export function databaseUrl() {
  return process.env.BENCH_PG_URL || defaultUrl;
}

/** The environment of a server process: the SDK's safe default set plus `extra`. */
export function serverEnvironment(extra = {}) {
  return { ...getDefaultEnvironment(), ...extra };
}

/**
 * Node flags that profile a server: `--cpu-prof` writes the profile when the process exits, and
 * a server that does not exit by itself when its stdin closes is ended by the SDK with SIGTERM,
 * so SIGTERM is turned into a normal exit.
 */
export function profileFlags(profileDir) {
  if (!profileDir) return [];
  const onTerm = "process.on('SIGTERM', () => process.exit(0));";
  return [
    '--cpu-prof',
    `--cpu-prof-dir=${profileDir}`,
    '--import',
    `data:text/javascript,${encodeURIComponent(onTerm)}`,
  ];
}

/** CPU time (user + system) in ms from a /proc stat file; undefined where it is missing. */
function statCpuMs(path) {
  try {
    // Fields after the command's closing parenthesis: state is field 3, utime 14, stime 15.
    const stat = readFileSync(path, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/**
 * CPU time a process has used so far, in ms: all its threads, and its main thread alone (the
 * JavaScript; the other threads are V8's optimizing compiler and GC helpers, and libuv's pool).
 */
function cpuMs(pid) {
  return { all: statCpuMs(`/proc/${pid}/stat`), main: statCpuMs(`/proc/${pid}/task/${pid}/stat`) };
}

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

/**
 * Runs the protocol against one server.
 * - `command`, `args`, `env`: how to start it (stdio);
 * - `readOne(result)`: the value of the single cell of a `SELECT 1` result, or throws why not.
 * Returns the figures and the failures (at most 5 kept verbatim, all counted).
 */
export async function runProtocol({ name, command, args, env, readOne }) {
  const transport = new StdioClientTransport({ command, args, env, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const client = new Client({ name: `bench-tools-${name}`, version: '0.0.0' });
  await client.connect(transport);
  const { tools } = await client.listTools();
  if (!tools.some((tool) => tool.name === 'query')) {
    throw new Error(`${name}: no query tool (tools: ${tools.map((t) => t.name).join(', ')})`);
  }

  let failures = 0;
  const failureSamples = [];
  const fail = (why) => {
    failures += 1;
    if (failureSamples.length < 5) failureSamples.push(why);
  };
  /** One checked call; returns its latency in ms. */
  const call = async () => {
    const started = performance.now();
    try {
      const result = await client.callTool({ name: 'query', arguments: { sql: SQL } });
      const elapsed = performance.now() - started;
      if (result.isError) {
        fail(`error result: ${JSON.stringify(result.content)}`);
      } else {
        const value = readOne(result);
        if (value !== 1) fail(`expected 1, got ${JSON.stringify(value)}`);
      }
      return elapsed;
    } catch (error) {
      fail(`call failed: ${error instanceof Error ? error.message : String(error)}`);
      return performance.now() - started;
    }
  };

  for (let i = 0; i < WARMUP_CALLS; i += 1) await call();
  const serverCpuBefore = cpuMs(transport.pid);

  // (a) sequential
  const latencies = new Float64Array(SEQUENTIAL_CALLS);
  const sequentialStarted = performance.now();
  for (let i = 0; i < SEQUENTIAL_CALLS; i += 1) latencies[i] = await call();
  const sequentialMs = performance.now() - sequentialStarted;
  // BENCH_TOOLS_LATENCIES=file keeps each sequential call's latency (ms, in call order) as JSON.
  if (process.env.BENCH_TOOLS_LATENCIES) {
    writeFileSync(process.env.BENCH_TOOLS_LATENCIES, JSON.stringify([...latencies]));
  }
  const sorted = [...latencies].sort((a, b) => a - b);

  // (b) concurrency 10: each caller takes the next call number until the total is reached.
  let issued = 0;
  const caller = async () => {
    while (issued < CONCURRENT_CALLS) {
      issued += 1;
      await call();
    }
  };
  const concurrentStarted = performance.now();
  await Promise.all(Array.from({ length: CONCURRENT_CALLERS }, caller));
  const concurrentMs = performance.now() - concurrentStarted;
  const serverCpuAfter = cpuMs(transport.pid);
  const timedCalls = SEQUENTIAL_CALLS + issued;
  const perCall = (key) =>
    serverCpuBefore[key] === undefined || serverCpuAfter[key] === undefined
      ? undefined
      : (serverCpuAfter[key] - serverCpuBefore[key]) / timedCalls;

  await client.close();
  return {
    name,
    sequentialCallsPerSecond: (SEQUENTIAL_CALLS * 1000) / sequentialMs,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    concurrentCallsPerSecond: (issued * 1000) / concurrentMs,
    // The server process's CPU time per timed call (sequential and concurrent phases): all
    // threads, and the part of it spent outside the main thread (mostly V8's optimizing compiler).
    serverCpuMsPerCall: perCall('all'),
    serverOtherThreadsMsPerCall:
      perCall('all') === undefined || perCall('main') === undefined
        ? undefined
        : perCall('all') - perCall('main'),
    warmupCalls: WARMUP_CALLS,
    calls: WARMUP_CALLS + SEQUENTIAL_CALLS + issued,
    failures,
    failureSamples,
    stderr: failures > 0 ? stderr : undefined,
  };
}

/** Runs the protocol and prints `RESULT {json}`; exits 1 when any call failed or it crashed. */
export async function main(options) {
  try {
    const result = await runProtocol(options);
    process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
    if (result.failures > 0) {
      process.stderr.write(
        `${options.name}: ${result.failures} of ${result.calls} calls failed, e.g.\n  ${result.failureSamples.join('\n  ')}\n`,
      );
      process.exitCode = 1;
    }
  } catch (error) {
    process.stderr.write(`${options.name}: ${error instanceof Error ? error.stack : error}\n`);
    process.exitCode = 1;
  }
}
