import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  claudeCodeToolName,
  exportClaudeCode,
  exportedMarker,
} from '../../src/org/export-claude-code.js';
import { loadPaths } from '../../src/org/load-paths.js';
import type { AgentDefinition } from '../../src/org/org-definition.js';
import { orgContextStart } from '../../src/org/prompt-markers.js';

const agentsDir = fileURLToPath(new URL('../../agents/', import.meta.url));
const outDirs: string[] = [];
afterAll(async () => Promise.all(outDirs.map((dir) => rm(dir, { recursive: true, force: true }))));

/** What makes two agents the same, whatever file format they were read from. */
function comparable(agent: AgentDefinition) {
  return {
    id: agent.id,
    name: agent.name,
    role: agent.role,
    reports_to: agent.reports_to,
    peers: agent.peers,
    description: agent.description.trim(),
    model: agent.model,
    prompt: agent.prompt.trim(),
    tools: agent.tools,
    external_tools: agent.external_tools,
    metrics: agent.metrics,
    limits: agent.limits,
    escalation: agent.escalation,
    human: agent.human,
  };
}

const bundled = await loadPaths([agentsDir]);

describe('export to Claude Code, then import', () => {
  it('covers every bundled org', () => {
    expect(bundled.map((loaded) => loaded.org.name).sort()).toEqual([
      'esa',
      'heir',
      'infra-ops',
      'infrastructure-platform',
    ]);
  });

  for (const loaded of bundled) {
    it(`gives back the same agents for bundled org ${loaded.org.name}`, async () => {
      const out = await mkdtemp(join(tmpdir(), 'cadre-export-'));
      outDirs.push(out);
      const files = await exportClaudeCode(loaded.org, {
        command: 'node',
        args: ['cli.js', 'mcp'],
      });
      for (const file of files) {
        await mkdir(dirname(join(out, file.path)), { recursive: true });
        await writeFile(join(out, file.path), file.text);
      }
      const [imported] = await loadPaths([join(out, 'agents')]);
      expect(imported?.diagnostics.filter((entry) => entry.severity === 'error')).toEqual([]);
      const byId = (list: AgentDefinition[]) =>
        [...list].sort((a, b) => a.id.localeCompare(b.id)).map(comparable);
      expect(byId(imported?.org.agents ?? [])).toEqual(byId(loaded.org.agents));
      expect(imported?.org.root).toBe(loaded.org.root);
      expect(imported?.org.targets).toEqual(loaded.org.targets);
      expect(Object.keys(imported?.org.rule_sets ?? {})).toEqual(Object.keys(loaded.org.rule_sets));
    });
  }

  it('keeps a place a person fills (human: true) through export and import', async () => {
    const heir = bundled.find((loaded) => loaded.org.name === 'heir')?.org;
    if (!heir) throw new Error('heir is not bundled');
    const person = heir.agents.find((agent) => agent.id !== heir.root);
    if (!person) throw new Error('heir has one agent');
    const org = {
      ...heir,
      agents: heir.agents.map((agent) => (agent === person ? { ...agent, human: true } : agent)),
    };
    const out = await mkdtemp(join(tmpdir(), 'cadre-export-'));
    outDirs.push(out);
    const files = await exportClaudeCode(org, { command: 'node', args: ['cli.js', 'mcp'] });
    for (const file of files) {
      await mkdir(dirname(join(out, file.path)), { recursive: true });
      await writeFile(join(out, file.path), file.text);
    }
    const [imported] = await loadPaths([join(out, 'agents')]);

    // Claude Code reads agents/*.md: the person is no subagent there.
    expect(files.map((file) => file.path)).not.toContain(`agents/${person.id}.md`);
    expect(files.map((file) => file.path)).toContain(`agents/${person.id}.yaml`);
    expect(imported?.diagnostics.filter((entry) => entry.severity === 'error')).toEqual([]);
    expect(imported?.org.agents.map(comparable).sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      org.agents.map(comparable).sort((a, b) => a.id.localeCompare(b.id)),
    );
    expect(imported?.org.agents.find((agent) => agent.id === person.id)?.human).toBe(true);
    expect(imported?.org.agents.filter((agent) => agent.human).map((agent) => agent.id)).toEqual([
      person.id,
    ]);
  });

  it('writes subagent files Claude Code can read: frontmatter, mcp__cadre__ tool names, the rendered prompt', async () => {
    const esa = bundled.find((loaded) => loaded.org.name === 'esa')?.org;
    if (!esa) throw new Error('esa is not bundled');
    const files = await exportClaudeCode(esa, {
      command: 'node',
      args: ['cli.js', 'mcp', '--org', 'agents/esa'],
    });
    const layer = files.find((file) => file.path === 'agents/layer-1.md');
    const [, frontmatterText = '', body = ''] =
      /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(layer?.text ?? '') ?? [];
    const frontmatter = parse(frontmatterText) as Record<string, string>;
    expect(Object.keys(frontmatter).sort()).toEqual(
      ['description', 'model', 'name', 'tools']
        .filter((key) => key !== 'model' || frontmatter.model !== undefined)
        .sort(),
    );
    expect(frontmatter.name).toBe('layer-1');
    const tools = frontmatter.tools?.split(', ') ?? [];
    expect(tools).toContain(claudeCodeToolName('psql__query'));
    expect(tools).not.toContain(claudeCodeToolName('psql__execute'));
    for (const tool of tools) expect(tool).toMatch(/^mcp__cadre__[a-zA-Z0-9_-]+$/);
    expect(body).toContain(orgContextStart);
    expect(body).toContain('domain-1');
    expect(body).toMatch(/chief-1 \(after 1h\)/);
    const config = JSON.parse(files.find((file) => file.path === '.mcp.json')?.text ?? '{}') as {
      mcpServers: Record<string, { command: string; args: string[] }>;
    };
    expect(config.mcpServers.cadre).toEqual({
      command: 'node',
      args: ['cli.js', 'mcp', '--org', 'agents/esa'],
    });
  });

  it('copies the rule sets as written, comments included, under a line saying who wrote them', async () => {
    const heir = bundled.find((loaded) => loaded.org.name === 'heir')?.org;
    if (!heir) throw new Error('heir is not bundled');
    const files = await exportClaudeCode(heir, { command: 'node', args: [] });
    const rules = files.find((file) => file.path === 'escalation/heir.yaml');
    expect(rules?.text).toBe(
      `# ${exportedMarker} from heir: rule set heir, as written.\n${await readFile(
        fileURLToPath(new URL('../../escalation/heir.yaml', import.meta.url)),
        'utf8',
      )}`,
    );
  });
});
