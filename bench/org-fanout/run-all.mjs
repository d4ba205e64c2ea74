// The org-fanout driver: runs each runner in its own fresh `node` process, one after another,
// prints the table of shared/bench/org-fanout.md and cadre's ratios against the best peer.
// Exits 1 if a runner fails its correctness checks (or crashes); the goals are reported only.
//
//   node bench/org-fanout/run-all.mjs [--runs N] [runner ...]
//
// Runners: baseline cadre openai-agents langgraph (all by default). With --runs N (default 1)
// the whole set runs N times, interleaved, and the table gives each figure's median over the
// runs (and its range).
import { spawnSync } from 'node:child_process';
import console from 'node:console';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';

const here = new URL('.', import.meta.url);
const bench = new URL('../', here);
const version = (path) => JSON.parse(readFileSync(new URL(path, bench), 'utf8')).version;
const packageVersion = (name) => {
  try {
    return version(`node_modules/${name}/package.json`);
  } catch {
    return '?';
  }
};

const runners = [
  { name: 'baseline', label: 'bare Promise.all baseline', peer: false },
  {
    name: 'cadre',
    label: `cadre ${version('../package.json')} (dist/; memory bus + memory store)`,
    peer: false,
  },
  {
    name: 'openai-agents',
    label: `@openai/agents-core ${packageVersion('@openai/agents-core')}`,
    peer: true,
  },
  {
    name: 'langgraph',
    label: `@langchain/langgraph ${packageVersion('@langchain/langgraph')}`,
    peer: true,
  },
];

const args = process.argv.slice(2);
let runs = 1;
const wanted = [];
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === '--runs') runs = Number(args[(i += 1)]);
  else if (args[i].startsWith('--runs=')) runs = Number(args[i].slice('--runs='.length));
  else wanted.push(args[i]);
}
if (!Number.isInteger(runs) || runs < 1) {
  console.error('--runs takes a whole number of at least 1');
  process.exit(2);
}
const unknown = wanted.filter((name) => !runners.some((runner) => runner.name === name));
if (unknown.length > 0) {
  console.error(
    `unknown runner(s): ${unknown.join(', ')}; choose from ${runners.map((r) => r.name).join(', ')}`,
  );
  process.exit(2);
}
const chosen = wanted.length > 0 ? runners.filter((r) => wanted.includes(r.name)) : runners;

if (chosen.some((runner) => runner.peer) && !existsSync(new URL('node_modules/', bench))) {
  console.error('bench/node_modules is missing: run `npm --prefix bench ci` first.');
  process.exit(1);
}

// Same Node for every row, no TS loader, no tracing.
const env = Object.fromEntries(
  Object.entries(process.env).filter(
    ([key]) => key !== 'NODE_OPTIONS' && !/^(LANGCHAIN|LANGSMITH)_/.test(key),
  ),
);
env.OPENAI_AGENTS_DISABLE_TRACING = '1';

const memory = `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB memory`;
const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
console.log(
  `org-fanout on node ${process.version}, ${os.availableParallelism()} cores (${cpu}), ${memory}; ${runs} run(s)`,
);

