import { describe, expect, it } from 'vitest';
import type { RunEvent, RunEventOf } from '../../src/runtime/run-event.js';
import { runCli } from '../helpers/run-cli.js';

function eventsOf(stdout: string): RunEvent[] {
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as RunEvent);
}

function firedIn(events: RunEvent[]): RunEventOf<'escalation-fired'>[] {
  return events.filter(
    (event): event is RunEventOf<'escalation-fired'> => event.type === 'escalation-fired',
  );
}

describe('the seeds’ escalation paths as rehearsals through the CLI', () => {
  it('HEIR: the third failed query (real PostgreSQL errors) takes the request to the Master Orchestrator with the attempts', async () => {
    const result = await runCli(
      [
        'run',
        '--tools',
        'live',
        '--model',
        'rehearsal:agents/heir/rehearsals/three-strikes.yaml',
        '--org',
        'agents/heir',
        '--json',
        'How many orders were archived last month?',
      ],
      undefined,
      { ANTHROPIC_API_KEY: '', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' },
    );
    expect(result.code).toBe(0);
    const events = eventsOf(result.stdout);
    const errors = events.filter(
      (event): event is RunEventOf<'tool-call-end'> =>
        event.type === 'tool-call-end' && event.isError,
    );
    expect(errors.map((event) => event.output)).toEqual([
      expect.stringContaining('relation "orders_archive" does not exist'),
      expect.stringContaining('relation "public.orders_archive" does not exist'),
      expect.stringContaining('relation "archive.orders" does not exist'),
    ]);
    const fired = firedIn(events);
    expect(fired.map((event) => [event.agent, event.to, event.rule, event.trigger])).toEqual([
      ['data-orchestrator', 'master-orchestrator', 'orbt-third-strike', 'strike'],
    ]);
    expect(fired[0]?.reason).toContain('failed 3 times');
    expect(fired[0]?.reason).toContain('orders_archive');
    const end = events.at(-1);
    expect(end?.type === 'run-end' ? end.answer : '').toContain(
      'database-specialist failed 3 times; the request escalated to master-orchestrator',
    );
    expect(end?.type === 'run-end' ? end.answer : '').toContain('stop retrying');
  });

  it('infra-ops: a P1 nobody answers walks the on-call ladder 0–15–30–60, reaches a human, and the default decision stands', async () => {
    const result = await runCli(
      [
        'run',
        '--model',
        'rehearsal:agents/infra-ops/rehearsals/on-call-ladder.yaml',
        '--time-scale',
        '5000',
        '--org',
        'agents/infra-ops',
        '--to',
        'automation-engineer',
        '--json',
        'Watch checkout',
      ],
      undefined,
      { ANTHROPIC_API_KEY: '' },
    );
    expect(result.code).toBe(0);
    const events = eventsOf(result.stdout);
    const fired = firedIn(events);
    // Minutes of scaled time since the page reached its first rung (the SRE, asked at once).
    const minutes = (event: RunEventOf<'escalation-fired'>) =>
      Math.floor((event.at - (fired[0]?.at ?? 0)) / 60_000);
    expect(fired.map((event) => [event.to, event.level, minutes(event)])).toEqual([
      ['site-reliability-engineer', 1, 0],
      ['systems-administrator', 2, 15],
      ['network-engineer', 3, 30],
      ['database-administrator', 3, 30],
      ['infrastructure-architect', 4, 60],
      ['human', 5, 120],
    ]);
    const end = events.at(-1);
    expect(end?.type === 'run-end' ? end.answer : '').toContain(
      'Nobody answered within 30m; the default decision stands: no decision: go on with your own judgement.',
    );
  });
});
