import { cp, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TreeView } from '../../src/org/tree-view.js';
import { repositoryRoot, runCli } from '../helpers/run-cli.js';

const temporary: string[] = [];
afterAll(async () =>
  Promise.all(temporary.map((dir) => rm(dir, { recursive: true, force: true }))),
);

describe('cadre validate', () => {
  it('exits 0 on the bundled orgs and names each of them', async () => {
    const result = await runCli(['validate', 'agents/']);
    expect(result.code).toBe(0);
    for (const name of ['esa', 'heir', 'infra-ops', 'infrastructure-platform']) {
      expect(result.stdout).toMatch(new RegExp(`^valid: org '${name}'`, 'm'));
    }
    expect(result.stdout).toMatch(
      /agents\/infrastructure-platform\.md:2:7: warning: name .* broken-encoding/,
    );
  });

  it('reports a JSON report with --json', async () => {
    const result = await runCli(['validate', 'agents/heir', '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { org: string; valid: boolean; agents: number }[];
    expect(report).toEqual([expect.objectContaining({ org: 'heir', valid: true, agents: 4 })]);
  });

  it('exits 1 with a clear message for a path that does not exist', async () => {
    const result = await runCli(['validate', 'no/such/org']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('no/such/org:1:1: error: no/such/org does not exist');
  });
});

describe('cadre validate, escalation checks', () => {
  it('refuses rules whose escalations go round in a loop, naming the loop and where', async () => {
    const result = await runCli(['validate', 'test/fixtures/escalation-cycle']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /escalation\/standard\.yaml:3:\d+: error: escalations can go round in a loop, ceo → chief-1 → ceo/,
    );
  });
});

describe('cadre tree', () => {
  it('shows the ESA chain ceo → Chief #1 → Domain #1 → Layers #1, #3, #14 with 30m peer waits and 1h to the chief', async () => {
    const result = await runCli(['tree', 'agents/esa', '--format', 'json']);
    expect(result.code).toBe(0);
    const view = JSON.parse(result.stdout) as TreeView;
    expect(view.org).toBe('esa');
    expect(view.root).toBe('ceo');
    const agent = (id: string) => view.agents.find((entry) => entry.id === id);
    expect(agent('chief-1')).toMatchObject({
      name: 'Chief #1 Foundation Division',
      role: 'chief',
      reports_to: 'ceo',
    });
    expect(agent('domain-1')).toMatchObject({ role: 'domain', reports_to: 'chief-1' });
    for (const id of ['layer-1', 'layer-3', 'layer-14'])
      expect(agent(id)).toMatchObject({ role: 'layer', reports_to: 'domain-1' });
    expect(agent('layer-1')?.peers).toEqual(
      expect.arrayContaining([
        { id: 'layer-2', wait: '30m' },
        { id: 'layer-3', wait: '30m' },
      ]),
    );
    expect(agent('domain-1')?.peers).toContainEqual({ id: 'domain-2', wait: '30m' });
    expect(agent('layer-1')?.tools).toContainEqual(
      expect.objectContaining({ tool: 'psql', grant: 'read' }),
    );
    expect(agent('layer-1')?.escalation.path).toContainEqual({
      to: 'chief-1',
      wait: '1h',
      rule: 'chief-escalation-unanswered',
    });
    expect(agent('domain-1')?.escalation.path[0]).toMatchObject({ to: 'chief-1', wait: '1h' });
  });

  it('draws the hierarchy as text and as a mermaid chart', async () => {
    const text = await runCli(['tree', 'agents/heir']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^master-orchestrator {2}.*\[ceo\]$/m);
    expect(text.stdout).toMatch(/└── data-orchestrator/);
    const mermaid = await runCli(['tree', 'agents/heir', '-f', 'mermaid']);
    expect(mermaid.stdout.split('\n')[0]).toBe('flowchart TD');
    expect(mermaid.stdout).toMatch(/master_orchestrator -->(\|"[^"]*"\| )?data_orchestrator/);
  });

  it('refuses an unknown format and an invalid org', async () => {
    const format = await runCli(['tree', 'agents/esa', '--format', 'xml']);
    expect(format.code).not.toBe(0);
    expect(format.stderr).toContain(
      "argument 'xml' is invalid. Allowed choices are text, json, mermaid",
    );
    const invalid = await runCli(['tree', 'test/fixtures/broken']);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/:\d+:\d+: error: /);
  });
});

describe('cadre export claude-code', () => {
  it('writes agents/<id>.md, org.yaml and .mcp.json that load back as the same org', async () => {
    const out = await mkdtemp(join(tmpdir(), 'cadre-e2e-'));
    temporary.push(out);
    const result = await runCli(['export', 'claude-code', 'agents/heir', '--out', out]);
    expect(result.code).toBe(0);
    expect((await readdir(join(out, 'agents'))).sort()).toEqual([
      'api-specialist.md',
      'data-orchestrator.md',
      'database-specialist.md',
      'master-orchestrator.md',
      'org.yaml',
    ]);
    const config = JSON.parse(await readFile(join(out, '.mcp.json'), 'utf8')) as {
      mcpServers: { cadre: { command: string; args: string[] } };
    };
    expect(config.mcpServers.cadre.command).toBe('node');
    expect(config.mcpServers.cadre.args.slice(1)).toEqual([
      'mcp',
      '--org',
      join(repositoryRoot, 'agents/heir'),
      '--tools',
    ]);
    const validated = await runCli(['validate', join(out, 'agents')]);
    expect(validated.code).toBe(0);
    expect(validated.stdout).toMatch(/^valid: org 'heir'.*4 agents, 0 errors, 0 warnings$/m);
  });

  it('exports again over its own files, keeps other MCP servers, and refuses links and foreign files', async () => {
    const out = await mkdtemp(join(tmpdir(), 'cadre-e2e-'));
    temporary.push(out);
    await writeFile(
      join(out, '.mcp.json'),
      JSON.stringify({ mcpServers: { github: { command: 'gh-mcp' } }, other: 1 }),
    );
    expect((await runCli(['export', 'claude-code', 'agents/heir', '--out', out])).code).toBe(0);
    const merged = JSON.parse(await readFile(join(out, '.mcp.json'), 'utf8')) as {
      mcpServers: Record<string, unknown>;
      other: number;
    };
    expect(Object.keys(merged.mcpServers).sort()).toEqual(['cadre', 'github']);
    expect(merged.other).toBe(1);
    // Its own files are replaced on the next export.
    expect((await runCli(['export', 'claude-code', 'agents/heir', '--out', out])).code).toBe(0);

    // A hand-written agent file and a link to a file elsewhere are not touched, and nothing is written.
    const victim = join(out, 'victim.txt');
    await writeFile(victim, 'keep me');
    await writeFile(join(out, 'agents/api-specialist.md'), 'my own agent');
    await rm(join(out, 'agents/database-specialist.md'));
    await symlink(victim, join(out, 'agents/database-specialist.md'));
    const refused = await runCli(['export', 'claude-code', 'agents/heir', '--out', out]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('nothing was written');
    expect(refused.stderr).toMatch(
      /api-specialist\.md: exists and was not written by cadre export/,
    );
    expect(refused.stderr).toMatch(/database-specialist\.md is a symbolic link/);
    expect(await readFile(victim, 'utf8')).toBe('keep me');
    expect(await readFile(join(out, 'agents/api-specialist.md'), 'utf8')).toBe('my own agent');

    // --force replaces the foreign file, never the link.
    const forced = await runCli(['export', 'claude-code', 'agents/heir', '--out', out, '--force']);
    expect(forced.code).toBe(1);
    expect(forced.stderr).toMatch(/database-specialist\.md is a symbolic link/);
    await rm(join(out, 'agents/database-specialist.md'));
    const replaced = await runCli([
      'export',
      'claude-code',
      'agents/heir',
      '--out',
      out,
      '--force',
    ]);
    expect(replaced.code).toBe(0);
    expect(await readFile(join(out, 'agents/api-specialist.md'), 'utf8')).toContain(
      'Written by `cadre export claude-code` from heir',
    );
    expect(await readFile(victim, 'utf8')).toBe('keep me');
  });

  it('the seed 003 file copied unchanged into an org loads with a warning and the id infrastructure-platform', async () => {
    const project = await mkdtemp(join(tmpdir(), 'cadre-e2e-'));
    temporary.push(project);
    await cp(join(repositoryRoot, 'agents/heir'), join(project, 'agents/heir'), {
      recursive: true,
    });
    await cp(join(repositoryRoot, 'prompts/heir'), join(project, 'prompts/heir'), {
      recursive: true,
    });
    await cp(join(repositoryRoot, 'escalation'), join(project, 'escalation'), { recursive: true });
    await cp(
      join(repositoryRoot, 'agents/infrastructure-platform.md'),
      join(project, 'agents/heir/platform.md'),
    );
    const orgFile = join(project, 'agents/heir/org.yaml');
    const { appendFile } = await import('node:fs/promises');
    await appendFile(
      orgFile,
      '\nmembers:\n  infrastructure-platform: { role: domain, reports_to: data-orchestrator }\n',
    );
    const result = await runCli(['validate', 'agents/heir'], project);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /agents\/heir\/platform\.md:2:7: warning: name '.*' carries broken-encoding characters .* loaded with id 'infrastructure-platform'/,
    );
    const tree = JSON.parse(
      (await runCli(['tree', 'agents/heir', '--format', 'json'], project)).stdout,
    ) as TreeView;
    expect(tree.agents.map((agent) => agent.id)).toContain('infrastructure-platform');
  });

  it('prints help with an example for every command', async () => {
    for (const command of [[], ['validate'], ['tree'], ['export', 'claude-code']]) {
      const help = await runCli([...command, '--help']);
      expect(help.code, command.join(' ')).toBe(0);
      expect(help.stdout, command.join(' ')).toMatch(/Examples:\n {2}\$ cadre /);
    }
  });
});