/** Each runner's results, one per run that passed. */
const results = new Map(chosen.map((runner) => [runner.name, []]));
const failures = [];
for (let run = 1; run <= runs; run += 1) {
  for (const runner of chosen) {
    const file = fileURLToPath(new URL(`${runner.name}.mjs`, here));
    process.stdout.write(`${runs > 1 ? `run ${run}: ` : ''}${runner.name} ... `);
    const started = Date.now();
    const child = spawnSync(process.execPath, [file], {
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
      failures.push(runner.name);
      console.error(`${runner.name} failed (${why}):\n${child.stderr}${child.stdout}`);
      continue;
    }
    results.get(runner.name).push(JSON.parse(line.slice('RESULT '.length)));
    console.log(`ok, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const keys = [
  'l0MsPerTask',
  'overheadMsPerModelCall',
  'concurrentTasksPerSecond',
  'l50MsPerTask',
  'peakRssMb',
];
/** The median of each figure over a runner's runs, or undefined when none passed. */
const summary = new Map();
for (const [name, list] of results) {
  if (list.length > 0)
    summary.set(
      name,
      Object.fromEntries(keys.map((key) => [key, median(list.map((r) => r[key]))])),
    );
}

const fixed = (value, digits) => value.toFixed(digits);
const formats = {
  l0MsPerTask: (value) => (value < 10 ? fixed(value, 3) : fixed(value, 1)),
  overheadMsPerModelCall: (value) => (value < 0.01 ? fixed(value, 4) : fixed(value, 3)),
  concurrentTasksPerSecond: (value) => Math.round(value).toLocaleString('en-US'),
  l50MsPerTask: (value) => fixed(value, 1),
  peakRssMb: (value) => fixed(value, 0),
};
const cell = (name, key) => {
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
  '| runtime | L=0 ms/task | overhead ms/model call | concurrent tasks/s | L=50 ms/task | peak RSS MB |',
);
console.log('|---|---|---|---|---|---|');
for (const runner of chosen) {
  if (!summary.has(runner.name)) {
    console.log(`| ${runner.label} | FAILED | | | | |`);
    continue;
  }
  console.log(`| ${runner.label} | ${keys.map((key) => cell(runner.name, key)).join(' | ')} |`);
}

const cadre = summary.get('cadre');
const peers = runners.filter((runner) => runner.peer && summary.has(runner.name));
if (cadre && peers.length > 0) {
  const best = (key, pick) =>
    peers
      .map((runner) => ({ runner, value: summary.get(runner.name)[key] }))
      .sort((a, b) => (pick === 'min' ? a.value - b.value : b.value - a.value))[0];
  const verdict = (pass) => (pass ? 'PASS' : 'FAIL');
  const f = formats;
  const overhead = best('overheadMsPerModelCall', 'min');
  const concurrent = best('concurrentTasksPerSecond', 'max');
  const rss = best('peakRssMb', 'min');
  const overheadRatio = cadre.overheadMsPerModelCall / overhead.value;
  const concurrentRatio = cadre.concurrentTasksPerSecond / concurrent.value;
  const l50Excess = cadre.l50MsPerTask / 300 - 1;
  const rssRatio = cadre.peakRssMb / rss.value;
  console.log('');
  console.log("cadre's goals against the best peer (reported, not asserted):");
  console.log(
    `- overhead per model call ${f.overheadMsPerModelCall(cadre.overheadMsPerModelCall)} ms = ${fixed(overheadRatio, 3)} × ${overhead.runner.label}'s ${f.overheadMsPerModelCall(overhead.value)} ms (goal ≤ 0.2×): ${verdict(overheadRatio <= 0.2)}`,
  );
  console.log(
    `- concurrent ${f.concurrentTasksPerSecond(cadre.concurrentTasksPerSecond)} tasks/s = ${fixed(concurrentRatio, 2)} × ${concurrent.runner.label}'s ${f.concurrentTasksPerSecond(concurrent.value)} (goal ≥ 5×): ${verdict(concurrentRatio >= 5)}`,
  );
  console.log(
    `- L=50 ${f.l50MsPerTask(cadre.l50MsPerTask)} ms/task = ${l50Excess >= 0 ? '+' : ''}${fixed(l50Excess * 100, 2)}% over the 300 ms ideal (goal ≤ +2%, 306 ms): ${verdict(cadre.l50MsPerTask <= 306)}`,
  );
  console.log(
    `- peak RSS ${f.peakRssMb(cadre.peakRssMb)} MB = ${fixed(rssRatio, 2)} × ${rss.runner.label}'s ${f.peakRssMb(rss.value)} MB (goal ≤ 0.5×): ${verdict(rssRatio <= 0.5)}`,
  );
}

if (failures.length > 0) {
  console.error(`\nfailed (a correctness check or a crash): ${[...new Set(failures)].join(', ')}`);
  process.exit(1);
}
