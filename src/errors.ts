/**
 * The one error family of cadre. Every error carries a stable string `code`, a message
 * that says what was wrong and where, and, when there is one, a hint for the fix.
 */
export class CadreError extends Error {
  /** Stable machine-readable code, such as `org-invalid` or `file-too-large`. */
  readonly code: string;
  /** What to do about it, in one sentence. */
  readonly hint: string | undefined;

  constructor(options: { code: string; message: string; hint?: string; cause?: unknown }) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.hint = options.hint;
  }
}

/** A mistake in configuration (YAML, Markdown frontmatter, flags), located in its file. */
export class ConfigError extends CadreError {
  /** The file that holds the mistake. */
  readonly file: string;
  /** 1-based line of the mistake. */
  readonly line: number;
  /** 1-based column of the mistake. */
  readonly column: number;

  constructor(options: {
    code: string;
    message: string;
    file: string;
    line: number;
    column: number;
    hint?: string;
    cause?: unknown;
  }) {
    super({
      ...options,
      message: `${options.file}:${options.line}:${options.column}: ${options.message}`,
    });
    this.file = options.file;
    this.line = options.line;
    this.column = options.column;
  }
}
