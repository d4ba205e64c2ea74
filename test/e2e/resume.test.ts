import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/runtime/run-event.js';
import { openStore } from '../../src/store/open-store.js';
import { cliPath, repositoryRoot, runCli } from '../helpers/run-cli.js';

const drill = [
  'run',
  '--model',
  'rehearsal:agents/esa/rehearsals/peer-silence.yaml',
  '--time-scale',
  '1000',
  '--org',
  'agents/esa',
  '--json',
  'Can the checkout schema change go out today?',
];
const decision = 'CEO decision: ship the schema change tonight behind the feature flag.';

function parseEvents(stdout: string): RunEvent[] {
  return stdout
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as RunEvent);
}

/**
 * Starts the drill and kills it with SIGKILL once Domain #1's question to its peer is out (its
 * 30-minute deadline, 1.8 s of real time, is then stored and armed) and the store has caught
 * up: before the escalation fires.
 */
function startAndKill(storeUrl: string): Promise<RunEvent[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...drill], {
      cwd: repositoryRoot,
      env: { ...process.env, ANTHROPIC_API_KEY: '', CADRE_STORE_URL: storeUrl },
    });
    let stdout = '';
    let killing = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!killing && /"kind":"question"/.test(stdout)) {
        killing = true;
        setTimeout(() => child.kill('SIGKILL'), 300);
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`the drill ended by itself (exit ${code})`));
      else resolve(parseEvents(stdout));
    });
  });
}

async function checkResume(storeUrl: string): Promise<void> {
  const before = await startAndKill(storeUrl);
  const runId = before[0]?.runId ?? '';
  expect(before.some((event) => event.type === 'escalation-fired')).toBe(false);
  expect(before.some((event) => event.type === 'run-end')).toBe(false);

  const store = await openStore(storeUrl, { cwd: repositoryRoot });
  try {
    // What the killed process left: a running run and the question's stored deadline.
    expect((await store.getRun(runId))?.status).toBe('running');
    const question = (await store.openRequests(runId)).find(
      (request) => request.kind === 'question',
    );
    expect(question).toMatchObject({ from: 'domain-1', to: 'domain-2', status: 'open' });
    const dueAt = question?.dueAt ?? 0;
    expect(dueAt - (question?.sentAt ?? 0)).toBe(30 * 60_000);

    const resumed = await runCli(['resume', runId.slice(0, 8), '--json'], undefined, {
      ANTHROPIC_API_KEY: '',
      CADRE_STORE_URL: storeUrl,
    });
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const after = parseEvents(resumed.stdout);
    expect(after[0]).toMatchObject({ type: 'run-resume', runId });
    const fired = after.flatMap((event) => (event.type === 'escalation-fired' ? [event] : []));
    expect(fired.map((event) => [event.agent, event.to, event.rule])).toEqual([
      ['domain-1', 'chief-1', 'peer-question-unanswered'],
      ['domain-1', 'ceo', 'chief-escalation-unanswered'],
    ]);
    // Fired at its original due time (or, when that passed while nobody ran, at once): never before.
    expect(fired[0]?.at ?? 0).toBeGreaterThanOrEqual(dueAt);
    const end = after.at(-1);
    expect(end?.type === 'run-end' && end.status).toBe('completed');
    expect(end?.type === 'run-end' ? end.answer : '').toContain(decision);

    // Nothing lost: every message of the run was handled; nothing twice: each request opened
    // one session across both processes, and the run ended once.
    expect(await store.pendingMessages(runId)).toEqual([]);
    const events = await store.events(runId);
    const sent = events.flatMap((event) => (event.type === 'message-sent' ? [event] : []));
    for (const message of sent) {
      expect((await store.getMessage(message.messageId))?.status, message.messageId).toBe(
        'handled',
      );
    }
    const sessions = events.flatMap((event) =>
      event.type === 'session-start' ? [event.sessionId] : [],
    );
    expect(new Set(sessions).size).toBe(sessions.length);
    expect(events.filter((event) => event.type === 'run-end')).toHaveLength(1);
    expect((await store.getRun(runId))?.status).toBe('completed');
    expect(await store.listEscalations({ runId, open: true })).toEqual([]);
  } finally {
    await store.close();
  }
}

describe('cadre resume after SIGKILL, on the escalation drill of agents/esa', () => {
  let folder = '';
  const database = `cadre_resume_${process.pid}_${Date.now()}`;
  const adminUrl = 'postgres://postgres@127.0.0.1:5432/test';

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'cadre-resume-'));
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  });

  it('fires the stored escalation at its due time and completes, no message lost or handled twice (SQLite)', async () => {
    await checkResume(join(folder, 'state.db'));
  });

  it('does the same with CADRE_STORE_URL on the real PostgreSQL', async () => {
    await checkResume(`postgres://postgres@127.0.0.1:5432/${database}`);
  });

  it('refuses to resume a run that completed, or one it does not know', async () => {
    const storeUrl = join(folder, 'ended.db');
    const first = await runCli(drill, undefined, {
      ANTHROPIC_API_KEY: '',
      CADRE_STORE_URL: storeUrl,
    });
    expect(first.code).toBe(0);
    const runId = parseEvents(first.stdout)[0]?.runId ?? '';

    const again = await runCli(['resume', runId], undefined, { CADRE_STORE_URL: storeUrl });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`run '${runId}' already ended (completed)`);
    const unknown = await runCli(['resume', 'no-such-run'], undefined, {
      CADRE_STORE_URL: storeUrl,
    });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("no run 'no-such-run' in the store");
  });
});
