import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/runtime/run-event.js';
import { cliPath, repositoryRoot, runCli } from '../helpers/run-cli.js';

const run = [
  'run',
  '--model',
  'rehearsal:agents/esa/rehearsals/human-decision.yaml',
  '--org',
  'agents/esa',
];
const task = 'Restore the orders table?';

let folder = '';
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'cadre-human-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('a person at the top of agents/esa', () => {
  it('without a terminal, waits for `cadre answer` from another shell; a second answer and an unknown id are clear errors', async () => {
    const storeUrl = join(folder, 'answer.db');
    const environment = { ...process.env, ANTHROPIC_API_KEY: '', CADRE_STORE_URL: storeUrl };
    const child = spawn(process.execPath, [cliPath, ...run, '--json', task], {
      cwd: repositoryRoot,
      env: environment,
    });
    let stdout = '';
    const fired = new Promise<RunEvent & { type: 'escalation-fired' }>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const event = stdout
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as RunEvent)
          .find((each) => each.type === 'escalation-fired');
        if (event?.type === 'escalation-fired') resolve(event);
      });
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const escalation = await fired;
    expect(escalation).toMatchObject({ agent: 'ceo', to: 'human' });

    const listed = await runCli(['escalations', '--open'], undefined, {
      CADRE_STORE_URL: storeUrl,
    });
    expect(listed.stdout).toContain(`${escalation.escalationId}  open`);
    expect(listed.stdout).toContain('ceo → human');

    const answered = await runCli(
      ['answer', escalation.escalationId.slice(0, 8), "Approved: restore from last night's backup"],
      undefined,
      { CADRE_STORE_URL: storeUrl },
    );
    expect(answered.code).toBe(0);
    expect(answered.stdout).toContain(`answered ${escalation.escalationId} for ceo`);

    expect(await exited).toBe(0);
    const end = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as RunEvent)
      .at(-1);
    expect(end?.type === 'run-end' ? end.answer : '').toBe(
      "CEO: Answer from human: Approved: restore from last night's backup",
    );

    const twice = await runCli(['answer', escalation.escalationId, 'Denied'], undefined, {
      CADRE_STORE_URL: storeUrl,
    });
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain(
      `cadre answer: escalation '${escalation.escalationId}' was already answered by human`,
    );
    const unknown = await runCli(['answer', 'no-such-escalation', 'Denied'], undefined, {
      CADRE_STORE_URL: storeUrl,
    });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("cadre answer: no escalation 'no-such-escalation'");
    expect(unknown.stderr).toContain('cadre escalations --open');

    const shown = await runCli(['show', end?.runId.slice(0, 8) ?? ''], undefined, {
      CADRE_STORE_URL: storeUrl,
    });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain("ceo's request escalated to human");
    expect(shown.stdout).toContain(
      "answer: CEO: Answer from human: Approved: restore from last night's backup",
    );
    const runs = await runCli(['runs'], undefined, { CADRE_STORE_URL: storeUrl });
    expect(runs.stdout).toMatch(
      /completed .* esa {2}1 agents {2}\$0\.0\d+ {2}Restore the orders table\?/,
    );
  });

  it('on a terminal, asks at the prompt and takes the typed line as the answer', async () => {
    const storeUrl = join(folder, 'prompt.db');
    const command = [process.execPath, cliPath, ...run, task].map((part) => `'${part}'`).join(' ');
    // `script` gives the run a pseudo-terminal, as a person's shell would.
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      cwd: repositoryRoot,
      env: { ...process.env, ANTHROPIC_API_KEY: '', CADRE_STORE_URL: storeUrl, NO_COLOR: '1' },
    });
    let screen = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const before = screen;
      screen += chunk.toString();
      if (!before.includes('your answer> ') && screen.includes('your answer> ')) {
        child.stdin.write('Approved at the prompt\r');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));

    expect(screen).toContain('human, you are asked (escalation');
    expect(screen).toContain('Restoring the orders table from last night');
    expect(screen).toContain('CEO: Answer from human: Approved at the prompt');
    expect(code).toBe(0);
  });
});
