import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, repositoryRoot } from '../helpers/run-cli.js';
import { serverEnvironment, startHttpServer, tempFolder } from '../mcp-server/cli-server.js';

const initialize = `${JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'raw-stdio', version: '1.0.0' },
  },
})}\n`;

describe('the life of a cadre mcp process', () => {
  let storeUrl = '';
  let remove: () => Promise<void>;
  beforeAll(async () => {
    ({ storeUrl, remove } = await tempFolder());
  });
  afterAll(async () => remove());

  it('over stdio writes only protocol messages to stdout, and exits 0 when its client closes stdin', async () => {
    const child = spawn(process.execPath, [cliPath, 'mcp', '--org', 'agents/esa'], {
      cwd: repositoryRoot,
      env: serverEnvironment(storeUrl),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdin.write(initialize);
    await expect.poll(() => stdout.includes('"id":1'), { timeout: 20_000 }).toBe(true);
    child.stdin.end();
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    for (const line of stdout.trim().split('\n'))
      expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' });
    expect(stderr).toContain("cadre mcp: serving org 'esa' (15 agents, entry ceo)");
    expect(stderr).toContain('rehearsal');
  });

  it('over stdio stops and exits 0 on SIGTERM, its client still connected', async () => {
    const child = spawn(process.execPath, [cliPath, 'mcp', '--org', 'agents/esa'], {
      cwd: repositoryRoot,
      env: serverEnvironment(storeUrl),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stdin.write(initialize);
    await expect.poll(() => stdout.includes('"id":1'), { timeout: 20_000 }).toBe(true);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('over HTTP stops and exits 0 on SIGTERM', async () => {
    const server = await startHttpServer(['--org', 'agents/esa'], serverEnvironment(storeUrl));
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    expect(await server.stop()).toBe(0);
  });

  it('refuses an entry agent the org does not have', async () => {
    const child = spawn(
      process.execPath,
      [cliPath, 'mcp', '--org', 'agents/esa', '--to', 'nobody'],
      {
        cwd: repositoryRoot,
        env: serverEnvironment(storeUrl),
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain("cadre mcp: --to 'nobody' is not an agent of org 'esa'");
  });
});
