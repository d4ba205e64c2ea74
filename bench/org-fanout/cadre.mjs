// Row "cadre": the repository's compiled runtime (dist/, built by `npm run build` at the root)
// through its `cadre/runtime` entry (the runtime without the YAML loader and zod: the org is
// built in code here), with its in-memory bus and store, a fake model implementing cadre's
// `Model` interface (as the peers' rows implement theirs) and a ToolHost whose only tool is the
// leaves' `probe`. Non-leaves delegate with cadre's own `delegate_task` tool.
//
// Agent ids in cadre are kebab-case, so the spec's names map to ids (R → r, C1 → c1,
// C1_L1 → c1-l1); the fake model maps the id back and decides with the spec's name, so a
// leaf's final text is exactly "C1_L1:ok". The tool results are taken verbatim as cadre gives
// them to the model: a delegate's answer comes back as "Answer from c1-l1: C1_L1:ok", so the
// root's final text is the chiefs' texts joined with " | ", each holding its leaves' answers
// with that prefix. The check is the spec's, unchanged: each "Ci_Lj:ok" once, "ok" 9 times
// (no id or prefix contains "ok").
import console from 'node:console';
import { existsSync } from 'node:fs';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';
import {
  AGENTS,
  CHILDREN,
  ROOT,
  counters,
  decide,
  isLeaf,
  modelLatency,
  probe,
} from './workload.mjs';
import { runProtocol } from './workload.mjs';

const entry = new URL('../../dist/src/runtime-entry.js', import.meta.url);
if (!existsSync(entry)) {
  console.error(
    `cadre is not built: ${fileURLToPath(entry)} is missing. ` +
      'Run `npm run build` at the repository root first (or `npm run bench:org-fanout`).',
  );
  process.exit(1);
}
const { createMemoryBus, createMemoryStore, createRuntime } = await import(entry.href);

/** Spec name → cadre id (R → r, C1 → c1, C1_L1 → c1-l1), and back. */
const idOf = (name) => name.toLowerCase().replace('_', '-');
const nameOf = new Map(AGENTS.map((name) => [idOf(name), name]));

const roles = { 0: 'ceo', 1: 'chief', 2: 'domain' };
const depth = (name) => (name === ROOT ? 0 : isLeaf(name) ? 2 : 1);
const managerOf = new Map(
  Object.entries(CHILDREN).flatMap(([parent, kids]) => kids.map((kid) => [kid, parent])),
);

/** The 13-agent org of the spec, built in code (no YAML): generous limits so no guard trips. */
const org = {
  name: 'org-fanout',
  title: 'org-fanout benchmark',
  root: idOf(ROOT),
  dir: fileURLToPath(new URL('.', import.meta.url)),
  defaults: { limits: { max_turns: 1000, max_hops: 1000 } },
  targets: {},
  mcp_servers: {},
  agents: AGENTS.map((name) => ({
    id: idOf(name),
    name,
    role: roles[depth(name)],
    reports_to: managerOf.has(name) ? idOf(managerOf.get(name)) : null,
    peers: [],
    description: `Agent ${name} of the org-fanout benchmark.`,
    prompt: `You are ${name}.`,
    tools: [],
    external_tools: [],
    metrics: [],
    limits: {},
    source: { file: 'bench/org-fanout/cadre.mjs', format: 'yaml' },
  })),
  rule_sets: {},
  rule_set_files: {},
};

/** The text of every tool result in a request's conversation, in order. */
function toolResultsOf(request) {
  const results = [];
  for (const message of request.messages) {
    if (typeof message.content === 'string') continue;
    for (const block of message.content)
      if (block.type === 'tool_result') results.push(block.content);
  }
  return results;
}

