import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CadreError } from '../../errors.js';
import { apiErrorBody, sendApiError } from './api-error.js';
import type { ApiErrorType } from './api-error.js';
import { buildMessage } from './build-message.js';
import type { AnswerMessage } from './build-message.js';
import { chooseStep } from './choose-step.js';
import { Fault } from './fault.js';
import { FaultSchedule } from './fault-schedule.js';
import { newId } from './ids.js';
import { checkRehearsalScript } from './load-script.js';
import { pause } from './pause.js';
import { PromptCache } from './prompt-cache.js';
import { MessagesRequest, requestProblem } from './request-body.js';
import { RequestLog } from './request-log.js';
import type { RequestLogEntry } from './request-log.js';
import type { RehearsalScript } from './script.js';
import { messageEvents, SseWriter, streamPrefix } from './sse-writer.js';

/** How the fake server starts. */
export interface FakeServerOptions {
  /** What it answers; `undefined` answers every turn with the fallback text. */
  script: RehearsalScript | undefined;
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** The clock for the log's timestamps and the prompt cache's lifetimes (default `Date.now`). */
  now?: () => number;
}

/** A running fake Anthropic Messages API. */
export interface FakeServer {
  /** Base URL for the SDK's `baseURL`, such as `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Every request received, in arrival order (live: entries complete as responses end). */
  readonly requests: readonly RequestLogEntry[];
  /** Adds a fault; it is checked before the script's faults. Throws a `CadreError` when invalid. */
  injectFault(fault: Fault): void;
  /** Replaces the script (and re-arms its faults); injected faults and the prompt cache stay. */
  setScript(script: RehearsalScript | undefined): void;
  /** Stops listening, cuts open connections and waits until the server is closed. */
  close(): Promise<void>;
}

/** The largest request body the real API takes: 32 MB. */
const maxBodyBytes = 32 * 1024 * 1024;
const defaultRetryAfterSeconds = 1;
const defaultSlowFirstByteMs = 1000;

/** A request body that could not be read, with the API error it gets. */
interface BodyProblem {
  status: number;
  type: ApiErrorType;
  message: string;
}

/**
 * Starts the fake Anthropic Messages API on 127.0.0.1: `POST /v1/messages`, streaming or not,
 * answering from a rehearsal script, with prompt-cache usage and injectable faults.
 */
