import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/runtime/run-event.js';
import { runCli } from '../helpers/run-cli.js';

describe('an escalation drill on agents/esa at --time-scale 1000', () => {
  it('takes a peer question nobody answers to Chief #1 after 30 min, then to the CEO after the chief’s hour; the CEO’s decision is the answer', async () => {
    const result = await runCli(
      [
        'run',
        '--model',
        'rehearsal:agents/esa/rehearsals/peer-silence.yaml',
        '--time-scale',
        '1000',
        '--org',
        'agents/esa',
        '--json',
        'Can the checkout schema change go out today?',
      ],
      undefined,
      { ANTHROPIC_API_KEY: '' },
    );
    expect(result.code).toBe(0);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as RunEvent);
    const question = events.find(
      (event) => event.type === 'message-sent' && event.kind === 'question',
    );
    const fired = events.flatMap((event) => (event.type === 'escalation-fired' ? [event] : []));
    expect(fired.map((event) => [event.agent, event.to, event.rule, event.level])).toEqual([
      ['domain-1', 'chief-1', 'peer-question-unanswered', 1],
      ['domain-1', 'ceo', 'chief-escalation-unanswered', 2],
    ]);
    // Scaled time: the question waited its 30 minutes, then the chief its hour (never less).
    expect((fired[0]?.at ?? 0) - (question?.at ?? 0)).toBeGreaterThanOrEqual(30 * 60_000);
    expect((fired[1]?.at ?? 0) - (fired[0]?.at ?? 0)).toBeGreaterThanOrEqual(60 * 60_000);
    const end = events.at(-1);
    expect(end?.type === 'run-end' ? end.answer : '').toContain(
      'CEO decision: ship the schema change tonight behind the feature flag.',
    );
    expect(events.filter((event) => event.type === 'run-end')).toHaveLength(1);
  });
});
