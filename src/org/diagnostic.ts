/** A place in a file: 1-based line and column. */
export interface Location {
  file: string;
  line: number;
  column: number;
}

/** One finding of loading or validating an org: an error blocks, a warning does not. */
export interface Diagnostic extends Location {
  severity: 'error' | 'warning';
  /** Stable code, such as `unknown-key` or `reports-to-missing`. */
  code: string;
  /** What is wrong, in one sentence. */
  message: string;
  /** What is allowed, or a suggestion for the fix. */
  hint?: string;
}

/** Builds a diagnostic at a location. */
export function diagnostic(
  severity: Diagnostic['severity'],
  code: string,
  at: Location,
  message: string,
  hint?: string,
): Diagnostic {
  return hint === undefined
    ? { severity, code, ...at, message }
    : { severity, code, ...at, message, hint };
}

/** Formats a diagnostic as `file:line:col: error: message` with the hint on a second line. */
export function formatDiagnostic(entry: Diagnostic): string {
  const head = `${entry.file}:${entry.line}:${entry.column}: ${entry.severity}: ${entry.message}`;
  return entry.hint === undefined ? head : `${head}\n  ${entry.hint}`;
}

/** Orders diagnostics by file, line and column, errors before warnings at one place. */
export function sortDiagnostics(entries: readonly Diagnostic[]): Diagnostic[] {
  return [...entries].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1),
  );
}

/** True when any diagnostic is an error. */
export function hasErrors(entries: readonly Diagnostic[]): boolean {
  return entries.some((entry) => entry.severity === 'error');
}
