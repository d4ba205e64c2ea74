import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { threadId } from 'node:worker_threads';

/** The built CLI, as `npm test` builds it before the tests run. */
export const cliPath = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));
/** The repository root: the CLI runs there unless told otherwise. */
export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The store the CLI writes to unless a test names one: a file of this test worker's, so that
 * tests running at once do not share (or litter the checkout with) `.cadre/state.db`.
 */
export const workerStoreUrl = join(tmpdir(), `cadre-cli-${process.pid}-${threadId}.db`);

/** Runs `cadre …` as a user would (with extra environment variables) and returns its exit code and output. */
export function runCli(
  args: string[],
  cwd = repositoryRoot,
  environment: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cliPath, ...args],
      {
        cwd,
        env: { ...process.env, NO_COLOR: '1', CADRE_STORE_URL: workerStoreUrl, ...environment },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
