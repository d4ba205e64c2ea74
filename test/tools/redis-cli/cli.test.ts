import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repositoryRoot, serverPath } from './redis-cli-client.js';

function runServer(
  args: string[],
  environment: Record<string, string>,
): Promise<{ code: number; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [serverPath, ...args],
      { cwd: repositoryRoot, env: { ...process.env, ...environment } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end();
  });
}

describe('the redis-cli command', () => {
  it('fails with a clear message, and no password, when Redis cannot be reached', async () => {
    const result = await runServer(['--url', 'env:CADRE_TEST_UNREACHABLE_REDIS'], {
      CADRE_TEST_UNREACHABLE_REDIS: 'redis://someone:hunter2@127.0.0.1:1/0',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('could not connect to Redis at redis://127.0.0.1:1/0');
    expect(result.stderr).not.toContain('hunter2');
    expect(result.stdout).toBe('');
  });

  it('refuses a URL it cannot parse with a clear message, no stack trace and no password', async () => {
    const result = await runServer(['--url', 'env:CADRE_TEST_BAD_REDIS'], {
      CADRE_TEST_BAD_REDIS: 'redis://:hunter2@127.0.0.1:99999',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the URL is not valid: redis://:[redacted]@127.0.0.1:99999');
    expect(result.stderr).toContain('a port from 1 to 65535');
    expect(result.stderr).not.toContain('hunter2');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('names the environment variable that is not set', async () => {
    const result = await runServer(['--url', 'env:CADRE_TEST_REDIS_URL_NOT_SET'], {});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('CADRE_TEST_REDIS_URL_NOT_SET is not set');
  });

  it('refuses a grant it does not know', async () => {
    const result = await runServer(['--url', 'redis://127.0.0.1:1', '--grant', 'root'], {});
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('--grant');
  });
});
