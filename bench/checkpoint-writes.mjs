// What durable checkpoints write as a session grows: one agent works N turns (each a tool call
// with a 2 KB result and 500 characters of its own text) on a durable SQLite store, through the
// real runtime. A benchmark, not a test: it prints figures and checks only that each run completed.
//
//   npm run bench:checkpoints       (builds cadre first)
//
// Two rows per N, in the same process and store kind:
// - append: the store as it is (a checkpoint writes the session's state and its new messages);
// - rewrite (baseline): the same checkpoints, each handed to the store with the whole
//   conversation from position 0, as checkpoints were written before schema 3.
// Figures: checkpoints, bytes of JSON handed to the store, and the run's wall time.
import console from 'node:console';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { URL } from 'node:url';

const dist = new URL('../dist/src/', import.meta.url);
if (!existsSync(new URL('runtime-entry.js', dist))) {
  console.error('cadre is not built: run `npm run build` at the repository root first.');
  process.exit(1);
}
const load = (path) => import(new URL(path, dist).href);
const { createRuntime, createMemoryBus } = await load('runtime-entry.js');
const { openSqliteStore } = await load('store-entry.js');

const agent = (id) => ({
  id,
  name: id,
  role: 'ceo',
  reports_to: null,
  peers: [],
  description: 'works alone',
  prompt: 'You work alone.',
  tools: [],
  external_tools: [],
  metrics: [],
  limits: {},
  source: { file: 'bench/checkpoint-writes.mjs', format: 'yaml' },
});
const org = {
  name: 'checkpoints',
  title: 'checkpoints',
  root: 'worker',
  dir: '.',
  defaults: { limits: { max_turns: 10_000 } },
  targets: {},
  mcp_servers: {},
  rule_sets: {},
  rule_set_files: {},
  agents: [agent('worker')],
};
const usage = {
  input_tokens: 1,
  output_tokens: 1,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
};
/** A model that calls `probe` until it has `turns` results, then answers. */
const modelFor = (turns) => ({
  name: 'bench',
  async turn(request) {
    const results = request.messages.flatMap((message) =>
      typeof message.content === 'string'
        ? []
        : message.content.filter((block) => block.type === 'tool_result'),
    );
    const done = results.length >= turns;
    const content = done
      ? [{ type: 'text', text: 'done' }]
      : [
          { type: 'text', text: 'x'.repeat(500) },
          { type: 'tool_use', id: `toolu_${results.length}`, name: 'probe', input: {} },
        ];
    return {
      content,
      stopReason: done ? 'end_turn' : 'tool_use',
      usage,
      model: request.model,
      latencyMs: 0,
      costUsd: 0,
      attempts: 1,
    };
  },
});
const toolHost = {
  toolsFor: () => [
    { name: 'probe', description: 'probes', input_schema: { type: 'object', properties: {} } },
  ],
  async call() {
    return { content: 'r'.repeat(2000), isError: false };
  },
  async close() {},
};

/** Runs N turns on a fresh SQLite store; `rewrite` hands every save the whole conversation. */
async function measure(turns, rewrite) {
  const folder = mkdtempSync(join(tmpdir(), 'cadre-bench-checkpoints-'));
  const store = await openSqliteStore(join(folder, 'state.db'));
  const conversations = new Map();
  let saves = 0;
  let bytes = 0;
  const save = store.saveSession.bind(store);
  store.saveSession = (record) => {
    const known = conversations.get(record.sessionId) ?? [];
    const whole = [...known.slice(0, record.messagesFrom ?? 0), ...(record.messages ?? [])];
    conversations.set(record.sessionId, whole);
    const given = rewrite ? { ...record, messages: whole, messagesFrom: 0 } : record;
    saves += 1;
    bytes += JSON.stringify(given.state).length + JSON.stringify(given.messages ?? []).length;
    return save(given);
  };
  const runtime = createRuntime({
    org,
    model: modelFor(turns),
    bus: createMemoryBus(),
    store,
    toolHost,
  });
  const started = performance.now();
  const result = await runtime.run('work').result;
  const wallMs = performance.now() - started;
  await runtime.close();
  await store.close();
  rmSync(folder, { recursive: true, force: true });
  if (result.status !== 'completed') {
    console.error(`run of ${turns} turns ended ${result.status}: ${result.error}`);
    process.exit(1);
  }
  return { saves, bytes, wallMs };
}

// Warm-up (not shown): the first runs in a process pay for loading and compiling.
await measure(10, false);
await measure(10, true);

const kb = (bytes) => `${Math.round(bytes / 1024).toLocaleString('en-US')} KB`;
console.log(`checkpoint writes on SQLite, node ${process.version}`);
console.log('');
console.log(
  '| turns | checkpoints | append: bytes | append: wall ms | rewrite: bytes | rewrite: wall ms |',
);
console.log('|---|---|---|---|---|---|');
for (const turns of [10, 40, 160]) {
  const append = await measure(turns, false);
  const rewrite = await measure(turns, true);
  console.log(
    `| ${turns} | ${append.saves} | ${kb(append.bytes)} | ${append.wallMs.toFixed(0)} | ${kb(rewrite.bytes)} | ${rewrite.wallMs.toFixed(0)} |`,
  );
}