export async function startFakeServer(options: FakeServerOptions): Promise<FakeServer> {
  const now = options.now ?? Date.now;
  const log = new RequestLog();
  const cache = new PromptCache();
  const faults = new FaultSchedule();
  const closing = new AbortController();
  let script = options.script === undefined ? undefined : checkRehearsalScript(options.script);
  faults.setScriptFaults(script?.faults ?? []);

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        sendApiError(response, 500, 'api_error', `fake server failed: ${String(error)}`, {
          requestId: newId('req'),
        });
      } else {
        response.destroy();
      }
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestId = newId('req');
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const entry = log.start({
      id: requestId,
      method: request.method ?? 'GET',
      path,
      startedAt: now(),
    });
    const ended = new AbortController();
    response.on('close', () => {
      entry.endedAt = now();
      if (response.headersSent) entry.status = response.statusCode;
      ended.abort();
    });
    const signal = AbortSignal.any([ended.signal, closing.signal]);
    const firstByte = (): void => {
      entry.firstByteAt ??= now();
    };
    const fail = (
      status: number,
      type: ApiErrorType,
      message: string,
      headers?: Record<string, string>,
    ): void => {
      firstByte();
      sendApiError(response, status, type, message, {
        requestId,
        ...(headers === undefined ? {} : { headers }),
      });
    };

    if (request.method !== 'POST' || path !== '/v1/messages') {
      request.resume();
      fail(404, 'not_found_error', `Not found: ${request.method ?? 'GET'} ${path}`);
      return;
    }
    if (!hasCredentials(request)) {
      request.resume();
      fail(401, 'authentication_error', 'x-api-key header is required');
      return;
    }
    const read = await readJsonBody(request);
    if ('problem' in read) {
      fail(read.problem.status, read.problem.type, read.problem.message, { connection: 'close' });
      return;
    }
    const body = read.value;
    entry.body = body;
    const parsed = MessagesRequest.safeParse(body);
    if (!parsed.success) {
      fail(400, 'invalid_request_error', requestProblem(body, parsed.error.issues));
      return;
    }
    const turnRequest = parsed.data;
    entry.stream = turnRequest.stream === true;
    const chosen = chooseStep(script, turnRequest);
    entry.agent = chosen.agent;
    entry.turn = chosen.turn;
    entry.scripted = chosen.scripted;
    const fault = faults.take({ agent: chosen.agent, turn: chosen.turn, request: entry.index });
    if (fault) entry.fault = fault.kind;

    switch (fault?.kind) {
      case 'rate-limit':
        fail(429, 'rate_limit_error', 'This request would exceed the rate limit (fake server).', {
          'retry-after': String(fault.retry_after ?? defaultRetryAfterSeconds),
        });
        return;
      case 'overloaded':
        fail(529, 'overloaded_error', 'Overloaded');
        return;
      case 'server-error':
        fail(500, 'api_error', 'Internal server error');
        return;
      case 'stream-error':
        if (!entry.stream) {
          fail(529, 'overloaded_error', 'Overloaded');
          return;
        }
        break;
      case 'slow-first-byte':
        await pause(fault.delay_ms ?? defaultSlowFirstByteMs, signal);
        break;
      default:
        break;
    }
    await pause(chosen.step.delay_ms ?? 0, signal);
    if (signal.aborted) {
      response.destroy();
      return;
    }

    const measure = cache.measure(turnRequest, now());
    const message = buildMessage(
      chosen.step,
      { model: turnRequest.model, maxTokens: turnRequest.max_tokens },
      measure.usage,
    );
    firstByte();
    const done = entry.stream
      ? await stream(response, message, requestId, fault?.kind)
      : await whole(response, message, requestId, fault?.kind === 'cut-stream');
    if (done) cache.store(measure, now());
  }

  const port = await listen(server, options.port ?? 0);
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return log.entries;
    },
    injectFault(fault) {
      const parsed = Fault.safeParse(fault);
      if (!parsed.success) {
        throw new CadreError({
          code: 'fault-invalid',
          message: `invalid fault: ${parsed.error.issues
            .map((issue) => `${issue.path.map(String).join('.') || '(top)'}: ${issue.message}`)
            .join('; ')}`,
          hint: 'a fault has kind: and optionally agent:, turn:, request:, retry_after:, delay_ms:, times:',
        });
      }
      faults.inject(parsed.data);
    },
    setScript(next) {
      script = next === undefined ? undefined : checkRehearsalScript(next);
      faults.setScriptFaults(script?.faults ?? []);
    },
    async close() {
      closing.abort();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** Answers without streaming: the whole message as JSON, or half of it before a cut. */
async function whole(
  response: ServerResponse,
  message: AnswerMessage,
  requestId: string,
  cut: boolean,
): Promise<boolean> {
  const bytes = Buffer.from(JSON.stringify(message));
  response.writeHead(200, {
    'content-type': 'application/json',
    'content-length': bytes.length,
    'request-id': requestId,
  });
  if (!cut) {
    await new Promise<void>((resolve) => response.end(bytes, () => resolve()));
    return response.writableFinished;
  }
  await new Promise<void>((resolve) =>
    response.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => resolve()),
  );
  response.destroy();
  return false;
}

/** Answers with an event stream; a cut or an error event ends it early. */
async function stream(
  response: ServerResponse,
  message: AnswerMessage,
  requestId: string,
  fault: Fault['kind'] | undefined,
): Promise<boolean> {
  const writer = new SseWriter(response);
  writer.open({ 'request-id': requestId });
  const events = messageEvents(message);
  if (fault === 'cut-stream') {
    for (const event of streamPrefix(events)) await writer.send(event);
    response.destroy();
    return false;
  }
  if (fault === 'stream-error') {
    const start = events[0];
    if (start) await writer.send(start);
    await writer.send({
      type: 'error',
      data: { ...apiErrorBody('overloaded_error', 'Overloaded') },
    });
    await writer.end();
    return false;
  }
  for (const event of events) await writer.send(event);
  return writer.end();
}

/** Reads a JSON request body of at most 32 MB. */
async function readJsonBody(
  request: IncomingMessage,
): Promise<{ value: unknown } | { problem: BodyProblem }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBodyBytes) {
      return {
        problem: {
          status: 413,
          type: 'request_too_large',
          message: 'Request exceeds the maximum allowed number of bytes.',
        },
      };
    }
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      problem: {
        status: 400,
        type: 'invalid_request_error',
        message: `There was an error parsing the body of your request: ${reason}`,
      },
    };
  }
}

/**
 * Whether the request carries a key: an `x-api-key` header, or `authorization: Bearer …`
 * (which is how the SDK from v1 sends `apiKey`). Any non-empty value is accepted.
 */
function hasCredentials(request: IncomingMessage): boolean {
  const key = request.headers['x-api-key'];
  const authorization = request.headers.authorization ?? '';
  return (typeof key === 'string' && key.trim() !== '') || /^Bearer\s+\S/i.test(authorization);
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
