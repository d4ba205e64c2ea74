import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../helpers/run-cli.js';
import { serverEnvironment, tempFolder } from '../mcp-server/cli-server.js';

interface McpJson {
  mcpServers: Record<string, { command: string; args: string[]; env?: Record<string, string> }>;
}

describe('cadre export claude-code agents/esa, then the server its .mcp.json starts', () => {
  let dir = '';
  let storeUrl = '';
  let remove: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, storeUrl, remove } = await tempFolder());
  });
  afterAll(async () => remove());

  it('lists every tool that every exported agent file names', async () => {
    const project = join(dir, 'project');
    const exported = await runCli([
      'export',
      'claude-code',
      'agents/esa',
      '--out',
      join(project, '.claude'),
      '--mcp-json',
      join(project, '.mcp.json'),
    ]);
    expect(exported.code).toBe(0);
    const mcpJsonPath = join(project, '.mcp.json');
    const config = JSON.parse(await readFile(mcpJsonPath, 'utf8')) as McpJson;
    const cadre = config.mcpServers.cadre;
    if (!cadre) throw new Error('.mcp.json has no cadre server');
    expect(cadre.args).toContain('--tools');

    // Started exactly as .mcp.json says, from the folder that holds it (as Claude Code does).
    const client = new Client({ name: 'claude-code-like', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: cadre.command,
        args: cadre.args,
        env: serverEnvironment(storeUrl, cadre.env ?? {}),
        cwd: dirname(mcpJsonPath),
        stderr: 'pipe',
      }),
    );
    const listed = new Set(
      (await client.listTools()).tools.map((tool) => `mcp__cadre__${tool.name}`),
    );
    await client.close();

    const agentsDir = join(project, '.claude', 'agents');
    const files = (await readdir(agentsDir)).filter((name) => name.endsWith('.md'));
    expect(files).toHaveLength(15);
    let named = 0;
    for (const file of files) {
      const text = await readFile(join(agentsDir, file), 'utf8');
      const frontmatter = parse(/^---\n([\s\S]*?)\n---\n/.exec(text)?.[1] ?? '') as {
        tools?: string;
      };
      const tools = (frontmatter.tools ?? '').split(',').map((name) => name.trim());
      for (const tool of tools.filter((name) => name.startsWith('mcp__'))) {
        expect(listed, `${file} names ${tool}`).toContain(tool);
        named += 1;
      }
    }
    // Every agent names ask_agent; the database layers name their tools too.
    expect(named).toBeGreaterThan(files.length);
    expect(listed).toContain('mcp__cadre__psql__query');
  });
});
