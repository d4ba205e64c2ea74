import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../helpers/run-cli.js';

/** A loader hook that reports every module the child loads, one `LOADED <url>` line each. */
const reportLoads = `data:text/javascript,${encodeURIComponent(
  "export async function load(url, context, next) { process.stderr.write('LOADED ' + url + '\\n'); return next(url, context); }",
)}`;

/**
 * Imports a package entry of the built cadre (by its package name, as a user would) in a fresh
 * node, runs `script` after it, and returns the modules it loaded and what the script printed.
 */
function importIn(
  entry: string,
  script: string,
): Promise<{ code: number; loaded: string[]; stdout: string }> {
  const program = [
    "import { register } from 'node:module';",
    `register(${JSON.stringify(reportLoads)});`,
    `const cadre = await import(${JSON.stringify(entry)});`,
    script,
  ].join('\n');
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', program],
      { cwd: repositoryRoot },
      (error, stdout, stderr) => {
        const loaded = stderr
          .split('\n')
          .filter((line) => line.startsWith('LOADED '))
          .map((line) => line.slice('LOADED '.length));
        if (error && !stdout) process.stderr.write(stderr);
        resolve({ code: error ? 1 : 0, loaded, stdout });
      },
    );
  });
}

const fromPackage = (loaded: string[], name: string) =>
  loaded.filter((url) => url.includes(`/node_modules/${name}/`));

describe('cadre/runtime, the runtime without the YAML loader and zod', () => {
  it('runs an org built in code without loading yaml, zod or any other dependency', async () => {
    const { code, loaded, stdout } = await importIn(
      'cadre/runtime',
      `
      const org = {
        name: 'tiny', title: 'tiny', root: 'boss', dir: '.', defaults: {}, targets: {},
        mcp_servers: {}, rule_sets: {}, rule_set_files: {},
        agents: ['boss', 'worker'].map((id) => ({
          id, name: id, role: id === 'boss' ? 'ceo' : 'domain',
          reports_to: id === 'boss' ? null : 'boss', peers: [], description: id, prompt: id,
          tools: [], external_tools: [], metrics: [], limits: {},
          source: { file: 'code', format: 'yaml' },
        })),
      };
      const usage = { input_tokens: 1, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
      const reply = (content, stopReason) => ({ content, stopReason, usage, model: 'm', latencyMs: 0, costUsd: 0, attempts: 1 });
      const model = {
        name: 'in-code',
        async turn(request) {
          const results = request.messages.flatMap((message) =>
            typeof message.content === 'string' ? [] : message.content.filter((block) => block.type === 'tool_result'));
          if (request.agent === 'boss' && results.length === 0)
            return reply([{ type: 'tool_use', id: 'call-1', name: 'delegate_task', input: { to: 'worker', task: 'count' } }], 'tool_use');
          return reply([{ type: 'text', text: request.agent + ' says ' + (results[0]?.content ?? '42') }], 'end_turn');
        },
      };
      const runtime = cadre.createRuntime({ org, model });
      const result = await runtime.run('count').result;
      await runtime.close();
      console.log(JSON.stringify({ status: result.status, answer: result.answer, calls: result.totals.modelCalls }));
      `,
    );

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      status: 'completed',
      answer: 'boss says Answer from worker: worker says 42',
      calls: 3,
    });
    expect(loaded.some((url) => url.endsWith('/dist/src/runtime-entry.js'))).toBe(true);
    expect(loaded.filter((url) => url.includes('/node_modules/'))).toEqual([]);
  });

  it('is what the cadre entry exports for the runtime, where the hook sees yaml and zod load', async () => {
    const names = [
      'createRuntime',
      'createMemoryBus',
      'createMemoryStore',
      'createRehearsalToolHost',
      'AnthropicModel',
      'ModelError',
      'CadreError',
      'costOf',
      'messageText',
      'userAgentId',
    ];
    const list = `console.log(JSON.stringify(${JSON.stringify(names)}.map((name) => typeof cadre[name])))`;
    const lean = await importIn('cadre/runtime', list);
    const full = await importIn('cadre', list);

    expect(JSON.parse(lean.stdout)).toEqual(JSON.parse(full.stdout));
    expect(JSON.parse(lean.stdout)).not.toContain('undefined');
    // The hook does see these packages load when they do: the lean entry's empty list means something.
    expect(fromPackage(full.loaded, 'zod').length).toBeGreaterThan(0);
    expect(fromPackage(full.loaded, 'yaml').length).toBeGreaterThan(0);
  });
});
