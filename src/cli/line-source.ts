import { createInterface } from 'node:readline';

/**
 * Lines of an input stream shared by several readers, one line each: `cadre chat` reads tasks
 * from it and the person prompt reads answers. A reader that gives up (its signal aborts)
 * leaves the line it was waiting for to the next reader instead of swallowing it.
 */
export class LineSource {
  readonly #lines;
  readonly #iterator: AsyncIterator<string>;
  #pending: Promise<IteratorResult<string>> | undefined;

  constructor(input: NodeJS.ReadableStream) {
    this.#lines = createInterface({ input, terminal: false });
    this.#iterator = this.#lines[Symbol.asyncIterator]();
  }

  /** The next line, `undefined` at the end of input or when `signal` aborts first. */
  async read(signal?: AbortSignal): Promise<string | undefined> {
    this.#pending ??= this.#iterator.next();
    const pending = this.#pending;
    const result = await (signal
      ? Promise.race([
          pending,
          new Promise<'aborted'>((resolve) => {
            if (signal.aborted) resolve('aborted');
            signal.addEventListener('abort', () => resolve('aborted'), { once: true });
          }),
        ])
      : pending);
    if (result === 'aborted') return undefined;
    if (this.#pending === pending) this.#pending = undefined;
    return result.done ? undefined : result.value;
  }

  /** Stops reading the input. */
  close(): void {
    this.#lines.close();
  }
}
