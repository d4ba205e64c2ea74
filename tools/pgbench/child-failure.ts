import { redactSecrets } from '../shared/redact.js';
import { pgbenchMissingMessage } from './find-pgbench.js';
import { errorLines } from './pgbench-output.js';
import type { ChildOutcome } from './run-child.js';

/**
 * Why a pgbench child did not succeed, as a message the model can act on; undefined when it
 * exited 0. Error text from pgbench is redacted (it could name a connection string).
 */
export function childFailure(outcome: ChildOutcome, deadlineMs: number): string | undefined {
  if (outcome.startError !== undefined) {
    return outcome.startError.code === 'ENOENT' || outcome.startError.code === 'EACCES'
      ? pgbenchMissingMessage
      : redactSecrets(`pgbench could not be started: ${outcome.startError.message}`);
  }
  if (outcome.timedOut) {
    return `pgbench ran past its time limit of ${Math.round(deadlineMs / 100) / 10} s and was stopped (SIGTERM, then SIGKILL); no results: ask for a shorter duration_seconds or fewer transactions`;
  }
  if (outcome.cancelled) return 'the pgbench run was cancelled and stopped; no results';
  if (outcome.exitCode === 0) return undefined;
  const lines = errorLines(outcome.stderr).map((line) => line.replace(/\.$/, ''));
  const ending =
    outcome.exitCode === null
      ? `signal ${outcome.signal ?? 'unknown'}`
      : `exit ${outcome.exitCode}`;
  const missingTables = /relation "pgbench_[a-z]+" does not exist/.test(outcome.stderr)
    ? ' The pgbench tables are missing: call init first (needs the write grant).'
    : '';
  return redactSecrets(
    `pgbench failed (${ending}): ${lines.length > 0 ? lines.join(' | ') : 'it printed no error message'}.${missingTables}`,
  );
}
