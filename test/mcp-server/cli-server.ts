import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll } from 'vitest';
import { cliPath, repositoryRoot } from '../helpers/run-cli.js';

/** A temporary folder for a test's store (`CADRE_STORE_URL`) and files; `remove` deletes it. */
export async function tempFolder(): Promise<{
  dir: string;
  storeUrl: string;
  remove: () => Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'cadre-mcp-'));
  return {
    dir,
    storeUrl: join(dir, 'state.db'),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** The environment a test server runs in: no API key (so `auto` rehearses), its own store. */
export function serverEnvironment(
  storeUrl: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ...(process.env as Record<string, string>),
    ANTHROPIC_API_KEY: '',
    CADRE_MODEL: '',
    CADRE_MCP_TOKEN: '',
    CADRE_STORE_URL: storeUrl,
    NO_COLOR: '1',
    ...extra,
  };
}

/** `cadre mcp …` as an MCP client starts it: a child process over stdio, from the built CLI. */
export function stdioTransport(
  args: string[],
  environment: Record<string, string>,
  cwd = repositoryRoot,
): StdioClientTransport {
  return new StdioClientTransport({
    command: process.execPath,
    args: [cliPath, 'mcp', ...args],
    env: environment,
    cwd,
    stderr: 'pipe',
  });
}

/** A `cadre mcp --http` child process and the endpoint it announced. */
export interface HttpChild {
  url: string;
  child: ChildProcess;
  stderr: () => string;
  /** Stops it with SIGTERM (as a person or a supervisor would) and waits for it to exit. */
  stop: () => Promise<number | null>;
}

/** Starts `cadre mcp … --http <address>` and waits for the line that says where it listens. */
export function startHttpServer(
  args: string[],
  environment: Record<string, string>,
  address = '127.0.0.1:0',
): Promise<HttpChild> {
  const child = spawn(process.execPath, [cliPath, 'mcp', ...args, '--http', address], {
    cwd: repositoryRoot,
    env: environment,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`cadre mcp --http did not start within 20 s:\n${stderr}`));
    }, 20_000);
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr += chunk;
      const url = / at (http:\/\/\S+\/mcp)/.exec(stderr)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ url, child, stderr: () => stderr, stop });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`cadre mcp --http exited with ${code}:\n${stderr}`));
    });
  });
}

/**
 * `cadre mcp … --http <address>` for the tests of one describe block: started before them with a
 * store of its own (and `extraEnvironment`), stopped after. Use the result inside the tests.
 */
export function httpServerAround(
  args: string[],
  extraEnvironment: Record<string, string> = {},
  address = '127.0.0.1:0',
): HttpChild {
  let started: HttpChild | undefined;
  let remove: () => Promise<void> = async () => undefined;
  beforeAll(async () => {
    const folder = await tempFolder();
    remove = folder.remove;
    started = await startHttpServer(
      args,
      serverEnvironment(folder.storeUrl, extraEnvironment),
      address,
    );
  });
  afterAll(async () => {
    await started?.stop();
    await remove();
  });
  const running = (): HttpChild => {
    if (!started) throw new Error('the cadre mcp --http server is not running (outside a test?)');
    return started;
  };
  return {
    get url() {
      return running().url;
    },
    get child() {
      return running().child;
    },
    stderr: () => running().stderr(),
    stop: () => running().stop(),
  };
}

/** The headers a Streamable HTTP client sends with a JSON-RPC message. */
export const jsonRpcHeaders = {
  'Content-Type': 'application/json',
  Accept: 'application/json, text/event-stream',
};

/** The body of an `initialize` request from a client named `clientName`. */
export function initializeBody(clientName: string, id = 1): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: clientName, version: '1.0.0' },
    },
  });
}
