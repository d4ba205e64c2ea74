/**
 * The tool calls in progress, so that closing the server can refuse new ones and wait until
 * each running one has finished, its temporary files removed.
 */
export class InFlightCalls {
  readonly #calls = new Set<Promise<unknown>>();
  #closed = false;

  /** Whether closing has begun: no new call should start. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Runs `work`, counted as in progress until it settles. */
  track<T>(work: () => Promise<T>): Promise<T> {
    const call = work();
    this.#calls.add(call);
    const forget = () => this.#calls.delete(call);
    call.then(forget, forget);
    return call;
  }

  /** Refuses further calls and resolves once every call in progress has settled. */
  async close(): Promise<void> {
    this.#closed = true;
    while (this.#calls.size > 0) await Promise.allSettled([...this.#calls]);
  }
}
