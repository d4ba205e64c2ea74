import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Grant } from '../../src/org/agent-schema.js';
import { grantCovers } from '../../src/org/tool-catalog.js';
import { redactSecrets } from '../shared/redact.js';
import { errorResult, textResult } from '../shared/tool-result.js';
import { childFailure } from './child-failure.js';
import { parseProgressLines, parseSummary } from './pgbench-output.js';
import type { InFlightCalls } from './in-flight-calls.js';
import type { PgbenchRunner } from './pgbench-runner.js';
import type { RunReport } from './run-report.js';
import { formatRunReport } from './run-report.js';
import type { BuiltinScript, RunInput } from './run-input.js';
import { checkScript } from './script-check.js';
import type { TargetScope } from './target-check.js';
import { targetRefusal } from './target-check.js';
import type { ConnectionHeadroom } from './target-probe.js';
import { headroomRefusal } from './target-probe.js';
import { readTransactionLogs } from './transaction-log.js';

/** What the pgbench tools share: the runner, the grant, the target and the time limits. */
export interface PgbenchToolContext {
  runner: PgbenchRunner;
  grant: Grant;
  scope: TargetScope;
  /** Longest `duration_seconds` accepted. */
  maxSeconds: number;
  /** Wall-clock limit of any pgbench child. */
  timeoutMs: number;
  /** The calls in progress, which closing the server waits for. */
  calls: InFlightCalls;
  /** Asks the target how many connection slots are free (before each run). */
  headroom: () => Promise<ConnectionHeadroom>;
}

/** Time a duration run gets beyond its duration to connect and report. */
export const startupAllowanceMs = 10_000;

/** The file-name prefix of the transaction logs inside the private directory. */
const logPrefix = 'transactions';

/** The `run` tool's description for a grant. */
export function runDescription(grant: Grant, maxSeconds: number): string {
  const scripts = grantCovers(grant, 'write')
    ? `a built-in script (select-only, tpcb-like, simple-update) or a custom script (SQL checked as psql's execute checks it: ${grantCovers(grant, 'admin') ? 'anything but' : 'no roles, settings, DO blocks or functions (admin), no'} file, program or network functions; \\shell and \\setshell refused${grantCovers(grant, 'admin') ? '' : '; \\gset and \\aset need admin'})`
    : 'the select-only built-in script or a custom read-only script (SELECT/WITH/VALUES/SHOW/TABLE, \\set, \\sleep; run inside BEGIN TRANSACTION READ ONLY … ROLLBACK)';
  return `Run a pgbench benchmark against this server's target, bounded in time (duration at most ${maxSeconds} s): ${scripts}. Give duration_seconds or transactions (per client), clients, threads, optionally rate. Runs with -n (no vacuum, nothing truncated). Returns tps, latency average/stddev/p50/p95/p99/max computed from the per-transaction logs, failed transactions, per-statement latencies and per-second progress; the logs are removed afterwards.`;
}

