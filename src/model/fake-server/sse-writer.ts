import type { ServerResponse } from 'node:http';
import type { AnswerMessage } from './build-message.js';

/** One server-sent event of a streamed answer: its `event:` name and its `data:` JSON. */
export interface StreamEvent {
  type: string;
  data: Record<string, unknown>;
}

/** How many deltas a block's text or JSON is split into (fewer when it is short). */
const deltasPerBlock = 4;

/** One SSE frame: `event: <type>\ndata: <json>\n\n`. */
export function sseFrame(event: StreamEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

/** Splits text into up to `count` pieces of about equal length, never inside a code point. */
export function splitText(text: string, count: number): string[] {
  const points = Array.from(text);
  if (points.length === 0) return [];
  const size = Math.ceil(points.length / count);
  const pieces: string[] = [];
  for (let start = 0; start < points.length; start += size) {
    pieces.push(points.slice(start, start + size).join(''));
  }
  return pieces;
}

/**
 * The events that stream a message, in the real API's order: `message_start`, `ping`, then per
 * block `content_block_start`, its deltas (`text_delta`, or `input_json_delta` beginning with an
 * empty `partial_json`) and `content_block_stop`; then `message_delta` (stop reason and
 * cumulative usage) and `message_stop`.
 */
export function messageEvents(message: AnswerMessage): StreamEvent[] {
  const { output_tokens, ...inputUsage } = message.usage;
  const events: StreamEvent[] = [
    {
      type: 'message_start',
      data: {
        type: 'message_start',
        message: {
          ...message,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { ...inputUsage, output_tokens: 1 },
        },
      },
    },
    { type: 'ping', data: { type: 'ping' } },
  ];
  message.content.forEach((block, index) => {
    const start =
      block.type === 'text'
        ? { type: 'text', text: '' }
        : { type: 'tool_use', id: block.id, name: block.name, input: {} };
    events.push({
      type: 'content_block_start',
      data: { type: 'content_block_start', index, content_block: start },
    });
    const deltas =
      block.type === 'text'
        ? splitText(block.text, deltasPerBlock).map((text) => ({ type: 'text_delta', text }))
        : ['', ...splitText(JSON.stringify(block.input), deltasPerBlock)].map((partial) => ({
            type: 'input_json_delta',
            partial_json: partial,
          }));
    for (const delta of deltas) {
      events.push({
        type: 'content_block_delta',
        data: { type: 'content_block_delta', index, delta },
      });
    }
    events.push({ type: 'content_block_stop', data: { type: 'content_block_stop', index } });
  });
  events.push(
    {
      type: 'message_delta',
      data: {
        type: 'message_delta',
        delta: { stop_reason: message.stop_reason, stop_sequence: null },
        usage: {
          input_tokens: message.usage.input_tokens,
          cache_creation_input_tokens: message.usage.cache_creation_input_tokens,
          cache_read_input_tokens: message.usage.cache_read_input_tokens,
          output_tokens,
        },
      },
    },
    { type: 'message_stop', data: { type: 'message_stop' } },
  );
  return events;
}

/**
 * The first part of a stream, for a cut: `message_start`, `ping`, the first block's start and
 * about half of its deltas.
 */
export function streamPrefix(events: readonly StreamEvent[]): StreamEvent[] {
  const firstStop = events.findIndex((event) => event.type === 'content_block_stop');
  if (firstStop < 0) return events.slice(0, 2);
  const firstStart = events.findIndex((event) => event.type === 'content_block_start');
  const deltas = firstStop - firstStart - 1;
  return events.slice(0, firstStart + 1 + Math.max(1, Math.floor(deltas / 2)));
}

/** Writes SSE frames to a response, one write per frame, waiting when the socket is full. */
export class SseWriter {
  readonly #response: ServerResponse;

  constructor(response: ServerResponse) {
    this.#response = response;
  }

  /** Sends the 200 and the event-stream headers. */
  open(headers: Record<string, string>): void {
    this.#response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      ...headers,
    });
    this.#response.flushHeaders();
  }

  /** Writes one frame; resolves once it is handed to the socket (or the socket is gone). */
  async send(event: StreamEvent): Promise<void> {
    const response = this.#response;
    if (response.destroyed) return;
    await new Promise<void>((resolve) => {
      response.write(sseFrame(event), () => resolve());
    });
  }

  /** Ends the stream; resolves with whether the whole response went out. */
  async end(): Promise<boolean> {
    const response = this.#response;
    if (response.destroyed) return false;
    await new Promise<void>((resolve) => response.end(() => resolve()));
    return response.writableFinished;
  }
}
