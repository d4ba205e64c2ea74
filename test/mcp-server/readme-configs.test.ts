import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../helpers/run-cli.js';

const readme = await readFile(join(repositoryRoot, 'README.md'), 'utf8');
const start = readme.indexOf('## Claude Code and MCP clients');
const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
const blocks = [...section.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');

interface Server {
  command?: string;
  args?: string[];
  url?: string;
}

describe('the README’s client configurations', () => {
  it('are JSON, for Claude Code, Claude Desktop, VS Code, Cursor and Zed', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    for (const block of blocks) expect(() => JSON.parse(block)).not.toThrow();
  });

  it('start cadre mcp (with --tools) and the three tool servers, or reach /mcp over HTTP', () => {
    for (const block of blocks.slice(1)) {
      const config = JSON.parse(block) as Record<string, Record<string, Server> | undefined>;
      const servers = config.mcpServers ?? config.servers ?? config.context_servers ?? {};
      const argsOf = (name: string) => servers[name]?.args ?? [];
      expect(argsOf('cadre')).toEqual(expect.arrayContaining(['mcp', '--org', '--tools']));
      for (const tool of ['psql', 'redis-cli', 'pgbench'])
        expect(argsOf(tool).slice(0, 3)).toEqual(['cadre', 'tool', tool]);
      const http = servers['cadre-http'];
      if (http) expect(http.url).toBe('http://127.0.0.1:7337/mcp');
    }
  });
});
