import { CadreError } from '../errors.js';
import type { Model, ModelRequest, ModelResponse, TextBlock, ToolUseBlock } from './model.js';

/** What a scripted model answers for one turn: text, tool calls, or both. */
export interface ScriptedTurn {
  text?: string;
  tools?: { name: string; input: Record<string, unknown> }[];
}

/** Decides a turn from the request; may be async (to simulate latency). */
export type ScriptedDecision = (request: ModelRequest) => ScriptedTurn | Promise<ScriptedTurn>;

/**
 * A Model in the same process, answering from a function: no HTTP, no tokens. For tests and
 * benchmarks of the runtime itself; `calls` records every request it saw.
 */
export class ScriptedModel implements Model {
  readonly name = 'scripted';
  readonly calls: ModelRequest[] = [];
  readonly #decide: ScriptedDecision;
  #nextId = 0;

  constructor(decide: ScriptedDecision) {
    this.#decide = decide;
  }

  async turn(request: ModelRequest): Promise<ModelResponse> {
    if (request.signal?.aborted)
      throw new CadreError({
        code: 'model-error',
        message: `model call of ${request.agent} was cancelled`,
      });
    this.calls.push(request);
    const decided = await this.#decide(request);
    const content: (TextBlock | ToolUseBlock)[] = [];
    if (decided.text !== undefined) content.push({ type: 'text', text: decided.text });
    for (const tool of decided.tools ?? []) {
      this.#nextId += 1;
      content.push({
        type: 'tool_use',
        id: `toolu_scripted_${this.#nextId}`,
        name: tool.name,
        input: tool.input,
      });
    }
    if (content.length === 0)
      throw new CadreError({
        code: 'script-empty-turn',
        message: `the script gave ${request.agent} neither text nor tool calls`,
      });
    return {
      content,
      stopReason: decided.tools && decided.tools.length > 0 ? 'tool_use' : 'end_turn',
      usage: {
        input_tokens: 1,
        output_tokens: 1,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
      model: request.model,
      latencyMs: 0,
      costUsd: 0,
      attempts: 1,
    };
  }
}

/** The text of every tool result in a request's conversation, in order. */
export function toolResultsOf(request: ModelRequest): string[] {
  return request.messages.flatMap((message) =>
    typeof message.content === 'string'
      ? []
      : message.content.flatMap((block) => (block.type === 'tool_result' ? [block.content] : [])),
  );
}
