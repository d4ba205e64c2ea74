import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeServer } from '../../src/testing.js';
import { cliPath, repositoryRoot, runCli, workerStoreUrl } from '../helpers/run-cli.js';

const temporary: string[] = [];
afterAll(async () =>
  Promise.all(temporary.map((dir) => rm(dir, { recursive: true, force: true }))),
);

/** Runs the CLI with text on its standard input. */
function runWithInput(
  args: string[],
  input: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd: repositoryRoot,
      env: { ...process.env, ANTHROPIC_API_KEY: '', CADRE_STORE_URL: workerStoreUrl },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('cadre chat', () => {
  it('answers each line, and the entry agent sees the earlier exchanges', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cadre-chat-'));
    temporary.push(dir);
    const log = join(dir, 'requests.json');
    const result = await runWithInput(
      ['chat', '--model', 'rehearsal', '--org', 'agents/heir', '--rehearsal-log', log],
      'Design the orders schema\n\nNow add an index on customer_id\n/exit\nnever read\n',
    );
    expect(result.code).toBe(0);
    const answers = result.stdout.trim().split('\n');
    expect(answers).toHaveLength(2);
    for (const answer of answers)
      expect(answer).toMatch(/^Master Orchestrator: Answer from data-orchestrator/);
    const requests = JSON.parse(await readFile(log, 'utf8')) as {
      agent: string;
      body: { messages: { role: string; content: unknown }[] };
    }[];
    const entryRequests = requests.filter((entry) => entry.agent === 'master-orchestrator');
    expect(entryRequests.map((entry) => entry.body.messages.length)).toEqual([1, 3, 3, 5]);
    const secondTask = entryRequests[2]?.body.messages;
    expect(JSON.stringify(secondTask?.[0])).toContain('Design the orders schema');
    expect(secondTask?.[1]?.role).toBe('assistant');
    expect(JSON.stringify(secondTask?.[2])).toContain('Now add an index on customer_id');
    expect(result.stdout).not.toContain('never read');
  });

  it('takes the next line as the answer when an escalation reaches the person, then goes on with the next task', async () => {
    const result = await runWithInput(
      [
        'chat',
        '--model',
        'rehearsal:agents/esa/rehearsals/human-decision.yaml',
        '--org',
        'agents/esa',
      ],
      'Restore the orders table?\nApproved in the chat\nAnd the invoices table?\nDenied for invoices\n',
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('human, you are asked (escalation');
    expect(result.stdout.trim().split('\n')).toEqual([
      'CEO: Answer from human: Approved in the chat',
      'CEO: Answer from human: Denied for invoices',
    ]);
  });
});

describe('cadre run against an endpoint named by ANTHROPIC_BASE_URL', () => {
  it('uses ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL: the production path, answered by the fake server', async () => {
    const server = await startFakeServer({
      script: { agents: { 'master-orchestrator': [{ text: 'Straight from the endpoint.' }] } },
    });
    try {
      const result = await runCli(['run', '--org', 'agents/heir', 'Say hello'], undefined, {
        ANTHROPIC_API_KEY: 'sk-test',
        ANTHROPIC_BASE_URL: server.url,
        CADRE_MODEL: '',
      });
      expect(result.code).toBe(0);
      expect(result.stdout.trim()).toBe('Straight from the endpoint.');
      expect(server.requests).toHaveLength(1);
      expect((server.requests[0]?.body as { model: string }).model).toBe('claude-sonnet-4-6');
      const withModel = await runCli(
        ['run', '--org', 'agents/heir', '--model', 'claude-haiku-4-5', 'Say hello'],
        undefined,
        { ANTHROPIC_API_KEY: 'sk-test', ANTHROPIC_BASE_URL: server.url },
      );
      expect(withModel.code).toBe(0);
      expect((server.requests[1]?.body as { model: string }).model).toBe('claude-haiku-4-5');
    } finally {
      await server.close();
    }
  });
});

describe('Ctrl-C', () => {
  it('cancels a run cleanly: exit 1, "run cancelled", no answer', async () => {
    const server = await startFakeServer({
      script: { agents: { 'master-orchestrator': [{ delay_ms: 20_000, text: 'too late' }] } },
    });
    try {
      const child = spawn(
        process.execPath,
        [cliPath, 'run', '--org', 'agents/heir', 'Wait for me'],
        {
          cwd: repositoryRoot,
          env: {
            ...process.env,
            CADRE_STORE_URL: workerStoreUrl,
            ANTHROPIC_API_KEY: 'sk-test',
            ANTHROPIC_BASE_URL: server.url,
            CADRE_MODEL: '',
          },
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      await new Promise<void>((resolve) => {
        const check = setInterval(() => {
          if (server.requests.length > 0) {
            clearInterval(check);
            resolve();
          }
        }, 20);
      });
      child.kill('SIGINT');
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code).toBe(1);
      expect(stderr).toContain('run cancelled');
      expect(stdout).toBe('');
    } finally {
      await server.close();
    }
  });
});
