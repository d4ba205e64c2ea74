import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/runtime/run-event.js';
import { runCli } from '../helpers/run-cli.js';

const temporary: string[] = [];
afterAll(async () =>
  Promise.all(temporary.map((dir) => rm(dir, { recursive: true, force: true }))),
);

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cadre-run-'));
  temporary.push(dir);
  return dir;
}

const noKey = { ANTHROPIC_API_KEY: '', CADRE_MODEL: '' };

describe('cadre run', () => {
  it('rehearses ESA: CEO → Chief #1 → Domain #1 → Layers #1 and #14 in parallel, NDJSON with one run-end', async () => {
    const dir = await tempDir();
    const log = join(dir, 'requests.json');
    const result = await runCli(
      [
        'run',
        '--model',
        'rehearsal',
        '--org',
        'agents/esa',
        '--json',
        '--rehearsal-log',
        log,
        'Check the database and cache health',
      ],
      undefined,
      noKey,
    );
    expect(result.code).toBe(0);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as RunEvent);
    expect(events.filter((event) => event.type === 'run-end')).toHaveLength(1);
    const end = events.at(-1);
    expect(end?.type).toBe('run-end');
    const tasks = events.flatMap((event) =>
      event.type === 'message-sent' && event.kind === 'task' ? [`${event.from}>${event.to}`] : [],
    );
    expect(tasks).toEqual([
      '@user>ceo',
      'ceo>chief-1',
      'chief-1>domain-1',
      'domain-1>layer-1',
      'domain-1>layer-14',
    ]);
    const answer = end?.type === 'run-end' ? (end.answer ?? '') : '';
    expect(answer).toContain('Layer #1 database checked. rehearsal: psql__health');
    expect(answer).toContain('Layer #14 cache checked. rehearsal: redis-cli__info');
    const requests = JSON.parse(await readFile(log, 'utf8')) as {
      agent: string;
      startedAt: number;
      endedAt: number;
    }[];
    const first = (agent: string) => requests.find((entry) => entry.agent === agent);
    const layer1 = first('layer-1');
    const layer14 = first('layer-14');
    expect(layer1 && layer14).toBeTruthy();
    if (layer1 && layer14) {
      expect(layer1.startedAt).toBeLessThan(layer14.endedAt);
      expect(layer14.startedAt).toBeLessThan(layer1.endedAt);
    }
  });

  it('prints the answer on stdout and the progress and summary on stderr', async () => {
    const result = await runCli(
      ['run', '--model', 'rehearsal', '--org', 'agents/heir', 'Design the orders schema'],
      undefined,
      noKey,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Master Orchestrator: Answer from data-orchestrator/);
    expect(result.stderr).toContain('data-orchestrator → database-specialist  task:');
    expect(result.stderr).toMatch(
      /\d+ model calls · [\d,]+ tokens \(\d+% read from cache\) .* nothing spent/,
    );
  });

  it('says so and ends (exit 1) when the rehearsal log cannot be written, instead of hanging', async () => {
    const dir = await tempDir();
    const result = await runCli(
      ['run', '--model', 'rehearsal', '--org', 'agents/heir', '--rehearsal-log', dir, 'go'],
      undefined,
      noKey,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot write the rehearsal log to ${dir}: EISDIR`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('says what to set when there is no API key and no --model', async () => {
    const result = await runCli(['run', '--org', 'agents/esa', 'hello'], undefined, noKey);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'cadre run: ANTHROPIC_API_KEY is not set, so cadre cannot call Claude',
    );
    expect(result.stderr).toContain('--model rehearsal');
  });

  it('refuses bad input with a clear error and exit 1', async () => {
    const unknownAgent = await runCli(
      ['run', '--model', 'rehearsal', '--org', 'agents/esa', '--to', 'layer-99', 'hello'],
      undefined,
      noKey,
    );
    expect(unknownAgent.code).toBe(1);
    expect(unknownAgent.stderr).toContain("agent 'layer-99' is not in org 'esa'");
    const empty = await runCli(
      ['run', '--model', 'rehearsal', '--org', 'agents/esa', '  '],
      undefined,
      noKey,
    );
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('the task is empty');
    const missing = await runCli(
      ['run', '--model', 'rehearsal', '--org', 'agents/nope', 'hello'],
      undefined,
      noKey,
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('agents/nope:1:1: error: agents/nope does not exist');
    const dir = await tempDir();
    const script = join(dir, 'broken.yaml');
    await writeFile(script, 'agents:\n  ceo:\n    - txet: hello\n');
    const broken = await runCli(
      ['run', '--model', `rehearsal:${script}`, '--org', 'agents/esa', 'hello'],
      undefined,
      noKey,
    );
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/broken\.yaml:3:\d+/);
    expect(broken.stderr).toContain('txet');
  });
});
