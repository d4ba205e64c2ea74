import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { claudeCodeToolName, exportClaudeCode } from '../../src/org/export-claude-code.js';
import { loadPaths } from '../../src/org/load-paths.js';
import { orgContextEnd } from '../../src/org/prompt-markers.js';
import type { Connected } from './in-memory-server.js';
import { openInMemory } from './in-memory-server.js';

const agentsDir = fileURLToPath(new URL('../../agents/', import.meta.url));
const bundled = await loadPaths([agentsDir]);
const opened: Connected[] = [];
afterAll(async () => Promise.all(opened.map((connected) => connected.close())));

describe('the Claude Code export names only tools cadre mcp --tools lists', () => {
  for (const loaded of bundled) {
    it(`for bundled org ${loaded.org.name}`, async () => {
      const connected = await openInMemory(loaded.org.dir, { tools: 'org' });
      opened.push(connected);
      const listed = new Set((await connected.client.listTools()).tools.map((tool) => tool.name));
      const files = await exportClaudeCode(loaded.org, {
        command: 'node',
        args: ['cli.js', 'mcp'],
      });
      const agentFiles = files.filter((file) => /^agents\/[^/]+\.md$/.test(file.path));
      expect(agentFiles).toHaveLength(loaded.org.agents.length);
      for (const file of agentFiles) {
        const frontmatter = parse(/^---\n([\s\S]*?)\n---\n/.exec(file.text)?.[1] ?? '') as {
          name: string;
          tools: string;
        };
        const cadreTools = frontmatter.tools
          .split(', ')
          .filter((name) => name.startsWith(claudeCodeToolName('')));
        expect(cadreTools).toContain(claudeCodeToolName('ask_agent'));
        for (const name of cadreTools)
          expect(listed, `${file.path} names ${name}`).toContain(
            name.slice(claudeCodeToolName('').length),
          );
        const databaseTools = cadreTools.filter((name) =>
          name.includes('__', 'mcp__cadre__'.length),
        );
        if (databaseTools.length > 0) {
          // The agent is told to name itself, inside the section an import strips.
          const note = `Pass \`"agent": "${frontmatter.name}"\` in every call`;
          expect(file.text).toContain(note);
          expect(file.text.indexOf(note)).toBeLessThan(file.text.indexOf(orgContextEnd));
        }
      }
    });
  }
});
