import { describe, expect, it } from 'vitest';
import { CadreError, ConfigError } from '../../src/errors.js';
import { chooseStep } from '../../src/model/fake-server/choose-step.js';
import {
  checkRehearsalScript,
  loadRehearsalScript,
  parseRehearsalScript,
  startFakeServer,
} from '../../src/testing.js';
import type { RehearsalScript } from '../../src/testing.js';
import { writeTempTree } from '../helpers/temp-org.js';

const example = `# which agent answers how
agents:
  ceo:
    - tools:
        - name: delegate_task
          input: { to: chief-1, task: "Check database and cache health" }
        - name: delegate_task
          input: { to: chief-2, task: "Check the queues" }
    - text: "Foundation report: {{results}}"
  layer-1:
    - tools: [{ name: psql__health, input: {} }]
      delay_ms: 50
    - text: "layer-1: {{results}}"
  domain-1:
    - when: { task_contains: cache }
      steps:
        - text: "cache first"
    - steps:
        - text: "anything else"
fallback: "{{agent}} has nothing scripted for this turn."
faults:
  - { agent: layer-1, turn: 1, kind: overloaded, times: 1 }
  - { request: 4, kind: rate-limit, retry_after: 2 }
  - { kind: slow-first-byte, delay_ms: 300, times: always }
`;