const usage = {
  input_tokens: 1,
  output_tokens: 1,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
};
let toolUseIds = 0;
/** cadre's `Model` interface: latency, then the tool results of the conversation, then the decision. */
const model = {
  name: 'org-fanout',
  async turn(request) {
    await modelLatency();
    const turn = decide(nameOf.get(request.agent), toolResultsOf(request));
    const toolUse = (name, input) => ({
      type: 'tool_use',
      id: `toolu_${(toolUseIds += 1)}`,
      name,
      input,
    });
    const content =
      turn.type === 'final'
        ? [{ type: 'text', text: turn.text }]
        : turn.type === 'probe'
          ? [toolUse('probe', {})]
          : turn.calls.map(({ child, input }) =>
              toolUse('delegate_task', { to: idOf(child), task: input }),
            );
    return {
      content,
      stopReason: turn.type === 'final' ? 'end_turn' : 'tool_use',
      usage,
      model: request.model,
      latencyMs: 0,
      costUsd: 0,
      attempts: 1,
    };
  },
};

/** Probes per run, as the tool host saw them. */
const probesByRun = new Map();
const probeTool = {
  name: 'probe',
  description: 'Probes the system; answers "ok".',
  input_schema: { type: 'object', properties: {}, additionalProperties: false },
};
/** A ToolHost whose only tool is `probe`, for leaves. */
const toolHost = {
  toolsFor: (agent) => (isLeaf(nameOf.get(agent.id)) ? [probeTool] : []),
  async call(name, _input, context) {
    if (name !== 'probe') return { content: `no tool ${name}`, isError: true };
    probesByRun.set(context.runId, (probesByRun.get(context.runId) ?? 0) + 1);
    return { content: probe(), isError: false };
  },
  async close() {},
};

const runtime = createRuntime({
  org,
  model,
  bus: createMemoryBus(),
  store: createMemoryStore(),
  toolHost,
  maxConcurrentModelCalls: 1000,
});

/** Reads a run's events (the normal way to watch a run) and counts what the spec checks. */
async function countEvents(events) {
  const seen = { modelCalls: 0, delegateCalls: 0, delegations: 0, probeCalls: 0, problems: [] };
  for await (const event of events) {
    if (event.type === 'model-call-end') seen.modelCalls += 1;
    else if (event.type === 'tool-call-start') {
      if (event.tool === 'delegate_task') seen.delegateCalls += 1;
      else if (event.tool === 'probe') seen.probeCalls += 1;
    } else if (event.type === 'session-start' && event.asker !== '@user') seen.delegations += 1;
    else if (event.type === 'tool-call-end' && event.isError)
      seen.problems.push(`tool ${event.tool} failed: ${event.output}`);
    else if (
      event.type === 'guard-tripped' ||
      event.type === 'model-call-error' ||
      event.type === 'escalation-raised'
    )
      seen.problems.push(`${event.type}: ${JSON.stringify(event)}`);
  }
  return seen;
}

await runProtocol('cadre', async (index) => {
  const handle = runtime.run(`task ${index}`);
  const [result, seen] = await Promise.all([handle.result, countEvents(handle.events)]);
  // A delegation is a task a child agent received and started a session on.
  counters.delegations += seen.delegations;
  const probes = probesByRun.get(handle.runId) ?? 0;
  probesByRun.delete(handle.runId);
  const expected = { modelCalls: 26, delegateCalls: 12, delegations: 12, probeCalls: 9 };
  const wrong = Object.entries(expected)
    .filter(([key, value]) => seen[key] !== value)
    .map(([key, value]) => `${seen[key]} ${key} events, expected ${value}`);
  if (result.totals.modelCalls !== 26)
    wrong.push(`totals.modelCalls ${result.totals.modelCalls}, expected 26`);
  if (probes !== 9) wrong.push(`${probes} probes on the tool host, expected 9`);
  if (result.status !== 'completed') wrong.push(`run ${result.status}: ${result.error}`);
  return {
    text: result.answer,
    problem: [...wrong, ...seen.problems].join('; ') || undefined,
  };
});
await runtime.close();
