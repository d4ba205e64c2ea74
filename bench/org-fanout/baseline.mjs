// Row "bare Promise.all baseline": the same fake model and tree with no framework. Each agent
// keeps its conversation as an array; the tool calls of a turn run with Promise.all; a child
// agent is a recursive call whose final text is the tool result.
import { counters, decide, modelLatency, probe, ROOT, runProtocol } from './workload.mjs';

/** The fake model: latency, then the text of every tool result in the conversation, then decide. */
async function fakeModel(agent, conversation) {
  await modelLatency();
  const toolResults = [];
  for (const message of conversation)
    if (message.role === 'tool') for (const result of message.results) toolResults.push(result);
  return decide(agent, toolResults);
}

async function runAgent(agent, input) {
  const conversation = [{ role: 'user', text: input }];
  for (;;) {
    const turn = await fakeModel(agent, conversation);
    if (turn.type === 'final') return turn.text;
    conversation.push({ role: 'assistant', turn });
    const results = await Promise.all(
      turn.type === 'probe'
        ? [probe()]
        : turn.calls.map(({ child, input: task }) => {
            counters.delegations += 1;
            return runAgent(child, task);
          }),
    );
    conversation.push({ role: 'tool', results });
  }
}

await runProtocol('baseline', async (index) => ({ text: await runAgent(ROOT, `task ${index}`) }));
