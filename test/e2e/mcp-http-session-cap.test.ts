import { request } from 'node:http';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { httpServerAround, initializeBody, jsonRpcHeaders } from '../mcp-server/cli-server.js';

/** Starts an initialize request and sends only the first half of its body. */
function halfSentInitialize(
  url: string,
  name: string,
): { finish: () => Promise<IncomingMessage>; request: ClientRequest } {
  const body = Buffer.from(initializeBody(name));
  const outgoing = request(url, {
    method: 'POST',
    headers: { ...jsonRpcHeaders, 'Content-Length': String(body.length) },
  });
  const answered = new Promise<IncomingMessage>((resolve, reject) => {
    outgoing.once('response', resolve);
    outgoing.once('error', reject);
  });
  outgoing.write(body.subarray(0, body.length >> 1));
  return {
    request: outgoing,
    finish: () => {
      outgoing.end(body.subarray(body.length >> 1));
      return answered;
    },
  };
}

/** A complete initialize request: its status and session id. */
async function initialize(
  url: string,
  name: string,
): Promise<{ status: number; id: string | null }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: jsonRpcHeaders,
    body: initializeBody(name),
  });
  await response.text();
  return { status: response.status, id: response.headers.get('mcp-session-id') };
}

describe('cadre mcp --http --max-sessions', () => {
  const server = httpServerAround([
    '--org',
    'agents/esa',
    '--model',
    'rehearsal',
    '--max-sessions',
    '2',
  ]);

  it('counts sessions from their first byte, so slow initialize requests cannot pass the cap', async () => {
    const slow = [
      halfSentInitialize(server.url, 'slow-1'),
      halfSentInitialize(server.url, 'slow-2'),
    ];
    // Both slow requests hold a place while their bodies arrive.
    await expect
      .poll(async () => (await initialize(server.url, 'third')).status, { timeout: 5000 })
      .toBe(503);
    const answers = await Promise.all(slow.map((pending) => pending.finish()));
    const ids = answers.map((answer) => answer.headers['mcp-session-id']);
    for (const answer of answers) answer.resume();
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200]);
    expect(ids.every((id) => typeof id === 'string')).toBe(true);
    expect((await initialize(server.url, 'still-full')).status).toBe(503);

    // Ending a session frees its place.
    const ended = await fetch(server.url, {
      method: 'DELETE',
      headers: { ...jsonRpcHeaders, 'Mcp-Session-Id': String(ids[0]) },
    });
    await ended.text();
    const next = await initialize(server.url, 'next');
    expect(next.status).toBe(200);
    expect(next.id).not.toBeNull();
  });

  it('refuses a --max-sessions that is not a whole number from 1 to 10000', async () => {
    const { runCli } = await import('../helpers/run-cli.js');
    const result = await runCli(['mcp', '--http', '0', '--max-sessions', '0']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("'0' is not a whole number from 1 to 10000");
  });
});
