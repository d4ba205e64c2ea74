import { afterEach, describe, expect, it } from 'vitest';
import { ScriptedModel, toolResultsOf } from '../../src/model/scripted-model.js';
import type { ModelRequest } from '../../src/model/model.js';
import type { RunEvent } from '../../src/runtime/run-event.js';
import { createRuntime } from '../../src/runtime/runtime.js';
import { loadTestOrg } from '../helpers/test-org.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A peer that never answers: its model call waits until the run is cancelled. */
const never = (request: ModelRequest) =>
  new Promise<never>((_, reject) =>
    request.signal?.addEventListener('abort', () => reject(new Error('aborted'))),
  );

async function start(
  decide: (request: ModelRequest) => ReturnType<ConstructorParameters<typeof ScriptedModel>[0]>,
) {
  const { org, remove } = await loadTestOrg(
    [
      { id: 'boss', role: 'ceo' },
      { id: 'chief', role: 'chief', reports_to: 'boss' },
      {
        id: 'asker',
        role: 'domain',
        reports_to: 'chief',
        extra: ['peers: [{ id: silent, wait: 1m }]'],
      },
      { id: 'silent', role: 'domain', reports_to: 'chief' },
    ],
    ['defaults:', '  escalation: drill'],
    {
      'escalation/drill.yaml': [
        'name: drill',
        'waits:',
        '  - { id: peer-silence, request: question, waiting_on: peer, after: peer-wait, to: manager }',
        '  - { id: chief-silence, request: escalation, waiting_on: role:chief, after: 1h, to: next }',
      ].join('\n'),
    },
  );
  const runtime = createRuntime({ org, model: new ScriptedModel(decide), timeScale: 1000 });
  cleanups.push(remove, () => runtime.close());
  return runtime;
}

async function collect(events: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const all: RunEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

describe('escalations during a run', () => {
  it('escalates a question a peer leaves unanswered to the asker’s manager, whose answer goes back to the asker', async () => {
    const runtime = await start((request) => {
      const results = toolResultsOf(request);
      if (request.agent === 'silent') return never(request);
      if (request.agent === 'asker') {
        return results.length === 0
          ? {
              tools: [
                { name: 'ask_peer', input: { to: 'silent', question: 'is the cache warm?' } },
              ],
            }
          : { text: `asker got: ${results.join(' | ')}` };
      }
      if (request.agent === 'chief') return { text: 'chief decides: yes, warm it now' };
      return { text: 'boss' };
    });
    const handle = runtime.run('check the cache', { to: 'asker' });
    const [result, events] = await Promise.all([handle.result, collect(handle.events)]);
    expect(result.status).toBe('completed');
    expect(result.answer).toBe(
      'asker got: Answer from chief (silent did not answer in time; the request escalated to chief): chief decides: yes, warm it now',
    );
    const fired = events.filter((event) => event.type === 'escalation-fired');
    expect(fired).toEqual([
      expect.objectContaining({ agent: 'asker', to: 'chief', rule: 'peer-silence', level: 1 }),
    ]);
    const sent = events.find((event) => event.type === 'escalation-fired');
    const question = events.find(
      (event) => event.type === 'message-sent' && event.kind === 'question',
    );
    expect(sent && question ? sent.at - question.at : 0).toBeGreaterThanOrEqual(60_000);
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'message-sent',
        kind: 'escalation',
        from: 'asker',
        to: 'chief',
      }),
    );
  });

  it('goes on up the chain when the manager does not answer either, and an answer cancels what is pending', async () => {
    const runtime = await start((request) => {
      const results = toolResultsOf(request);
      if (request.agent === 'silent' || request.agent === 'chief') return never(request);
      if (request.agent === 'asker') {
        return results.length === 0
          ? {
              tools: [
                { name: 'ask_peer', input: { to: 'silent', question: 'is the cache warm?' } },
              ],
            }
          : { text: `asker got: ${results.join(' | ')}` };
      }
      return { text: 'boss decides: no' };
    });
    const handle = runtime.run('check the cache', { to: 'asker' });
    const [result, events] = await Promise.all([handle.result, collect(handle.events)]);
    expect(result.answer).toContain(
      'Answer from boss (silent did not answer in time; the request escalated to boss): boss decides: no',
    );
    expect(
      events
        .filter((event) => event.type === 'escalation-fired')
        .map((event) => (event.type === 'escalation-fired' ? [event.to, event.level] : [])),
    ).toEqual([
      ['chief', 1],
      ['boss', 2],
    ]);
  });
});
