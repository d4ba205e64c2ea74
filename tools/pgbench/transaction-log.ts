import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** Latency figures computed from pgbench's per-transaction log files (`--log`). */
export interface TransactionLatencies {
  /** Transactions that completed and carry a latency. */
  transactions: number;
  /** Transactions logged as failed (`failed`, `serialization`, `deadlock`). */
  failed: number;
  /** Transactions skipped under `--rate` with a latency limit. */
  skipped: number;
  /**
   * Completed transactions logged with a latency of 0 µs: pgbench reads its clock lazily and
   * reuses one reading within a pass of its client loop, so very fast transactions can read as 0.
   */
  zeroLatency: number;
  /** Latency statistics in milliseconds; undefined when no transaction completed. */
  latencyMs:
    | {
        average: number;
        stddev: number;
        min: number;
        p50: number;
        p95: number;
        p99: number;
        max: number;
      }
    | undefined;
  /** How many log files were read (one per thread). */
  files: number;
}

/** A growable array of doubles: a long run logs millions of transactions. */
class Samples {
  private values = new Float64Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.values.length) {
      const larger = new Float64Array(this.values.length * 2);
      larger.set(this.values);
      this.values = larger;
    }
    this.values[this.length] = value;
    this.length += 1;
  }

  sorted(): Float64Array {
    return this.values.subarray(0, this.length).sort();
  }
}

/** The nearest-rank percentile of sorted values. */
export function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(fraction * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

const milliseconds = (microseconds: number): number => Math.round(microseconds) / 1000;

/**
 * Reads every log file that starts with `prefix` in `directory` and computes latency
 * average, standard deviation and percentiles. Each line is
 * `client transaction time script epoch microseconds [lag] [retries]`, where `time` is the
 * transaction's latency in microseconds, or `failed`/`serialization`/`deadlock`/`skipped`.
 */
export async function readTransactionLogs(
  directory: string,
  prefix: string,
): Promise<TransactionLatencies> {
  const names = (await readdir(directory)).filter((name) => name.startsWith(`${prefix}.`));
  const samples = new Samples();
  let failed = 0;
  let skipped = 0;
  let zeroLatency = 0;
  let sum = 0;
  let sumOfSquares = 0;

  for (const name of names) {
    const lines = createInterface({
      input: createReadStream(join(directory, name), { encoding: 'utf8' }),
      crlfDelay: Infinity,
    });
    for await (const line of lines) {
      const time = line.split(' ')[2];
      if (time === undefined || time === '') continue;
      if (time === 'failed' || time === 'serialization' || time === 'deadlock') {
        failed += 1;
        continue;
      }
      if (time === 'skipped') {
        skipped += 1;
        continue;
      }
      const latency = Number(time);
      if (!Number.isFinite(latency)) continue;
      if (latency === 0) zeroLatency += 1;
      samples.push(latency);
      sum += latency;
      sumOfSquares += latency * latency;
    }
  }

  const count = samples.length;
  if (count === 0) {
    return {
      transactions: 0,
      failed,
      skipped,
      zeroLatency,
      latencyMs: undefined,
      files: names.length,
    };
  }
  const sorted = samples.sorted();
  const average = sum / count;
  const variance = Math.max(0, sumOfSquares / count - average * average);
  return {
    transactions: count,
    failed,
    skipped,
    zeroLatency,
    latencyMs: {
      average: milliseconds(average),
      stddev: milliseconds(Math.sqrt(variance)),
      min: milliseconds(sorted[0] ?? 0),
      p50: milliseconds(percentile(sorted, 0.5)),
      p95: milliseconds(percentile(sorted, 0.95)),
      p99: milliseconds(percentile(sorted, 0.99)),
      max: milliseconds(sorted[count - 1] ?? 0),
    },
    files: names.length,
  };
}
