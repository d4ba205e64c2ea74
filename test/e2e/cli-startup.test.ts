import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cliPath, repositoryRoot, workerStoreUrl } from '../helpers/run-cli.js';

/** A loader hook that reports every module the child loads, one `LOADED <url>` line each. */
const reportLoads = `data:text/javascript,${encodeURIComponent(
  "export async function load(url, context, next) { process.stderr.write('LOADED ' + url + '\\n'); return next(url, context); }",
)}`;
const registerHook = `data:text/javascript,${encodeURIComponent(
  `import { register } from 'node:module'; register(${JSON.stringify(reportLoads)});`,
)}`;

/** Runs `cadre …` with the hook; returns its exit code and the packages it loaded. */
function packagesLoadedBy(args: string[]): Promise<{ code: number; packages: Set<string> }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', registerHook, cliPath, ...args],
      { cwd: repositoryRoot, env: { ...process.env, CADRE_STORE_URL: workerStoreUrl } },
      (error, _stdout, stderr) => {
        const packages = new Set<string>();
        for (const line of stderr.split('\n')) {
          const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(line);
          if (line.startsWith('LOADED ') && match?.[1]) packages.add(match[1]);
        }
        resolve({ code: error ? 1 : 0, packages });
      },
    );
  });
}

const heavy = ['@anthropic-ai/sdk', '@modelcontextprotocol/sdk', 'pg', 'ioredis', 'libsql'];

describe('cadre loads only what the command it runs needs', () => {
  it('validates an org without the model SDK, the MCP SDK or a database driver', async () => {
    const { code, packages } = await packagesLoadedBy(['validate', 'agents/esa']);
    expect(code).toBe(0);
    expect(packages).toContain('yaml');
    expect(packages).toContain('zod');
    for (const name of heavy) expect(packages).not.toContain(name);
  });

  it('lists runs with the store’s own driver alone (SQLite by default)', async () => {
    const { code, packages } = await packagesLoadedBy(['runs', '--limit', '1']);
    expect(code).toBe(0);
    expect(packages).toContain('libsql');
    for (const name of heavy.filter((other) => other !== 'libsql')) {
      expect(packages).not.toContain(name);
    }
  });

  it('prints its version with commander alone', async () => {
    const { code, packages } = await packagesLoadedBy(['--version']);
    expect(code).toBe(0);
    expect([...packages]).toEqual(['commander']);
  });

  it('loads the MCP SDK for a command that runs agents (the model SDK waits for a first turn)', async () => {
    const { code, packages } = await packagesLoadedBy(['run', '--help']);
    expect(code).toBe(0);
    expect(packages).toContain('@modelcontextprotocol/sdk');
    expect(packages).not.toContain('@anthropic-ai/sdk');
  });
});
