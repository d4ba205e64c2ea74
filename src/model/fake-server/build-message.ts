import type { StopReason, TextBlock, ToolUseBlock } from '../model.js';
import { newId } from './ids.js';
import { estimateTokens } from './prompt-cache.js';
import type { InputUsage } from './prompt-cache.js';
import type { ScriptStep } from './script.js';

/** A response's usage, as the Messages API reports it. */
export interface AnswerUsage extends InputUsage {
  output_tokens: number;
  service_tier: 'standard';
}

/** The whole assistant message a non-streaming request gets (and a stream adds up to). */
export interface AnswerMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: (TextBlock | ToolUseBlock)[];
  stop_reason: StopReason;
  stop_sequence: null;
  usage: AnswerUsage;
}

/** The tokens the server counts for answer blocks: their text, tool names and JSON inputs. */
export function outputTokens(content: readonly (TextBlock | ToolUseBlock)[]): number {
  const characters = content.reduce(
    (sum, block) =>
      sum +
      (block.type === 'text'
        ? block.text.length
        : block.name.length + JSON.stringify(block.input).length),
    0,
  );
  return Math.max(1, estimateTokens(characters));
}

/**
 * The assistant message for a step: its text first, then one `tool_use` block per tool call
 * (each with a fresh `toolu_…` id). `stop_reason` is `tool_use` when it calls tools, else
 * `end_turn`; an answer longer than `maxTokens` is cut (text shortened, tool calls that do not
 * fit dropped) and stops with `max_tokens`.
 */
export function buildMessage(
  step: ScriptStep,
  request: { model: string; maxTokens: number },
  input: InputUsage,
): AnswerMessage {
  const content: (TextBlock | ToolUseBlock)[] = [];
  const tools = step.tools ?? [];
  if (step.text !== undefined && (step.text !== '' || tools.length === 0)) {
    content.push({ type: 'text', text: step.text });
  }
  for (const tool of tools) {
    content.push({
      type: 'tool_use',
      id: newId('toolu'),
      name: tool.name,
      input: tool.input ?? {},
    });
  }
  let stopReason: StopReason = tools.length > 0 ? 'tool_use' : 'end_turn';
  let kept = content;
  if (outputTokens(content) > request.maxTokens) {
    stopReason = 'max_tokens';
    kept = cut(content, request.maxTokens * 4);
  }
  return {
    id: newId('msg'),
    type: 'message',
    role: 'assistant',
    model: request.model,
    content: kept,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: {
      ...input,
      output_tokens: Math.min(outputTokens(kept), request.maxTokens),
      service_tier: 'standard',
    },
  };
}

/** The blocks that fit in `budget` characters: text cut short, whole tool calls only. */
function cut(
  content: readonly (TextBlock | ToolUseBlock)[],
  budget: number,
): (TextBlock | ToolUseBlock)[] {
  const kept: (TextBlock | ToolUseBlock)[] = [];
  let left = budget;
  for (const block of content) {
    if (block.type === 'text') {
      const text = Array.from(block.text).slice(0, left).join('');
      kept.push({ type: 'text', text });
      left -= text.length;
    } else {
      const size = block.name.length + JSON.stringify(block.input).length;
      if (size > left) break;
      kept.push(block);
      left -= size;
    }
    if (left <= 0) break;
  }
  return kept;
}
