// Row "@openai/agents-core": the OpenAI Agents SDK for JS in its normal style, "agents as
// tools": each child agent is exposed to its parent with `agent.asTool(...)` (one tool per
// child, named after it); leaves have a `probe` function tool. The fake model is an
// implementation of the SDK's Model interface, one instance per agent (it knows whom it serves).
// Tracing is off (OPENAI_AGENTS_DISABLE_TRACING=1 before import, and setTracingDisabled(true)).
import process from 'node:process';
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

process.env.OPENAI_AGENTS_DISABLE_TRACING = '1';
const { Agent, Usage, run, setTracingDisabled, tool } = await import('@openai/agents-core');
const { z } = await import('zod');
setTracingDisabled(true);

let callIds = 0;

/** The text of a function call result's output, whatever shape the SDK gave it. */
function outputText(output) {
  if (typeof output === 'string') return output;
  if (Array.isArray(output)) return output.map(outputText).join('');
  return output?.text ?? '';
}

/** The fake model as an SDK Model: latency, the tool results of the input, the decision. */
class FakeModel {
  constructor(agent) {
    this.agent = agent;
  }

  async getResponse(request) {
    await modelLatency();
    const items = typeof request.input === 'string' ? [] : request.input;
    const toolResults = items
      .filter((item) => item.type === 'function_call_result')
      .map((item) => outputText(item.output));
    const turn = decide(this.agent, toolResults);
    const call = (name, args) => ({
      type: 'function_call',
      callId: `call_${(callIds += 1)}`,
      name,
      arguments: JSON.stringify(args),
      status: 'completed',
    });
    const output =
      turn.type === 'final'
        ? [
            {
              type: 'message',
              role: 'assistant',
              status: 'completed',
              content: [{ type: 'output_text', text: turn.text }],
            },
          ]
        : turn.type === 'probe'
          ? [call('probe', {})]
          : turn.calls.map(({ child, input }) => call(child, { input }));
    return { usage: new Usage({ requests: 1, inputTokens: 1, outputTokens: 1 }), output };
  }

  // eslint-disable-next-line require-yield
  async *getStreamedResponse() {
    throw new Error('the org-fanout fake model does not stream');
  }
}

const probeTool = tool({
  name: 'probe',
  description: 'Probes the system; answers "ok".',
  parameters: z.object({}),
  execute: async () => probe(),
});

/** Builds the tree bottom-up: leaves with `probe`, then chiefs and root with their children as tools. */
const agents = new Map();
for (const name of [...AGENTS].reverse()) {
  const tools = isLeaf(name)
    ? [probeTool]
    : CHILDREN[name].map((child) =>
        agents.get(child).asTool({
          toolName: child,
          toolDescription: `Hand a task to ${child}; returns its answer.`,
        }),
      );
  const agent = new Agent({
    name,
    instructions: `You are ${name}.`,
    model: new FakeModel(name),
    tools,
  });
  // A delegation is a child agent actually started as a tool of its parent.
  if (name !== ROOT) agent.on('agent_start', () => (counters.delegations += 1));
  agents.set(name, agent);
}
const root = agents.get(ROOT);

await runProtocol('openai-agents', async (index) => {
  const result = await run(root, `task ${index}`);
  return { text: result.finalOutput };
});
