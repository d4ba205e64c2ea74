// The org-fanout workload and protocol of shared/bench/org-fanout.md, shared by every runner:
// the 13-agent tree, the fake model's decision, its latency, the correctness check, and the
// timed phases (a)–(d). A runner supplies only `runTask`, which runs one task on its framework.
import console from 'node:console';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';

/** The root agent. */
export const ROOT = 'R';
/** Each non-leaf agent's children, in order. */
export const CHILDREN = { R: ['C1', 'C2', 'C3'] };
for (const chief of CHILDREN.R) CHILDREN[chief] = [1, 2, 3].map((j) => `${chief}_L${j}`);
/** The 9 leaves. */
export const LEAVES = CHILDREN.R.flatMap((chief) => CHILDREN[chief]);
/** All 13 agents: root, chiefs, leaves. */
export const AGENTS = [ROOT, ...CHILDREN.R, ...LEAVES];

export const isLeaf = (agent) => CHILDREN[agent] === undefined;

/** Per task: 26 model calls, 12 delegations, 9 probes. */
export const PER_TASK = { modelCalls: 26, delegations: 12, probes: 9 };

/** What every runner counts, over the process's life. */
export const counters = { modelCalls: 0, delegations: 0, probes: 0 };

/** The fake model's latency in ms; the protocol switches it from 0 to 50 for phase (c). */
const latency = { ms: 0 };
const settled = Promise.resolve();

/**
 * Step 1 of a fake model call: L > 0 waits a timer of L ms; L = 0 uses no timer at all, the
 * caller awaits an already settled promise (setTimeout(0) is clamped to ~1 ms in Node).
 */
export function modelLatency() {
  return latency.ms > 0 ? sleep(latency.ms) : settled;
}

/**
 * Step 3 of a fake model call: the decision from the agent's identity and the text of the
 * tool results in its conversation, in order. Counts the call.
 * - `{ type: 'delegate', calls: [{ child, input }] }`: one turn, one tool call per child;
 * - `{ type: 'probe' }`: one call of `probe` with `{}`;
 * - `{ type: 'final', text }`: the agent's answer.
 */
export function decide(agent, toolResults) {
  counters.modelCalls += 1;
  if (toolResults.length === 0) {
    if (isLeaf(agent)) return { type: 'probe' };
    return {
      type: 'delegate',
      calls: CHILDREN[agent].map((child) => ({ child, input: `task for ${child}` })),
    };
  }
  if (isLeaf(agent)) return { type: 'final', text: `${agent}:${toolResults.join('')}` };
  return { type: 'final', text: toolResults.join(' | ') };
}

/** The `probe` tool of a leaf: no arguments, answers "ok". Counts the call. */
export function probe() {
  counters.probes += 1;
  return 'ok';
}

function occurrences(text, part) {
  let count = 0;
  for (let at = text.indexOf(part); at !== -1; at = text.indexOf(part, at + part.length))
    count += 1;
  return count;
}

/** The spec's check of the root's final text; returns what is wrong, or undefined. */
export function checkAnswer(text) {
  if (typeof text !== 'string') return `the root's final text is not a string: ${String(text)}`;
  for (const leaf of LEAVES) {
    const found = occurrences(text, `${leaf}:ok`);
    if (found !== 1) return `"${leaf}:ok" occurs ${found} times (expected 1) in: ${text}`;
  }
  const oks = occurrences(text, 'ok');
  if (oks !== 9) return `"ok" occurs ${oks} times (expected 9) in: ${text}`;
  return undefined;
}

function snapshot() {
  return { ...counters };
}

function checkCounters(before, tasks, label) {
  for (const key of Object.keys(PER_TASK)) {
    const got = counters[key] - before[key];
    if (got !== PER_TASK[key] * tasks)
      fail(`${label}: ${got} ${key} for ${tasks} task(s), expected ${PER_TASK[key] * tasks}`);
  }
}

function fail(message) {
  console.error(`CORRECTNESS FAILURE: ${message}`);
  process.exit(1);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Runs the protocol on one runtime and prints its figures as one `RESULT {json}` line on stdout.
 * `runTask(index)` runs one task and resolves with `{ text, problem? }`: the root's final text and,
 * if the runner checks more of its own (events, guards), what it found wrong.
 */
export async function runProtocol(name, runTask) {
  let next = 0;
  const checked = (result, label) => {
    const problem = result.problem ?? checkAnswer(result.text);
    if (problem) fail(`${name} ${label}: ${problem}`);
  };
  const sequential = async (label, count) => {
    const times = [];
    for (let i = 0; i < count; i += 1) {
      const before = snapshot();
      const started = performance.now();
      const result = await runTask(next++);
      times.push(performance.now() - started);
      checked(result, `${label} task ${i}`);
      checkCounters(before, 1, `${name} ${label} task ${i}`);
    }
    return times;
  };

  // (a) L=0 sequential: 20 warm-up tasks, then 200.
  await sequential('warm-up', 20);
  const l0 = median(await sequential('(a) L=0 sequential', 200));

  // (b) L=0 concurrent: 20 tasks at once, 10 repetitions.
  const rates = [];
  for (let rep = 0; rep < 10; rep += 1) {
    const before = snapshot();
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 20 }, () => runTask(next++)));
    const elapsed = performance.now() - started;
    rates.push(20 / (elapsed / 1000));
    results.forEach((result, i) => checked(result, `(b) repetition ${rep} task ${i}`));
    checkCounters(before, 20, `${name} (b) repetition ${rep}`);
  }

  // (c) L=50 sequential: 10 tasks.
  latency.ms = 50;
  const l50 = median(await sequential('(c) L=50 sequential', 10));
  latency.ms = 0;

  // (d) peak RSS over the whole process (maxRSS is in KB).
  const peakRssMb = process.resourceUsage().maxRSS / 1024;

  const result = {
    name,
    l0MsPerTask: l0,
    overheadMsPerModelCall: l0 / PER_TASK.modelCalls,
    concurrentTasksPerSecond: median(rates),
    l50MsPerTask: l50,
    peakRssMb,
    tasks: next,
  };
  console.log(`RESULT ${JSON.stringify(result)}`);
  return result;
}
