// Escalation timers on start: how long `rearm` takes for 10,000 open deadlines, and the heap
// they hold. A benchmark, not a test: it prints numbers and checks only that every timer was
// either fired (past due) or armed.
//
//   npm run build && node --expose-gc bench/escalation-timers.mjs [--timers N] [--runs N]
//
// A tenth of the deadlines are already past due (they fire during `rearm`, as on a restart
// after downtime); the rest are spread over the next 40 days, so some are beyond setTimeout's
// 24.8-day limit. The goal of issue 5: 10,000 re-armed in under a second.
import console from 'node:console';
import { existsSync } from 'node:fs';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const timersFile = new URL('../dist/src/escalation/timers.js', import.meta.url);
if (!existsSync(timersFile)) {
  console.error(
    `cadre is not built: ${fileURLToPath(timersFile)} is missing. Run \`npm run build\` first.`,
  );
  process.exit(1);
}
const { createTimers } = await import(timersFile.href);

const option = (name, fallback) => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
};
const count = option('--timers', 10_000);
const runs = option('--runs', 5);
const day = 24 * 60 * 60_000;
const gc = typeof globalThis.gc === 'function' ? globalThis.gc : undefined;
const heapUsed = () => {
  gc?.();
  return process.memoryUsage().heapUsed;
};

/** Deadlines as the store would hand them back: ids like message ids, a tenth past due. */
const deadlines = (now) =>
  Array.from({ length: count }, (_, index) => ({
    id: `run-${index % 50}/message-${index.toString(36).padStart(8, '0')}`,
    dueAt: index % 10 === 0 ? now - (index + 1) * 1000 : now + 1 + ((index * 7919) % (40 * day)),
  }));

const results = [];
for (let run = 0; run < runs; run += 1) {
  const now = Date.now();
  const list = deadlines(now);
  const before = heapUsed();
  let fired = 0;
  const timers = createTimers({ now: () => now });
  const started = performance.now();
  timers.rearm(list, () => {
    fired += 1;
  });
  const elapsed = performance.now() - started;
  const pending = timers.pending().length;
  const held = heapUsed() - before;
  if (fired + pending !== count) {
    console.error(`run ${run + 1}: ${fired} fired + ${pending} pending is not ${count}`);
    process.exit(1);
  }
  results.push({ elapsed, held, fired, pending });
  timers.close();
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = median(results.map((result) => result.elapsed));
const bytes = median(results.map((result) => result.held));
console.log(
  `escalation timers: rearm ${count} (${results[0].fired} past due, ${results[0].pending} armed)`,
);
console.log(
  `  rearm time     ${ms.toFixed(1)} ms (median of ${runs}; each run: ${results.map((r) => r.elapsed.toFixed(1)).join(', ')})`,
);
console.log(
  `  heap held      ${(bytes / 1024 / 1024).toFixed(2)} MB (${Math.round(bytes / results[0].pending)} bytes per armed timer${gc ? '' : '; run with --expose-gc for a steadier figure'})`,
);
console.log(`  goal           under 1000 ms: ${ms < 1000 ? 'met' : 'NOT met'}`);
