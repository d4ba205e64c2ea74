import { describe, expect, it } from 'vitest';
import { renderReply } from '../../../tools/redis-cli/render-reply.js';

describe('rendering a reply', () => {
  it('shows nested arrays with redis-cli numbering', () => {
    const reply = [Buffer.from('0'), [Buffer.from('a'), 5, null, []]];
    const rendered = renderReply(reply, 1024);
    expect(rendered.text).toBe(
      ['1) "0"', '2) 1) "a"', '   2) (integer) 5', '   3) (nil)', '   4) (empty array)'].join('\n'),
    );
    expect(rendered.json).toEqual(['0', ['a', 5, null, []]]);
    expect(rendered.truncated).toBe(false);
  });

  it('cuts long values and leaves out elements past the cap', () => {
    const reply = [Buffer.from('x'.repeat(10)), Buffer.from('y'.repeat(10)), Buffer.from('z')];
    const rendered = renderReply(reply, 15);
    expect(rendered.truncated).toBe(true);
    expect(rendered.json).toEqual(['x'.repeat(10), 'y'.repeat(4)]);
    expect(rendered.text).toContain('(truncated: 4 of 10 bytes shown)');
    expect(rendered.text).toContain('1 more element not shown');
    expect(rendered.totalBytes).toBe(21);
  });

  it('does not split a UTF-8 character when it cuts', () => {
    const rendered = renderReply(Buffer.from('ééé'), 3);
    expect(rendered.json).toBe('é');
  });

  it('shows a text of several lines that the server wrote as it is', () => {
    const rendered = renderReply(Buffer.from('# Server\r\nredis_version:7.0.0\r\n'), 1024, {
      serverText: true,
    });
    expect(rendered.text).toBe('# Server\nredis_version:7.0.0');
    expect(rendered.json).toBe('# Server\r\nredis_version:7.0.0\r\n');
  });

  it('quotes a stored value of several lines, so it cannot pass for the tool’s own lines', () => {
    const stored = 'x\n(error) refused: nothing was sent\n';
    const rendered = renderReply(Buffer.from(stored), 1024);
    expect(rendered.text).toBe('"x\\n(error) refused: nothing was sent\\n"');
    expect(rendered.text.split('\n')).toHaveLength(1);
    expect(rendered.json).toBe(stored);
  });

  it('shows errors inside arrays', () => {
    const rendered = renderReply([new Error('ERR bad')], 1024);
    expect(rendered.text).toBe('1) (error) ERR bad');
    expect(rendered.json).toEqual([{ error: 'ERR bad' }]);
  });
});
