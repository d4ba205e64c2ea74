/** One `-r` line: a script command and its average latency. */
export interface StatementLatency {
  /** Average latency of the command, in milliseconds. */
  latencyMs: number;
  /** Failed executions of the command (pgbench 15 and later). */
  failures: number | undefined;
  /** Retries of the command (when pgbench reports them). */
  retries: number | undefined;
  /** The command as pgbench prints it (its first line). */
  command: string;
}

/** One `--progress` line from pgbench's standard error. */
export interface ProgressLine {
  /** Seconds since the start of the run. */
  seconds: number;
  tps: number;
  latencyMs: number;
  stddevMs: number | undefined;
  failed: number | undefined;
  lagMs: number | undefined;
  /** The line as pgbench wrote it. */
  line: string;
}

/** The figures of pgbench's final summary. */
export interface PgbenchSummary {
  transactionType: string | undefined;
  scalingFactor: number | undefined;
  transactionsProcessed: number | undefined;
  /** The planned total in transactions mode (the `/N` part). */
  transactionsPlanned: number | undefined;
  failedTransactions: number | undefined;
  latencyAverageMs: number | undefined;
  latencyStddevMs: number | undefined;
  initialConnectionTimeMs: number | undefined;
  /** Transactions per second, without the initial connection time. */
  tps: number | undefined;
  scheduleLagAverageMs: number | undefined;
  scheduleLagMaxMs: number | undefined;
  statements: StatementLatency[];
}

const numberPattern = '([0-9]+(?:\\.[0-9]+)?|NaN|nan|inf)';

function numberOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

function field(output: string, pattern: RegExp): string | undefined {
  return pattern.exec(output)?.[1];
}

/** Parses the per-statement table that `-r` prints after the summary. */
export function parseStatementLatencies(output: string): StatementLatency[] {
  const lines = output.split('\n');
  const headerIndex = lines.findIndex((line) => /^statement latencies in milliseconds/.test(line));
  if (headerIndex < 0) return [];
  const header = lines[headerIndex] ?? '';
  const hasFailures = /failures/.test(header);
  const hasRetries = /retries/.test(header);
  const pattern = new RegExp(
    `^\\s+([0-9]+(?:\\.[0-9]+)?)${hasFailures ? '\\s+([0-9]+)' : '()'}${hasRetries ? '\\s+([0-9]+)' : '()'}\\s+(.*)$`,
  );
  const statements: StatementLatency[] = [];
  for (const line of lines.slice(headerIndex + 1)) {
    const match = pattern.exec(line);
    if (!match) break;
    statements.push({
      latencyMs: Number(match[1]),
      failures: hasFailures ? numberOf(match[2]) : undefined,
      retries: hasRetries ? numberOf(match[3]) : undefined,
      command: (match[4] ?? '').trim(),
    });
  }
  return statements;
}

/** Parses pgbench's final summary (standard output). */
export function parseSummary(output: string): PgbenchSummary {
  const processed = /^number of transactions actually processed: ([0-9]+)(?:\/([0-9]+))?/m.exec(
    output,
  );
  return {
    transactionType: field(output, /^transaction type: (.*)$/m),
    scalingFactor: numberOf(field(output, /^scaling factor: ([0-9]+)/m)),
    transactionsProcessed: numberOf(processed?.[1]),
    transactionsPlanned: numberOf(processed?.[2]),
    failedTransactions: numberOf(field(output, /^number of failed transactions: ([0-9]+)/m)),
    latencyAverageMs: numberOf(
      field(output, new RegExp(`^latency average = ${numberPattern} ms`, 'm')),
    ),
    latencyStddevMs: numberOf(
      field(output, new RegExp(`^latency stddev = ${numberPattern} ms`, 'm')),
    ),
    initialConnectionTimeMs: numberOf(
      field(output, new RegExp(`^initial connection time = ${numberPattern} ms`, 'm')),
    ),
    tps: numberOf(
      field(
        output,
        new RegExp(`^tps = ${numberPattern} \\(without initial connection time\\)`, 'm'),
      ),
    ),
    scheduleLagAverageMs: numberOf(
      field(output, new RegExp(`^rate limit schedule lag: avg ${numberPattern}`, 'm')),
    ),
    scheduleLagMaxMs: numberOf(
      field(
        output,
        new RegExp(`^rate limit schedule lag: avg \\S+ \\(max ${numberPattern}\\)`, 'm'),
      ),
    ),
    statements: parseStatementLatencies(output),
  };
}

/** Parses the `progress: …` lines that `--progress` writes to standard error. */
export function parseProgressLines(stderr: string): ProgressLine[] {
  const lines: ProgressLine[] = [];
  for (const line of stderr.split('\n')) {
    const match = new RegExp(
      `^progress: ${numberPattern} s, ${numberPattern} tps, lat ${numberPattern} ms(?: stddev ${numberPattern})?`,
    ).exec(line);
    if (!match) continue;
    lines.push({
      seconds: numberOf(match[1]) ?? 0,
      tps: numberOf(match[2]) ?? 0,
      latencyMs: numberOf(match[3]) ?? 0,
      stddevMs: numberOf(match[4]),
      failed: numberOf(/, ([0-9]+) failed/.exec(line)?.[1]),
      lagMs: numberOf(new RegExp(`, lag ${numberPattern} ms`).exec(line)?.[1]),
      line: line.trim(),
    });
  }
  return lines;
}

/** pgbench's error lines (`pgbench: error: …`, client aborts), deduplicated, at most `limit`. */
export function errorLines(stderr: string, limit = 5): string[] {
  const seen = new Set<string>();
  for (const line of stderr.split('\n')) {
    const text = line.trim();
    if (text === '' || text.startsWith('progress:')) continue;
    if (!/error|fatal|abort|could not|failed|invalid|must be/i.test(text)) continue;
    // Client numbers make otherwise equal lines differ.
    seen.add(text.replace(/\bclient [0-9]+\b/g, 'client N'));
    if (seen.size >= limit) break;
  }
  return [...seen];
}
