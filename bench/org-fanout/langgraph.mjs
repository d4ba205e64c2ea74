// Row "@langchain/langgraph": LangGraph.js in its normal style. Each agent is its own compiled
// StateGraph over MessagesAnnotation (a model node, a ToolNode, toolsCondition between them);
// its children are LangChain tools, one per child, that invoke the child's graph and return its
// last message; leaves have a `probe` tool. The fake model is a LangChain chat model
// (BaseChatModel) per agent, tools bound with bindTools. No checkpointer; tracing off (the
// LANGCHAIN_*/LANGSMITH_* variables are removed before import).
import { setMaxListeners } from 'node:events';
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

// LangGraph adds an abort listener per running task to the signal a nested graph inherits, so
// the fan-out passes Node's default of 10 listeners and Node prints a MaxListenersExceededWarning
// (with a stack) hundreds of times. Raise the default, as a user would, so the bench does not
// time the printing of warnings.
setMaxListeners(1000);
for (const key of Object.keys(process.env))
  if (/^(LANGCHAIN|LANGSMITH)_/.test(key)) Reflect.deleteProperty(process.env, key);

const { BaseChatModel } = await import('@langchain/core/language_models/chat_models');
const { AIMessage, HumanMessage, ToolMessage } = await import('@langchain/core/messages');
const { tool } = await import('@langchain/core/tools');
const { convertToOpenAITool } = await import('@langchain/core/utils/function_calling');
const { END, MessagesAnnotation, START, StateGraph } = await import('@langchain/langgraph');
const { ToolNode, toolsCondition } = await import('@langchain/langgraph/prebuilt');
const { z } = await import('zod');

let callIds = 0;

/** The text of a message's content, whatever shape LangChain gave it. */
function contentText(content) {
  if (typeof content === 'string') return content;
  return content.map((part) => (typeof part === 'string' ? part : (part.text ?? ''))).join('');
}

/** The fake model as a LangChain chat model: latency, the tool results, the decision. */
class FakeChatModel extends BaseChatModel {
  constructor(agent) {
    super({});
    this.agent = agent;
  }

  _llmType() {
    return 'org-fanout-fake';
  }

  bindTools(tools, kwargs) {
    return this.withConfig({ tools: tools.map((t) => convertToOpenAITool(t)), ...kwargs });
  }

  async _generate(messages) {
    await modelLatency();
    const toolResults = messages
      .filter((message) => ToolMessage.isInstance(message))
      .map((message) => contentText(message.content));
    const turn = decide(this.agent, toolResults);
    const call = (name, args) => ({ id: `call_${(callIds += 1)}`, name, args, type: 'tool_call' });
    const message =
      turn.type === 'final'
        ? new AIMessage({ content: turn.text })
        : new AIMessage({
            content: '',
            tool_calls:
              turn.type === 'probe'
                ? [call('probe', {})]
                : turn.calls.map(({ child, input }) => call(child, { input })),
          });
    return { generations: [{ text: turn.type === 'final' ? turn.text : '', message }] };
  }
}

const probeTool = tool(async () => probe(), {
  name: 'probe',
  description: 'Probes the system; answers "ok".',
  schema: z.object({}),
});

/** One agent: model node ⇄ ToolNode, compiled without a checkpointer. */
function agentGraph(name, tools) {
  const model = new FakeChatModel(name).bindTools(tools);
  const callModel = async (state) => ({ messages: [await model.invoke(state.messages)] });
  return new StateGraph(MessagesAnnotation)
    .addNode('agent', callModel)
    .addNode('tools', new ToolNode(tools))
    .addEdge(START, 'agent')
    .addConditionalEdges('agent', toolsCondition, ['tools', END])
    .addEdge('tools', 'agent')
    .compile({ name });
}

/** A child agent as a tool of its parent: runs the child's graph, returns its last message. */
function childTool(child, graph) {
  return tool(
    async ({ input }) => {
      counters.delegations += 1;
      const state = await graph.invoke({ messages: [new HumanMessage(input)] });
      return contentText(state.messages.at(-1).content);
    },
    {
      name: child,
      description: `Hand a task to ${child}; returns its answer.`,
      schema: z.object({ input: z.string() }),
    },
  );
}

const graphs = new Map();
for (const name of [...AGENTS].reverse()) {
  const tools = isLeaf(name)
    ? [probeTool]
    : CHILDREN[name].map((child) => childTool(child, graphs.get(child)));
  graphs.set(name, agentGraph(name, tools));
}
const root = graphs.get(ROOT);

await runProtocol('langgraph', async (index) => {
  const state = await root.invoke({ messages: [new HumanMessage(`task ${index}`)] });
  return { text: contentText(state.messages.at(-1).content) };
});