/** The ConfigError a script text raises. */
function errorOf(text: string, file = 'rehearsal.yaml'): ConfigError {
  try {
    parseRehearsalScript(text, file);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('the script was accepted');
}

function systemOf(id: string): string {
  return `Prompt.\n- You are Someone (\`${id}\`), role domain.\n`;
}

describe('reading a rehearsal script', () => {
  it('reads steps, parallel tool calls, variants, the fallback and faults', () => {
    const script = parseRehearsalScript(example, 'rehearsal.yaml');

    expect(script.agents?.ceo?.[0]?.tools).toEqual([
      { name: 'delegate_task', input: { to: 'chief-1', task: 'Check database and cache health' } },
      { name: 'delegate_task', input: { to: 'chief-2', task: 'Check the queues' } },
    ]);
    expect(script.agents?.['layer-1']?.[0]).toMatchObject({ delay_ms: 50 });
    expect(script.agents?.['domain-1']?.[0]).toEqual({
      when: { task_contains: 'cache' },
      steps: [{ text: 'cache first' }],
    });
    expect(script.fallback).toBe('{{agent}} has nothing scripted for this turn.');
    expect(script.faults).toEqual([
      { agent: 'layer-1', turn: 1, kind: 'overloaded', times: 1 },
      { request: 4, kind: 'rate-limit', retry_after: 2 },
      { kind: 'slow-first-byte', delay_ms: 300, times: 'always' },
    ]);
  });

  it('reads a script file from disk', async () => {
    const tree = await writeTempTree({ 'rehearsal.yaml': example });
    try {
      const script = await loadRehearsalScript(`${tree.dir}/rehearsal.yaml`);
      expect(Object.keys(script.agents ?? {})).toEqual(['ceo', 'layer-1', 'domain-1']);
    } finally {
      await tree.remove();
    }
  });

  it('names the file, line and column of an unknown key, with a suggestion', () => {
    const error = errorOf('agents:\n  layer-1:\n    - txt: "hello"\n');

    expect(error.code).toBe('script-invalid');
    expect(error.file).toBe('rehearsal.yaml');
    expect([error.line, error.column]).toEqual([3, 7]);
    expect(error.message).toMatch(/^rehearsal\.yaml:3:7: unknown key 'txt' in agents\.layer-1\.0/);
    expect(error.hint).toBe("did you mean 'text'?");
  });

  it('names the path and the expected type of a value of the wrong type', () => {
    const error = errorOf('agents:\n  layer-1:\n    - text: hi\n      delay_ms: soon\n');

    expect([error.line, error.column]).toEqual([4, 17]);
    expect(error.message).toContain(
      "rehearsal.yaml:4:17: agents.layer-1.0.delay_ms: expected a number, got the text 'soon'",
    );
  });

  it('refuses a fault of an unknown kind, listing the kinds', () => {
    const error = errorOf('faults:\n  - kind: meltdown\n');

    expect([error.line, error.column]).toEqual([2, 11]);
    expect(error.message).toContain('faults.0.kind: kind must be rate-limit, overloaded');
    expect(error.message).toContain('got "meltdown"');
  });

  it('refuses a step with neither text nor tools', () => {
    const error = errorOf('agents:\n  layer-1:\n    - delay_ms: 10\n');

    expect(error.line).toBe(3);
    expect(error.message).toContain('a step needs text:, tools: (at least one), or both');
  });

  it('refuses a list that mixes steps and variants', () => {
    const error = errorOf(
      'agents:\n  layer-1:\n    - text: hi\n    - when: { task_contains: x }\n      steps: [{ text: y }]\n',
    );

    expect(error.line).toBe(4);
    expect(error.message).toContain('do not mix steps and variants');
  });

  it('refuses an unknown placeholder', () => {
    const error = errorOf('agents:\n  layer-1:\n    - text: "{{result}}"\n');

    expect(error.line).toBe(3);
    expect(error.message).toContain('unknown placeholder {{result}}');
  });

  it('lists every mistake, the first one located in the error itself', () => {
    const error = errorOf('agents:\n  layer-1:\n    - txt: a\nfalback: b\n');

    expect(error.line).toBe(3);
    expect(error.message).toContain("rehearsal.yaml:4:1: error: unknown key 'falback'");
  });

  it('reports a YAML syntax error at its line', () => {
    const error = errorOf('agents:\n  layer-1:\n    - text: "unclosed\n');

    expect(error.code).toBe('script-invalid');
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/YAML/);
  });

  it('refuses an empty file and a missing file', async () => {
    expect(errorOf('# nothing here\n').message).toContain('the rehearsal script is empty');
    await expect(loadRehearsalScript('/nonexistent/rehearsal.yaml')).rejects.toThrow(
      /rehearsal\.yaml:1:1: the file does not exist/,
    );
  });

  it('refuses an invalid script given in code, naming its path', async () => {
    const wrong = { agents: { 'layer-1': [{ text: 5 }] } } as unknown as RehearsalScript;

    expect(() => checkRehearsalScript(wrong)).toThrow(CadreError);
    expect(() => checkRehearsalScript(wrong)).toThrow(/agents\.layer-1\.0\.text: /);
    await expect(startFakeServer({ script: wrong })).rejects.toThrow(/agents\.layer-1\.0\.text/);
  });
});

describe('choosing a step', () => {
  const script = parseRehearsalScript(example, 'rehearsal.yaml');

  it('answers the fallback when no variant matches the task', () => {
    const narrow: RehearsalScript = {
      agents: { 'domain-1': [{ when: { task_contains: 'cache' }, steps: [{ text: 'cache' }] }] },
    };
    const chosen = chooseStep(narrow, {
      system: systemOf('domain-1'),
      messages: [{ role: 'user', content: 'disks' }],
    });

    expect(chosen).toMatchObject({ agent: 'domain-1', turn: 1, scripted: false });
    expect(chosen.step.text).toBe('domain-1 has nothing scripted for this turn.');
  });

  it('finds the agent in a system prompt given as blocks', () => {
    const chosen = chooseStep(script, {
      system: [
        { type: 'text', text: 'Intro.' },
        { type: 'text', text: systemOf('domain-1'), cache_control: { type: 'ephemeral' } },
      ],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Is the CACHE warm?' }] }],
    });

    expect(chosen).toMatchObject({
      agent: 'domain-1',
      scripted: true,
      step: { text: 'cache first' },
    });
  });
});
