import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { grantCovers } from '../../src/org/tool-catalog.js';
import { redactSecrets } from '../shared/redact.js';
import { errorResult, textResult } from '../shared/tool-result.js';
import { childFailure } from './child-failure.js';
import type { InitInput } from './run-input.js';
import type { PgbenchToolContext } from './run-tool.js';
import { targetRefusal } from './target-check.js';

/** What `init` returns as JSON. */
export interface InitReport {
  target: string;
  scale: number;
  foreignKeys: boolean;
  unloggedTables: boolean;
  /** Rows in pgbench_accounts after init (100,000 per scale unit). */
  accountsRows: number;
  /** Total seconds pgbench reported. */
  seconds: number | undefined;
  /** pgbench's per-step timings, as it printed them. */
  steps: string | undefined;
}

/** The `init` tool's description. */
export const initDescription =
  'Create the pgbench tables (pgbench -i) at a scale factor of 1 to 100 (100,000 pgbench_accounts rows per unit), optionally with foreign keys or unlogged tables. It DROPS existing pgbench_accounts, pgbench_branches, pgbench_tellers and pgbench_history first. Bounded in time. Needs the write grant.';

/** The `init` handler: checks the grant and target, runs `pgbench -i`, reports. */
export function initTool(
  context: PgbenchToolContext,
): (input: InitInput, extra: { signal: AbortSignal }) => Promise<CallToolResult> {
  return async (input, extra) => {
    if (!grantCovers(context.grant, 'write')) {
      return errorResult(
        'init needs the write grant: it drops and recreates the pgbench tables; ask for the write grant, or run select-only benchmarks on tables that exist',
      );
    }
    const refusedTarget = targetRefusal(context.scope, input.target);
    if (refusedTarget !== undefined) return errorResult(refusedTarget);
    if (context.runner.busy) {
      return errorResult(
        'a pgbench run is in progress on this server: wait for it to finish, then call init',
      );
    }
    let directory: string | undefined;
    try {
      directory = await mkdtemp(join(tmpdir(), 'cadre-pgbench-'));
      const options = [
        '-i',
        '-s',
        String(input.scale),
        ...(input.foreign_keys ? ['--foreign-keys'] : []),
        ...(input.unlogged_tables ? ['--unlogged-tables'] : []),
      ];
      const outcome = await context.runner.run({
        arguments: options,
        workingDirectory: directory,
        deadlineMs: context.timeoutMs,
        readOnly: false,
        signal: extra.signal,
      });
      if (outcome === 'busy') {
        return errorResult(
          'a pgbench run is in progress on this server: wait for it to finish, then call init',
        );
      }
      const failure = childFailure(outcome, context.timeoutMs);
      if (failure !== undefined) return errorResult(failure);
      const done = /done in ([0-9.]+) s \(([^)]*)\)/.exec(outcome.stderr);
      const report: InitReport = {
        target: context.scope.target,
        scale: input.scale,
        foreignKeys: input.foreign_keys,
        unloggedTables: input.unlogged_tables,
        accountsRows: input.scale * 100_000,
        seconds: done?.[1] === undefined ? undefined : Number(done[1]),
        steps: done?.[2],
      };
      const text = [
        `pgbench tables created on target '${report.target}' at scale ${report.scale}: ${report.accountsRows} rows in pgbench_accounts${report.foreignKeys ? ', with foreign keys' : ''}${report.unloggedTables ? ', unlogged' : ''}`,
        report.seconds === undefined
          ? 'pgbench did not report its timings'
          : `done in ${report.seconds} s (${report.steps ?? ''})`,
      ].join('\n');
      return textResult(text, report);
    } catch (error) {
      return errorResult(
        redactSecrets(`init failed: ${error instanceof Error ? error.message : String(error)}`),
      );
    } finally {
      if (directory !== undefined) await rm(directory, { recursive: true, force: true });
    }
  };
}
