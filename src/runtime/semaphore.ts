/**
 * A counting semaphore: at most `limit` holders at once, the rest wait in order. Cheaper than a
 * task queue on the hot path of every model call: below the limit, `acquire` resolves at once.
 */
export class Semaphore {
  readonly #limit: number;
  #held = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(limit: number) {
    this.#limit = Math.max(1, limit);
  }

  /** Waits for a free place; rejects if `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new Error('aborted'));
    if (this.#held < this.#limit) {
      this.#held += 1;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener('abort', abandon);
        this.#held += 1;
        resolve();
      };
      const abandon = () => {
        const index = this.#waiting.indexOf(grant);
        if (index >= 0) this.#waiting.splice(index, 1);
        reject(new Error('aborted'));
      };
      signal?.addEventListener('abort', abandon, { once: true });
      this.#waiting.push(grant);
    });
  }

  /** Gives a place back, to the longest waiter if there is one. */
  release(): void {
    this.#held -= 1;
    const next = this.#waiting.shift();
    if (next) next();
  }

  /** Drops every waiter (they stay pending; their runs are being cancelled). */
  clear(): void {
    this.#waiting.length = 0;
  }
}
