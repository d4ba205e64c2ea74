/** A push-based async iterable: `push` values, `end` it; each consumer reads every value pushed after it started. */
export class AsyncQueue<T> implements AsyncIterable<T> {
  readonly #values: T[] = [];
  readonly #waiting: ((result: IteratorResult<T>) => void)[] = [];
  #ended = false;

  /** Adds a value for the reader. */
  push(value: T): void {
    if (this.#ended) return;
    const reader = this.#waiting.shift();
    if (reader) reader({ value, done: false });
    else this.#values.push(value);
  }

  /** Ends the stream once the values already pushed are read. */
  end(): void {
    this.#ended = true;
    for (const reader of this.#waiting.splice(0)) reader({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        const value = this.#values.shift();
        if (value !== undefined) return Promise.resolve({ value, done: false });
        if (this.#ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => this.#waiting.push(resolve));
      },
    };
  }
}