/** The `run` handler: validates the request against the grant, runs pgbench, reports. */
export function runTool(
  context: PgbenchToolContext,
): (input: RunInput, extra: { signal: AbortSignal }) => Promise<CallToolResult> {
  return async (input, extra) => {
    try {
      return await run(context, input, extra.signal);
    } catch (error) {
      return errorResult(
        redactSecrets(
          `the pgbench run failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    }
  };
}

async function run(
  context: PgbenchToolContext,
  input: RunInput,
  signal: AbortSignal,
): Promise<CallToolResult> {
  const { grant, runner } = context;
  const refusedTarget = targetRefusal(context.scope, input.target);
  if (refusedTarget !== undefined) return errorResult(refusedTarget);
  if (input.threads > input.clients) {
    return errorResult(
      `threads (${input.threads}) must not exceed clients (${input.clients}): lower threads or raise clients`,
    );
  }
  if (input.duration_seconds !== undefined && input.transactions !== undefined) {
    return errorResult(
      'give duration_seconds or transactions, not both: pgbench runs for a time or for a count',
    );
  }
  if (input.builtin !== undefined && input.script !== undefined) {
    return errorResult('give builtin or script, not both: one script per run');
  }
  const canWrite = grantCovers(grant, 'write');
  const builtin: BuiltinScript | undefined =
    input.script === undefined ? (input.builtin ?? 'select-only') : undefined;
  if (!canWrite && builtin !== undefined && builtin !== 'select-only') {
    return errorResult(
      `the built-in script ${builtin} writes (UPDATE and INSERT on the pgbench tables), which needs the write grant; at the read grant use builtin select-only or a read-only script`,
    );
  }
  let scriptText: string | undefined;
  if (input.script !== undefined) {
    const check = checkScript(input.script, grant);
    if (!check.ok) return errorResult(`script refused: ${check.reason}`);
    scriptText = check.script;
  }
  let headroom: ConnectionHeadroom;
  try {
    headroom = await context.headroom();
  } catch (error) {
    return errorResult(
      redactSecrets(
        `could not ask the target how many connections are free, so nothing was run: ${error instanceof Error ? error.message : String(error)}`,
      ),
    );
  }
  const crowding = headroomRefusal(input.clients, headroom);
  if (crowding !== undefined) return errorResult(`refused: ${crowding}`);
  if (runner.busy) {
    return errorResult(
      'another pgbench run is in progress on this server: wait for it to finish, then try again',
    );
  }

  const durationSeconds =
    input.transactions === undefined
      ? (input.duration_seconds ?? Math.min(10, context.maxSeconds))
      : undefined;
  const deadlineMs =
    durationSeconds === undefined
      ? context.timeoutMs
      : Math.min(context.timeoutMs, durationSeconds * 1000 + startupAllowanceMs);

  const directory = await mkdtemp(join(tmpdir(), 'cadre-pgbench-'));
  try {
    const scriptOptions: string[] = ['-b', builtin ?? 'select-only'];
    if (scriptText !== undefined) {
      const scriptPath = join(directory, 'script.sql');
      await writeFile(scriptPath, scriptText, { mode: 0o600 });
      // pgbench reads a weight after the last @; giving it keeps any @ in the path harmless.
      scriptOptions.splice(0, 2, '-f', `${scriptPath}@1`);
    }
    const options = [
      '-n',
      // A custom script's variables go as parameters (-M extended), never pasted into its SQL
      // as text, where a value such as -1 after a minus sign would start a comment the checks
      // never saw. The built-in scripts keep pgbench's default (simple).
      ...(scriptText === undefined ? [] : ['-M', 'extended']),
      ...scriptOptions,
      '-c',
      String(input.clients),
      '-j',
      String(input.threads),
      ...(durationSeconds === undefined
        ? ['-t', String(input.transactions)]
        : ['-T', String(durationSeconds)]),
      ...(input.rate === undefined ? [] : ['-R', String(input.rate)]),
      '-r',
      '--progress=1',
      '--log',
      `--log-prefix=${join(directory, logPrefix)}`,
    ];
    const outcome = await runner.run({
      arguments: options,
      workingDirectory: directory,
      deadlineMs,
      readOnly: !canWrite,
      signal,
    });
    if (outcome === 'busy') {
      return errorResult(
        'another pgbench run is in progress on this server: wait for it to finish, then try again',
      );
    }
    const failure = childFailure(outcome, deadlineMs);
    if (failure !== undefined) return errorResult(failure);

    const summary = parseSummary(outcome.stdout);
    const logs = await readTransactionLogs(directory, logPrefix);
    const report: RunReport = {
      target: context.scope.target,
      script: builtin ?? 'custom',
      readOnlyWrapper: scriptText !== undefined && !canWrite,
      clients: input.clients,
      threads: input.threads,
      durationSeconds,
      transactionsPerClient: input.transactions,
      rate: input.rate,
      tps: summary.tps,
      transactionsProcessed: summary.transactionsProcessed ?? logs.transactions,
      failedTransactions: summary.failedTransactions ?? logs.failed,
      skippedTransactions: logs.skipped,
      latencyMs: logs.latencyMs,
      zeroLatencyTransactions: logs.zeroLatency,
      summaryLatencyMs: { average: summary.latencyAverageMs, stddev: summary.latencyStddevMs },
      initialConnectionTimeMs: summary.initialConnectionTimeMs,
      scheduleLagMs:
        summary.scheduleLagAverageMs === undefined || summary.scheduleLagMaxMs === undefined
          ? undefined
          : { average: summary.scheduleLagAverageMs, max: summary.scheduleLagMaxMs },
      statements: summary.statements,
      progress: parseProgressLines(outcome.stderr),
      logDirectory: directory,
      logFiles: logs.files,
      pgbenchVersion: runner.binary.versionText,
    };
    return textResult(formatRunReport(report), report);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
