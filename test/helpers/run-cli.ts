import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built CLI, as `npm test` builds it before the tests run. */
export const cliPath = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));
/** The repository root: the CLI runs there unless told otherwise. */
export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

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
      { cwd, env: { ...process.env, NO_COLOR: '1', ...environment } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
