import { describe, expect, it } from 'vitest';
import { httpServerAround, initializeBody, jsonRpcHeaders } from '../mcp-server/cli-server.js';

interface SseEvent {
  id?: string;
  data: unknown;
}

/** Reads SSE events from a response until `enough` says so, then drops the connection. */
async function readEvents(
  response: Response,
  controller: AbortController,
  enough: (events: SseEvent[]) => boolean,
): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  const reader = response.body?.getReader();
  if (!reader) throw new Error('no body');
  const decoder = new TextDecoder();
  let buffer = '';
  while (!enough(events)) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const id = /^id: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.+)$/m.exec(block)?.[1];
      if (data) events.push({ ...(id ? { id } : {}), data: JSON.parse(data) as unknown });
      end = buffer.indexOf('\n\n');
    }
  }
  controller.abort();
  await reader.cancel().catch(() => undefined);
  return events;
}

const isProgress = (event: SseEvent) =>
  (event.data as { method?: string }).method === 'notifications/progress';
const isResultOf = (id: number) => (event: SseEvent) => (event.data as { id?: number }).id === id;

describe('cadre mcp --http resumable streams', () => {
  const server = httpServerAround(['--org', 'agents/esa', '--model', 'rehearsal']);

  it('replays what a client missed when its stream broke mid-run, up to the result', async () => {
    const headers = jsonRpcHeaders;
    const initialized = await fetch(server.url, {
      method: 'POST',
      headers,
      body: initializeBody('resuming'),
    });
    const sessionId = initialized.headers.get('mcp-session-id') ?? '';
    await initialized.body?.cancel();
    const session = {
      ...headers,
      'Mcp-Session-Id': sessionId,
      'Mcp-Protocol-Version': '2025-06-18',
    };
    await fetch(server.url, {
      method: 'POST',
      headers: session,
      body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
    });

    const first = new AbortController();
    const call = await fetch(server.url, {
      method: 'POST',
      headers: session,
      signal: first.signal,
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: {
          name: 'run_task',
          arguments: { task: 'Check the database and cache health' },
          _meta: { progressToken: 'resume-test' },
        },
      }),
    });
    // The connection breaks after the second progress notification.
    const before = await readEvents(call, first, (events) => events.filter(isProgress).length >= 2);
    const lastSeen = before.at(-1)?.id;
    expect(lastSeen).toEqual(expect.any(String));
    expect(before.some(isResultOf(2))).toBe(false);

    // Until the server notices the broken connection it answers 409; a client tries again.
    const second = new AbortController();
    let resumed: Response | undefined;
    for (let attempt = 0; attempt < 40; attempt += 1) {
      resumed = await fetch(server.url, {
        method: 'GET',
        headers: {
          Accept: 'text/event-stream',
          'Mcp-Session-Id': sessionId,
          'Last-Event-ID': lastSeen ?? '',
        },
        signal: second.signal,
      });
      if (resumed.status !== 409) break;
      await resumed.body?.cancel();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (!resumed) throw new Error('no resume attempt');
    expect(resumed.status).toBe(200);
    const after = await readEvents(resumed, second, (events) => events.some(isResultOf(2)));
    const result = after.find(isResultOf(2))?.data as {
      result?: { structuredContent?: { status?: string } };
    };
    expect(result.result?.structuredContent?.status).toBe('completed');
    expect(after.filter(isProgress).length).toBeGreaterThan(0);
    // Nothing seen before the break comes again.
    const seen = new Set(before.map((event) => event.id));
    expect(after.filter((event) => event.id !== undefined && seen.has(event.id))).toEqual([]);
  });
});
