import type Anthropic from '@anthropic-ai/sdk';

/** The SDK, loaded on the first turn: importing cadre does not pay for it (about 23 MB). */
type Sdk = typeof Anthropic;
let sdkLoading: Promise<Sdk> | undefined;
const loadSdk = (): Promise<Sdk> =>
  (sdkLoading ??= import('@anthropic-ai/sdk').then((module) => module.default));
import { withCacheBreakpoints } from './cache-breakpoints.js';
import type {
  Model,
  ModelEvent,
  ModelRequest,
  ModelResponse,
  ModelUsage,
  StopReason,
  TextBlock,
  ToolUseBlock,
} from './model.js';
import { ModelError } from './model-error.js';
import { costOf } from './prices.js';

/** Settings of the Anthropic model. */
export interface AnthropicModelOptions {
  apiKey: string;
  /** Another endpoint speaking the Messages API (the fake server in tests; `ANTHROPIC_BASE_URL`). */
  baseURL?: string;
  /** Retries the SDK makes before a response starts: 429 (honouring retry-after), 529, 5xx, connection errors. Default 4. */
  maxRetries?: number;
  /** Time limit of one request, in milliseconds. Default 10 minutes. */
  timeoutMs?: number;
  /** Retries of a turn whose stream broke after it started (the SDK does not retry those). Default 2. */
  streamRetries?: number;
  /** Waits between stream retries; injected so tests need no real timers. */
  sleep?: (milliseconds: number) => Promise<void>;
  now?: () => number;
}

const defaultSleep = (milliseconds: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, milliseconds));

/**
 * Whether a failed turn may be tried again: errors with an HTTP status were already retried by
 * the SDK (when retryable at all); errors without one broke a stream after it started (a cut
 * connection, an `event: error`), which the SDK does not retry.
 */
function brokeAfterStart(sdk: Sdk, error: unknown): boolean {
  if (error instanceof sdk.APIUserAbortError) return false;
  if (error instanceof sdk.APIError) return error.status === undefined;
  return error instanceof Error;
}

function isRetryable(sdk: Sdk, error: unknown): boolean {
  if (error instanceof sdk.APIError && error.status !== undefined) {
    const status = error.status;
    return status === 408 || status === 409 || status === 429 || status >= 500;
  }
  return brokeAfterStart(sdk, error);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The production Model: Anthropic's Messages API through the official SDK, streamed, with prompt caching. */
export class AnthropicModel implements Model {
  readonly name = 'anthropic';
  readonly #options: AnthropicModelOptions;
  #client: Anthropic | undefined;
  readonly #streamRetries: number;
  readonly #sleep: (milliseconds: number) => Promise<void>;
  readonly #now: () => number;

  constructor(options: AnthropicModelOptions) {
    this.#options = options;
    this.#streamRetries = options.streamRetries ?? 2;
    this.#sleep = options.sleep ?? defaultSleep;
    this.#now = options.now ?? Date.now;
  }

  async turn(request: ModelRequest, onEvent?: (event: ModelEvent) => void): Promise<ModelResponse> {
    const started = this.#now();
    const sdk = await loadSdk();
    const options = this.#options;
    this.#client ??= new sdk({
      apiKey: options.apiKey,
      ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL }),
      maxRetries: options.maxRetries ?? 4,
      timeout: options.timeoutMs ?? 600_000,
    });
    const client = this.#client;
    const cached = withCacheBreakpoints(request);
    const body = {
      model: request.model,
      max_tokens: request.maxTokens,
      system: cached.system,
      messages: cached.messages,
      ...(cached.tools.length > 0 ? { tools: cached.tools } : {}),
    } as Anthropic.MessageCreateParamsNonStreaming;
    for (let attempt = 1; ; attempt++) {
      try {
        const stream = client.messages.stream(
          body,
          request.signal ? { signal: request.signal } : undefined,
        );
        stream.on('text', (text) => onEvent?.({ type: 'text-delta', text }));
        stream.on('streamEvent', (event) => {
          if (event.type === 'content_block_start' && event.content_block.type === 'tool_use') {
            onEvent?.({
              type: 'tool-call-start',
              id: event.content_block.id,
              name: event.content_block.name,
            });
          }
        });
        const message = await stream.finalMessage();
        const usage: ModelUsage = {
          input_tokens: message.usage.input_tokens,
          output_tokens: message.usage.output_tokens,
          cache_creation_input_tokens: message.usage.cache_creation_input_tokens ?? 0,
          cache_read_input_tokens: message.usage.cache_read_input_tokens ?? 0,
        };
        const content = message.content.flatMap((block): (TextBlock | ToolUseBlock)[] =>
          block.type === 'text'
            ? [{ type: 'text', text: block.text }]
            : block.type === 'tool_use'
              ? [
                  {
                    type: 'tool_use',
                    id: block.id,
                    name: block.name,
                    input: (block.input ?? {}) as Record<string, unknown>,
                  },
                ]
              : [],
        );
        return {
          content,
          stopReason: (message.stop_reason ?? 'end_turn') as StopReason,
          usage,
          model: message.model,
          latencyMs: this.#now() - started,
          costUsd: costOf(message.model, usage),
          attempts: attempt,
        };
      } catch (error) {
        if (request.signal?.aborted || error instanceof sdk.APIUserAbortError) {
          throw new ModelError({
            message: `model call of ${request.agent} was cancelled`,
            retryable: false,
            attempts: attempt,
            cause: error,
          });
        }
        const status = error instanceof sdk.APIError ? error.status : undefined;
        if (attempt <= this.#streamRetries && brokeAfterStart(sdk, error)) {
          const delayMs = 500 * 2 ** (attempt - 1);
          onEvent?.({ type: 'retry', attempt, reason: describe(error), delayMs });
          await this.#sleep(delayMs);
          continue;
        }
        const retryable = isRetryable(sdk, error);
        throw new ModelError({
          message: `model call of ${request.agent} failed after ${attempt} attempt${attempt === 1 ? '' : 's'}${status === undefined ? '' : ` (HTTP ${status})`}: ${describe(error)}`,
          ...(status === undefined ? {} : { status }),
          retryable,
          attempts: attempt,
          hint:
            status === 401
              ? 'check ANTHROPIC_API_KEY'
              : retryable
                ? 'the API is busy or unreachable; try again later, or lower the concurrency'
                : 'the request was refused; see the message above',
          cause: error,
        });
      }
    }
  }
}
