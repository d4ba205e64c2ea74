import Anthropic from '@anthropic-ai/sdk';
import type { MessageParam, TextBlockParam } from '@anthropic-ai/sdk/resources/messages';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeServer } from '../../src/testing.js';
import type { FakeServer, RehearsalScript } from '../../src/testing.js';

const model = 'claude-sonnet-4-6';
const running: FakeServer[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function serve(script: RehearsalScript | undefined): Promise<FakeServer> {
  const server = await startFakeServer({ script });
  running.push(server);
  return server;
}

function clientOf(server: FakeServer, maxRetries: number): Anthropic {
  return new Anthropic({ apiKey: 'test-key', baseURL: server.url, maxRetries, timeout: 10_000 });
}

/** A system prompt with the line cadre renders, so the server finds the agent. */
function systemOf(id: string, name = 'Layer One', role = 'layer'): string {
  return `You keep the databases healthy.\n\n- You are ${name} (\`${id}\`), role ${role}.\n`;
}

function ask(task: string): MessageParam[] {
  return [{ role: 'user', content: task }];
}

/** Posts a raw request, for what the SDK hides (headers, SSE frames, missing keys). */
async function post(
  server: FakeServer,
  body: unknown,
  headers: Record<string, string> = { 'x-api-key': 'test-key' },
  path = '/v1/messages',
): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const healthy = 'All three databases answer and the cache hit rate is 97 percent.';

describe('the fake Messages API, streaming', () => {
  it('streams a text answer whose deltas add up to the scripted text', async () => {
    const server = await serve({ agents: { 'layer-1': [{ text: healthy }] } });
    const stream = clientOf(server, 0).messages.stream({
      model,
      max_tokens: 1024,
      system: systemOf('layer-1'),
      messages: ask('Check database health'),
    });
    const deltas: string[] = [];
    stream.on('text', (delta) => deltas.push(delta));
    const message = await stream.finalMessage();

    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(healthy);
    expect(message.content).toEqual([{ type: 'text', text: healthy }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.id).toMatch(/^msg_01/);
    expect(message.model).toBe(model);
    expect(message.usage.output_tokens).toBe(Math.ceil(healthy.length / 4));
    const system = systemOf('layer-1');
    expect(message.usage.input_tokens).toBe(
      Math.ceil((system.length + 'Check database health'.length) / 4),
    );
    expect(server.requests).toMatchObject([
      { agent: 'layer-1', turn: 1, status: 200, stream: true, scripted: true },
    ]);
  });

  it('sends the events in the real order, each as an event and a data line', async () => {
    const server = await serve({
      agents: { 'layer-1': [{ text: 'Checking.', tools: [{ name: 'psql__health', input: {} }] }] },
    });
    const response = await post(server, {
      model,
      max_tokens: 256,
      stream: true,
      system: systemOf('layer-1'),
      messages: ask('Check'),
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await response.text();
    const frames = text.split('\n\n').filter((frame) => frame !== '');
    const events = frames.map((frame) => {
      const match = /^event: (\S+)\ndata: (.*)$/s.exec(frame);
      expect(match, frame).not.toBeNull();
      const data = JSON.parse(match?.[2] ?? '{}') as { type: string };
      expect(data.type).toBe(match?.[1]);
      return data;
    });
    const names = events
      .map((event) => event.type)
      .filter((name, index, all) => name !== all[index - 1]);
    expect(names).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(events[0]).toMatchObject({
      message: { role: 'assistant', content: [], stop_reason: null, usage: { output_tokens: 1 } },
    });
    expect(events.at(-2)).toMatchObject({
      delta: { stop_reason: 'tool_use', stop_sequence: null },
    });
  });

  it('calls two tools in one turn, each with its own id and parsed input', async () => {
    const server = await serve({
      agents: {
        ceo: [
          {
            tools: [
              { name: 'delegate_task', input: { to: 'chief-1', task: 'Check the database' } },
              {
                name: 'delegate_task',
                input: { to: 'chief-2', task: 'Check the cache', urgent: true },
              },
            ],
          },
        ],
      },
    });
    const message = await clientOf(server, 0)
      .messages.stream({
        model,
        max_tokens: 1024,
        system: systemOf('ceo', 'The Boss', 'ceo'),
        messages: ask('How healthy is the platform?'),
      })
      .finalMessage();

    expect(message.stop_reason).toBe('tool_use');
    const calls = message.content.filter((block) => block.type === 'tool_use');
    expect(calls.map((call) => call.input)).toEqual([
      { to: 'chief-1', task: 'Check the database' },
      { to: 'chief-2', task: 'Check the cache', urgent: true },
    ]);
    const ids = calls.map((call) => call.id);
    expect(new Set(ids).size).toBe(2);
    for (const id of ids) expect(id).toMatch(/^toolu_01[0-9A-Za-z]{22}$/);
  });
});

describe('the fake Messages API, without streaming', () => {
  it('answers create with the whole message', async () => {
    const server = await serve({ agents: { 'layer-1': [{ text: healthy }] } });
    const message = await clientOf(server, 0).messages.create({
      model,
      max_tokens: 1024,
      system: systemOf('layer-1'),
      messages: ask('Check database health'),
    });

    expect(message).toMatchObject({
      type: 'message',
      role: 'assistant',
      model,
      content: [{ type: 'text', text: healthy }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    });
    expect(server.requests[0]?.stream).toBe(false);
  });

  it('cuts an answer longer than max_tokens and stops with max_tokens', async () => {
    const server = await serve({ agents: { 'layer-1': [{ text: 'word '.repeat(100) }] } });
    const message = await clientOf(server, 0).messages.create({
      model,
      max_tokens: 5,
      system: systemOf('layer-1'),
      messages: ask('Talk'),
    });

    expect(message.stop_reason).toBe('max_tokens');
    expect(message.usage.output_tokens).toBe(5);
    expect(message.content).toEqual([{ type: 'text', text: 'word '.repeat(4) }]);
  });
});

describe('choosing what to answer', () => {
  const script: RehearsalScript = {
    agents: {
      'layer-1': [
        { tools: [{ name: 'psql__health', input: { about: '{{task}}' } }] },
        { text: '{{agent}} on "{{task}}": {{results}}' },
      ],
      'domain-1': [
        { when: { task_contains: 'CACHE' }, steps: [{ text: 'cache path' }] },
        { steps: [{ text: 'default path' }] },
      ],
    },
  };

  function afterTools(results: string[]): MessageParam[] {
    return [
      { role: 'user', content: 'Check health' },
      {
        role: 'assistant',
        content: results.map((_, index) => ({
          type: 'tool_use' as const,
          id: `toolu_${index}`,
          name: 'psql__health',
          input: {},
        })),
      },
      {
        role: 'user',
        content: results.map((result, index) => ({
          type: 'tool_result' as const,
          tool_use_id: `toolu_${index}`,
          content: result,
        })),
      },
    ];
  }

  it('takes the step at the index of the assistant messages so far, filling the templates', async () => {
    const server = await serve(script);
    const client = clientOf(server, 0);
    const first = await client.messages.create({
      model,
      max_tokens: 1024,
      system: systemOf('layer-1'),
      messages: ask('Check health'),
    });
    const second = await client.messages.create({
      model,
      max_tokens: 1024,
      system: systemOf('layer-1'),
      messages: afterTools(['up', '12 connections']),
    });

    expect(first.content).toMatchObject([
      { type: 'tool_use', name: 'psql__health', input: { about: 'Check health' } },
    ]);
    expect(second.content).toEqual([
      { type: 'text', text: 'layer-1 on "Check health": up | 12 connections' },
    ]);
    expect(server.requests.map((entry) => entry.turn)).toEqual([1, 2]);
  });

  it('reads tool results given as lists of text blocks', async () => {
    const server = await serve(script);
    const messages = afterTools(['ignored']);
    messages[2] = {
      role: 'user',
      content: [
        {
          type: 'tool_result',
          tool_use_id: 'toolu_0',
          content: [
            { type: 'text', text: 'line one' },
            { type: 'text', text: 'line two' },
          ],
        },
      ],
    };
    const message = await clientOf(server, 0).messages.create({
      model,
      max_tokens: 1024,
      system: systemOf('layer-1'),
      messages,
    });

    expect(message.content).toEqual([
      { type: 'text', text: 'layer-1 on "Check health": line one\nline two' },
    ]);
  });

  it('uses the first variant whose task_contains is in the task, ignoring case', async () => {
    const server = await serve(script);
    const client = clientOf(server, 0);
    const answer = async (task: string) => {
      const message = await client.messages.create({
        model,
        max_tokens: 1024,
        system: systemOf('domain-1', 'Domain One', 'domain'),
        messages: ask(task),
      });
      return message.content;
    };

    expect(await answer('Why is the cache slow?')).toEqual([{ type: 'text', text: 'cache path' }]);
    expect(await answer('Why is the disk full?')).toEqual([{ type: 'text', text: 'default path' }]);
  });

  it('starts the steps again for a new task after chat history', async () => {
    const server = await serve(script);
    const client = clientOf(server, 0);
    const history: MessageParam[] = [
      { role: 'user', content: 'Check health' },
      { role: 'assistant', content: 'All healthy.' },
      { role: 'user', content: 'Check again' },
    ];
    const first = await client.messages.create({
      model,
      max_tokens: 1024,
      system: systemOf('layer-1'),
      messages: ask('Check again'),
    });
    const afterHistory = await client.messages.create({
      model,
      max_tokens: 1024,
      system: systemOf('layer-1'),
      messages: history,
    });
    expect(afterHistory.content.map((block) => block.type)).toEqual(
      first.content.map((block) => block.type),
    );
    expect(server.requests.map((entry) => entry.turn)).toEqual([1, 1]);
  });

  it('answers with the fallback beyond the list, for unknown agents and without an agent', async () => {
    const server = await serve(script);
    const client = clientOf(server, 0);
    const answer = async (system: string, messages: MessageParam[]) => {
      const message = await client.messages.create({ model, max_tokens: 1024, system, messages });
      return message.content;
    };
    const beyond: MessageParam[] = [
      ...afterTools(['up']),
      {
        role: 'assistant',
        content: [{ type: 'tool_use', id: 'toolu_again', name: 'psql__health', input: {} }],
      },
      {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: 'toolu_again', content: 'still up' }],
      },
    ];

    expect(await answer(systemOf('layer-1'), beyond)).toEqual([
      { type: 'text', text: 'layer-1 has nothing scripted for this turn.' },
    ]);
    expect(await answer(systemOf('layer-9'), ask('Hello'))).toEqual([
      { type: 'text', text: 'layer-9 has nothing scripted for this turn.' },
    ]);
    expect(await answer('You are a helpful assistant.', ask('Hello'))).toEqual([
      { type: 'text', text: 'an unknown agent has nothing scripted for this turn.' },
    ]);
    expect(server.requests.map((entry) => [entry.agent, entry.scripted])).toEqual([
      ['layer-1', false],
      ['layer-9', false],
      [undefined, false],
    ]);

    server.setScript({ fallback: 'No script for {{agent}}; task was {{task}}.' });
    expect(await answer(systemOf('layer-1'), ask('Hello'))).toEqual([
      { type: 'text', text: 'No script for layer-1; task was Hello.' },
    ]);
  });

  it('answers with the fallback when it has no script at all', async () => {
    const server = await serve(undefined);
    const message = await clientOf(server, 0).messages.create({
      model,
      max_tokens: 1024,
      system: systemOf('layer-1'),
      messages: ask('Hello'),
    });

    expect(message.content).toEqual([
      { type: 'text', text: 'layer-1 has nothing scripted for this turn.' },
    ]);
  });

  it('holds a step with delay_ms, so parallel calls overlap in the log', async () => {
    const server = await serve({
      agents: {
        'layer-1': [{ text: 'slow', delay_ms: 150 }],
        'layer-2': [{ text: 'slow', delay_ms: 150 }],
      },
    });
    const client = clientOf(server, 0);
    await Promise.all(
      ['layer-1', 'layer-2'].map((id) =>
        client.messages.create({
          model,
          max_tokens: 64,
          system: systemOf(id),
          messages: ask('Go'),
        }),
      ),
    );

    const [first, second] = server.requests;
    expect((first?.firstByteAt ?? 0) - (first?.startedAt ?? 0)).toBeGreaterThanOrEqual(150);
    expect(second?.startedAt ?? Infinity).toBeLessThan(first?.endedAt ?? 0);
    expect(first?.startedAt ?? Infinity).toBeLessThan(second?.endedAt ?? 0);
  });
});

describe('faults', () => {
  const params = {
    model,
    max_tokens: 1024,
    system: systemOf('layer-1'),
    messages: ask('Check database health'),
  };
  const script: RehearsalScript = { agents: { 'layer-1': [{ text: healthy }] } };

  it('answers a rate limit with 429 and retry-after, which the SDK waits out and retries', async () => {
    const server = await serve({
      ...script,
      faults: [{ agent: 'layer-1', turn: 1, kind: 'rate-limit', retry_after: 0.05 }],
    });
    const message = await clientOf(server, 2).messages.create(params);

    expect(message.content).toEqual([{ type: 'text', text: healthy }]);
    expect(server.requests.map((entry) => [entry.status, entry.fault])).toEqual([
      [429, 'rate-limit'],
      [200, undefined],
    ]);
  });

  it('sends the rate-limit error body and retry-after header the real API sends', async () => {
    const server = await serve(script);
    server.injectFault({ kind: 'rate-limit', retry_after: 7 });
    const response = await post(server, params);

    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(response.headers.get('request-id')).toBe(server.requests[0]?.id);
    expect(await response.json()).toMatchObject({
      type: 'error',
      error: { type: 'rate_limit_error' },
    });
  });

  it('answers overloaded with 529, which the SDK retries', async () => {
    const server = await serve(script);
    server.injectFault({ kind: 'overloaded' });
    const message = await clientOf(server, 1).messages.stream(params).finalMessage();

    expect(message.content).toEqual([{ type: 'text', text: healthy }]);
    expect(server.requests.map((entry) => entry.status)).toEqual([529, 200]);
  });

  it('surfaces a 500 when the client may not retry', async () => {
    const server = await serve(script);
    server.injectFault({ kind: 'server-error' });
    const failure = await clientOf(server, 0)
      .messages.create(params)
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(Anthropic.InternalServerError);
    expect(failure).toMatchObject({ status: 500, type: 'api_error' });
    expect(server.requests).toHaveLength(1);
  });

  it('hits only the matching requests, as many times as asked', async () => {
    const server = await serve({
      ...script,
      faults: [
        { agent: 'layer-2', kind: 'server-error', times: 'always' },
        { request: 3, kind: 'overloaded' },
      ],
    });
    const client = clientOf(server, 0);
    const status = (id: string) =>
      client.messages
        .create({ ...params, system: systemOf(id) })
        .then(() => 200)
        .catch((error: unknown) => (error as { status?: number }).status);

    expect(await status('layer-1')).toBe(200);
    expect(await status('layer-2')).toBe(500);
    expect(await status('layer-1')).toBe(529);
    expect(await status('layer-1')).toBe(200);
    expect(await status('layer-2')).toBe(500);
  });

  it('cuts a stream after it started, and the SDK does not retry it', async () => {
    const server = await serve(script);
    server.injectFault({ kind: 'cut-stream' });
    const stream = clientOf(server, 2).messages.stream(params);
    const deltas: string[] = [];
    stream.on('text', (delta) => deltas.push(delta));
    const failure = await stream.finalMessage().catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(Anthropic.AnthropicError);
    expect(failure).not.toBeInstanceOf(Anthropic.APIError);
    expect((failure as Error).message).toBe('terminated');
    expect(deltas.length).toBeGreaterThan(0);
    expect(healthy.startsWith(deltas.join(''))).toBe(true);
    expect(deltas.join('')).not.toBe(healthy);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({ status: 200, fault: 'cut-stream' });
  });

  it('cuts a whole answer mid-body, which the SDK neither retries nor wraps', async () => {
    const server = await serve(script);
    server.injectFault({ kind: 'cut-stream' });
    const failure = await clientOf(server, 2)
      .messages.create(params)
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(TypeError);
    expect((failure as Error).message).toBe('terminated');
    expect(server.requests).toHaveLength(1);
  });

  it('sends an overloaded error event mid-stream, which rejects finalMessage without a retry', async () => {
    const server = await serve(script);
    server.injectFault({ kind: 'stream-error' });
    const failure = await clientOf(server, 2)
      .messages.stream(params)
      .finalMessage()
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(Anthropic.APIError);
    expect(failure).toMatchObject({ status: undefined, type: 'overloaded_error' });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({ status: 200, fault: 'stream-error' });
  });

  it('holds the first byte of a slow answer for delay_ms', async () => {
    const server = await serve(script);
    server.injectFault({ kind: 'slow-first-byte', delay_ms: 200 });
    const message = await clientOf(server, 0).messages.stream(params).finalMessage();

    expect(message.content).toEqual([{ type: 'text', text: healthy }]);
    const [entry] = server.requests;
    expect(entry?.fault).toBe('slow-first-byte');
    expect((entry?.firstByteAt ?? 0) - (entry?.startedAt ?? 0)).toBeGreaterThanOrEqual(200);
    expect(entry?.endedAt ?? 0).toBeGreaterThanOrEqual(entry?.firstByteAt ?? Infinity);
  });

  it('refuses an invalid fault with a clear error', async () => {
    const server = await serve(script);
    expect(() => server.injectFault({ kind: 'explode' as 'overloaded' })).toThrow(
      /kind must be rate-limit, overloaded/,
    );
  });
});

describe('prompt caching', () => {
  const systemText = `${systemOf('layer-1')}${'Know the runbooks. '.repeat(200)}`;
  const longSystem: TextBlockParam[] = [{ type: 'text', text: systemText }];
  const cachedSystem: TextBlockParam[] = [
    { type: 'text', text: systemText, cache_control: { type: 'ephemeral' } },
  ];

  it('writes a marked prefix on the first request and reads it on the second', async () => {
    const server = await serve({ agents: { 'layer-1': [{ text: 'ok' }, { text: 'ok' }] } });
    const client = clientOf(server, 0);
    const request = { model, max_tokens: 64, system: cachedSystem, messages: ask('Check') };
    const first = await client.messages.create(request);
    const second = await client.messages.create(request);
    const systemTokens = Math.ceil(systemText.length / 4);

    expect(first.usage).toMatchObject({
      cache_creation_input_tokens: systemTokens,
      cache_read_input_tokens: 0,
    });
    expect(second.usage).toMatchObject({
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: systemTokens,
    });
    expect(second.usage.input_tokens).toBe(first.usage.input_tokens);
    expect(second.usage.input_tokens).toBeLessThan(5);
  });

  it('forgets a cached prefix five minutes after its last use, by the server clock', async () => {
    let clock = 1_000_000;
    const server = await startFakeServer({ script: undefined, now: () => clock });
    running.push(server);
    const client = clientOf(server, 0);
    const read = async (minutesLater: number) => {
      clock += minutesLater * 60_000;
      const message = await client.messages.create({
        model,
        max_tokens: 64,
        system: cachedSystem,
        messages: ask('Check'),
      });
      return message.usage.cache_read_input_tokens;
    };

    expect(await read(0)).toBe(0);
    expect(await read(4)).toBeGreaterThan(0);
    expect(await read(4)).toBeGreaterThan(0);
    expect(await read(6)).toBe(0);
    expect(server.requests.map((entry) => entry.startedAt)).toEqual([
      1_000_000, 1_240_000, 1_480_000, 1_840_000,
    ]);
  });

  it('reports no cache tokens when the request marks no breakpoint', async () => {
    const server = await serve(undefined);
    const client = clientOf(server, 0);
    const request = { model, max_tokens: 64, system: longSystem, messages: ask('Check') };
    await client.messages.create(request);
    const second = await client.messages.create(request);

    expect(second.usage).toMatchObject({
      input_tokens: Math.ceil((systemText.length + 'Check'.length) / 4),
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
  });

  it('reads the earlier turn’s prefix when the breakpoint moves to the newest message', async () => {
    const server = await serve(undefined);
    const client = clientOf(server, 0);
    const turn = (text: string) => ({
      type: 'text' as const,
      text,
      cache_control: { type: 'ephemeral' as const },
    });
    const first = await client.messages.create({
      model,
      max_tokens: 64,
      system: longSystem,
      messages: [{ role: 'user', content: [turn('First question, with some detail.')] }],
    });
    const second = await client.messages.create({
      model,
      max_tokens: 64,
      system: longSystem,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'First question, with some detail.' }] },
        { role: 'assistant', content: 'An answer.' },
        { role: 'user', content: [turn('Second question.')] },
      ],
    });

    expect(first.usage.cache_read_input_tokens).toBe(0);
    expect(second.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    const conversation = 'First question, with some detail.An answer.Second question.';
    const wholePrefix = Math.ceil((systemText.length + conversation.length) / 4);
    expect(second.usage.cache_creation_input_tokens).toBe(
      wholePrefix - (first.usage.cache_creation_input_tokens ?? 0),
    );
    expect(second.usage.input_tokens).toBe(0);
  });
});

describe('closing', () => {
  it('ends a request that is still waiting, and stops listening', async () => {
    const server = await startFakeServer({
      script: { agents: { 'layer-1': [{ text: 'late', delay_ms: 60_000 }] } },
    });
    const pending = clientOf(server, 0)
      .messages.create({ model, max_tokens: 64, system: systemOf('layer-1'), messages: ask('Go') })
      .catch((error: unknown) => error);
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await server.close();

    expect(await pending).toBeInstanceOf(Anthropic.APIConnectionError);
    await expect(post(server, {})).rejects.toThrow(/fetch failed/);
  });
});

describe('requests the real API refuses', () => {
  const body = { model, max_tokens: 64, messages: ask('Hello') };

  it('answers 401 when no key is sent', async () => {
    const server = await serve(undefined);
    const response = await post(server, body, {});

    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      type: 'error',
      error: { type: 'authentication_error', message: 'x-api-key header is required' },
    });
  });

  it('answers 400 with invalid_request_error for a body without max_tokens', async () => {
    const server = await serve(undefined);
    const failure = await clientOf(server, 2)
      .messages.create({
        model,
        messages: ask('Hello'),
      } as Anthropic.MessageCreateParamsNonStreaming)
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(Anthropic.BadRequestError);
    expect(failure).toMatchObject({
      status: 400,
      type: 'invalid_request_error',
      apiMessage: 'max_tokens: Field required',
    });
    expect(server.requests).toHaveLength(1);
  });

  it('answers 400 for a body that is not JSON or has a wrong type', async () => {
    const server = await serve(undefined);
    const notJson = await post(server, '{"model": ');
    const wrongRole = await post(server, { ...body, messages: [{ role: 'robot', content: 'x' }] });

    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
    expect(wrongRole.status).toBe(400);
    expect(await wrongRole.json()).toMatchObject({
      error: {
        type: 'invalid_request_error',
        message: expect.stringMatching(/^messages\.0\.role: /),
      },
    });
  });

  it('answers 404 not_found_error for other paths', async () => {
    const server = await serve(undefined);
    const response = await post(server, body, undefined, '/v1/complete');

    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { type: 'not_found_error' } });
    expect(server.requests[0]).toMatchObject({ path: '/v1/complete', status: 404 });
  });
});
