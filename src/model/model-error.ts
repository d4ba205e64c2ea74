import { CadreError } from '../errors.js';

/** A model turn that failed for good: retries exhausted, a bad request, or a refused key. */
export class ModelError extends CadreError {
  /** HTTP status when the API answered, such as 429 or 529. */
  readonly status: number | undefined;
  /** Whether trying again later could succeed (rate limits, overload, network). */
  readonly retryable: boolean;
  /** Attempts made before giving up. */
  readonly attempts: number;

  constructor(options: {
    message: string;
    status?: number;
    retryable: boolean;
    attempts: number;
    hint?: string;
    cause?: unknown;
  }) {
    super({ code: 'model-error', ...options });
    this.status = options.status;
    this.retryable = options.retryable;
    this.attempts = options.attempts;
  }
}
