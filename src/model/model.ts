/**
 * The Model seam: one streamed turn of a Messages-API conversation. cadre's runtime talks to
 * models only through this interface; `anthropic-model.ts` is the production implementation.
 * The shapes mirror the Anthropic Messages API so that no translation is needed at the edge.
 */

/** A tool as the model sees it. `name` matches `^[a-zA-Z0-9_-]{1,64}$`. */
export interface ModelTool {
  name: string;
  description: string;
  /** JSON Schema of the tool's input (an object schema). */
  input_schema: {
    type: 'object';
    properties?: Record<string, unknown>;
    required?: string[];
    [key: string]: unknown;
  };
}

/** Text the model wrote. */
export interface TextBlock {
  type: 'text';
  text: string;
}

/** A tool call the model made. */
export interface ToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: Record<string, unknown>;
}

/** The answer to a tool call, sent back in the next user message. */
export interface ToolResultBlock {
  type: 'tool_result';
  tool_use_id: string;
  content: string;
  is_error?: boolean;
}

/** Any block of a conversation. */
export type ContentBlock = TextBlock | ToolUseBlock | ToolResultBlock;

/** One message of a conversation (the Messages API's `messages[]`). */
export interface ModelMessage {
  role: 'user' | 'assistant';
  content: string | ContentBlock[];
}

/** Token counts of one call, as the Messages API reports them. */
export interface ModelUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

/** Why the model stopped. */
export type StopReason =
  'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence' | 'pause_turn' | 'refusal';

/** One turn to run: who asks (for logs and the fake server), and the request itself. */
export interface ModelRequest {
  /** The agent whose session this is. */
  agent: string;
  /** Model id, such as `claude-sonnet-4-6`. */
  model: string;
  system: string;
  messages: ModelMessage[];
  tools: ModelTool[];
  maxTokens: number;
  signal?: AbortSignal;
}

/** The finished turn. */
export interface ModelResponse {
  content: (TextBlock | ToolUseBlock)[];
  stopReason: StopReason;
  usage: ModelUsage;
  /** The model that answered. */
  model: string;
  /** Wall time of the turn, retries included, in milliseconds. */
  latencyMs: number;
  /** Cost in US dollars from the price table (0 when the model is not priced). */
  costUsd: number;
  /** How many attempts the turn took (1 when the first succeeded). */
  attempts: number;
}

/** What a turn reports while it streams. */
export type ModelEvent =
  | { type: 'text-delta'; text: string }
  | { type: 'tool-call-start'; id: string; name: string }
  | { type: 'retry'; attempt: number; reason: string; delayMs: number };

/** A model: runs one turn, streaming events as they come, and resolves with the whole turn. */
export interface Model {
  /** A name for logs, such as `anthropic` or `rehearsal`. */
  readonly name: string;
  turn(request: ModelRequest, onEvent?: (event: ModelEvent) => void): Promise<ModelResponse>;
}
