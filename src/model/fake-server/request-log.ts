import type { FaultKind } from './fault.js';

/** What the fake server recorded about one request. */
export interface RequestLogEntry {
  /** The `request-id` the server answered with (`req_01…`). */
  id: string;
  /** 1-based position in the log (what a fault's `request` matches). */
  index: number;
  method: string;
  /** The request path, such as `/v1/messages`. */
  path: string;
  /** The agent found from the system prompt, if any. */
  agent: string | undefined;
  /** The agent's 1-based turn (assistant messages in the request plus one), once the body is read. */
  turn: number | undefined;
  /** When the request arrived, by the server's clock. */
  startedAt: number;
  /** When the first byte of the response went out (`undefined` until then). */
  firstByteAt: number | undefined;
  /** When the response finished or the connection closed (`undefined` until then). */
  endedAt: number | undefined;
  /** The HTTP status sent (0 until the head is sent). */
  status: number;
  /** The parsed JSON body, `undefined` when there was none or it was not JSON. */
  body: unknown;
  /** Whether the request asked for a stream. */
  stream: boolean;
  /** The fault that hit this request, if any. */
  fault?: FaultKind;
  /** False when the fallback text answered (nothing scripted for this agent and turn). */
  scripted?: boolean;
}

/** Every request the fake server received, in arrival order. */
export class RequestLog {
  readonly #entries: RequestLogEntry[] = [];

  /** The entries so far (live objects: an entry is completed when its response ends). */
  get entries(): readonly RequestLogEntry[] {
    return this.#entries;
  }

  /** Records a request that just arrived. */
  start(request: { id: string; method: string; path: string; startedAt: number }): RequestLogEntry {
    const entry: RequestLogEntry = {
      ...request,
      index: this.#entries.length + 1,
      agent: undefined,
      turn: undefined,
      firstByteAt: undefined,
      endedAt: undefined,
      status: 0,
      body: undefined,
      stream: false,
    };
    this.#entries.push(entry);
    return entry;
  }
}
