import type { ProgressLine, StatementLatency } from './pgbench-output.js';
import type { TransactionLatencies } from './transaction-log.js';

/** What `run` returns as JSON. */
export interface RunReport {
  target: string;
  /** The built-in script's name, or `custom`. */
  script: string;
  /** Whether a custom script ran inside BEGIN TRANSACTION READ ONLY … ROLLBACK (read grant). */
  readOnlyWrapper: boolean;
  clients: number;
  threads: number;
  durationSeconds: number | undefined;
  transactionsPerClient: number | undefined;
  rate: number | undefined;
  /** Transactions per second, without the initial connection time (pgbench's summary). */
  tps: number | undefined;
  transactionsProcessed: number | undefined;
  failedTransactions: number;
  skippedTransactions: number;
  /** Latency statistics computed from the per-transaction log files. */
  latencyMs: TransactionLatencies['latencyMs'];
  /** Transactions the logs give 0 µs (pgbench's lazy clock); they are part of the statistics. */
  zeroLatencyTransactions: number;
  /** pgbench's own average and standard deviation, from its summary. */
  summaryLatencyMs: { average: number | undefined; stddev: number | undefined };
  initialConnectionTimeMs: number | undefined;
  scheduleLagMs: { average: number; max: number } | undefined;
  /** Per-statement average latencies (`-r`). */
  statements: StatementLatency[];
  /** One line per second (`--progress=1`). */
  progress: ProgressLine[];
  /** The private directory that held the logs; it is removed before the result returns. */
  logDirectory: string;
  logFiles: number;
  pgbenchVersion: string;
}

const figure = (value: number | undefined, unit = ''): string =>
  value === undefined ? 'n/a' : `${value}${unit}`;

/** The report as readable text. */
export function formatRunReport(report: RunReport): string {
  const length =
    report.durationSeconds !== undefined
      ? `${report.durationSeconds} s`
      : `${report.transactionsPerClient ?? 0} transactions per client`;
  const latency = report.latencyMs;
  const lines = [
    `pgbench on target '${report.target}': ${report.script}${report.readOnlyWrapper ? ' (inside BEGIN TRANSACTION READ ONLY … ROLLBACK)' : ''}, ${report.clients} clients, ${report.threads} threads, ${length}${report.rate === undefined ? '' : `, rate ${report.rate} tps`}`,
    `tps: ${figure(report.tps)} (without initial connection time; connecting took ${figure(report.initialConnectionTimeMs, ' ms')})`,
    `transactions: ${figure(report.transactionsProcessed)} processed, ${report.failedTransactions} failed${report.skippedTransactions > 0 ? `, ${report.skippedTransactions} skipped` : ''}`,
    latency === undefined
      ? 'latency: no completed transaction was logged'
      : `latency (ms, from the transaction logs): average ${latency.average}, stddev ${latency.stddev}, p50 ${latency.p50}, p95 ${latency.p95}, p99 ${latency.p99}, max ${latency.max}`,
  ];
  const logged = report.transactionsProcessed ?? 0;
  if (report.zeroLatencyTransactions > 0 && logged > 0) {
    const share = Math.round((1000 * report.zeroLatencyTransactions) / logged) / 10;
    lines.push(
      `note: ${report.zeroLatencyTransactions} transactions (${share}%) are logged with 0 µs: pgbench reads its clock lazily, so very fast transactions can read as 0 and low percentiles understate latency`,
    );
  }
  if (report.scheduleLagMs !== undefined) {
    lines.push(
      `schedule lag (ms): average ${report.scheduleLagMs.average}, max ${report.scheduleLagMs.max}`,
    );
  }
  if (report.statements.length > 0) {
    lines.push('per-statement latency (ms):');
    for (const statement of report.statements) {
      const failures =
        statement.failures === undefined || statement.failures === 0
          ? ''
          : ` (${statement.failures} failed)`;
      lines.push(
        `  ${statement.latencyMs.toFixed(3).padStart(10)}  ${statement.command}${failures}`,
      );
    }
  }
  if (report.progress.length > 0) {
    lines.push('progress:');
    for (const progress of report.progress) lines.push(`  ${progress.line}`);
  }
  lines.push(`${report.pgbenchVersion}; log files read: ${report.logFiles}, then removed`);
  return lines.join('\n');
}
