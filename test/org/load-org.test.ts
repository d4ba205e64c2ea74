import { copyFile, readFile, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { escalationView } from '../../src/org/escalation-path.js';
import { loadOrg } from '../../src/org/load-org.js';
import type { LoadedOrg } from '../../src/org/org-definition.js';
import { smallOrg, writeTempTree } from '../helpers/temp-org.js';

const orgYaml = smallOrg['agents/acme/org.yaml'] ?? '';
const seed003 = fileURLToPath(new URL('../../agents/infrastructure-platform.md', import.meta.url));
let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.map((remove) => remove()));
  cleanups = [];
});

async function load(
  files: Record<string, string>,
  org = 'agents/acme',
): Promise<LoadedOrg & { dir: string }> {
  const tree = await writeTempTree(files);
  cleanups.push(tree.remove);
  return { ...(await loadOrg(join(tree.dir, org))), dir: tree.dir };
}

const errors = (loaded: LoadedOrg) =>
  loaded.diagnostics.filter((entry) => entry.severity === 'error');
const agent = (loaded: LoadedOrg, id: string) => {
  const found = loaded.org.agents.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no agent ${id}`);
  return found;
};

describe('loading an org folder', () => {
  it('loads agents, prompt files, grants and rule sets of a valid org with no diagnostics', async () => {
    const loaded = await load(smallOrg);
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.org.agents.map((entry) => entry.id).sort()).toEqual([
      'boss',
      'chief-1',
      'domain-1',
      'domain-2',
      'layer-1',
    ]);
    const layer = agent(loaded, 'layer-1');
    expect(layer.prompt).toBe('You tune queries.\n');
    expect(layer.prompt_file).toBe('acme/layer-1.md');
    expect(layer.tools).toEqual([
      { tool: 'psql', grant: 'write' },
      { tool: 'redis-cli', grant: 'read' },
    ]);
    expect(agent(loaded, 'chief-1').prompt).toBe('You run data.');
    expect(Object.keys(loaded.org.rule_sets)).toEqual(['acme']);
  });

  it('resolves an agent’s escalation path, shortcuts and strikes from its rule set', async () => {
    const loaded = await load(smallOrg);
    const view = escalationView(loaded.org, agent(loaded, 'layer-1'));
    expect(view.rules).toBe('acme');
    expect(view.path).toEqual([
      { to: 'domain-1', wait: '2h', rule: 'domain-silence' },
      { to: 'chief-1', wait: '1h', rule: 'chief-silence' },
      { to: 'boss' },
    ]);
    expect(view.shortcuts).toEqual([
      { to: 'boss', when: ['critical', 'data-loss'], wait: 'immediate', rule: 'emergency' },
    ]);
    expect(view.strikes).toEqual([{ count: 3, to: 'domain-1', rule: 'three-strikes' }]);
  });

  it('reports every error at once, each in its own file and place', async () => {
    const loaded = await load({
      ...smallOrg,
      'agents/acme/domain-1.yaml':
        'id: domain-1\nname: D\nrole: domain\nreports_to: chief-2\ndescription: x\nprompt: { text: x }\n',
      'agents/acme/domain-2.yaml':
        'id: domain-2\nname: D2\nrole: domian\nreports_to: chief-1\ndescription: x\nprompt: { text: x }\n',
      'agents/acme/layer-1.yaml':
        'id: layer-1\nname: L\nrole: layer\nreports_to: domain-1\ndescription: x\nprompt: acme/nope.md\n',
    });
    const found = errors(loaded).map(
      (entry) => `${entry.file.split('/').pop()}:${entry.line}:${entry.column}:${entry.code}`,
    );
    expect(found).toEqual(
      expect.arrayContaining([
        'domain-1.yaml:4:13:reports-to-unknown',
        'domain-2.yaml:3:7:invalid-value',
        'layer-1.yaml:6:9:prompt-missing',
      ]),
    );
    const reportsTo = errors(loaded).find((entry) => entry.code === 'reports-to-unknown');
    expect(reportsTo?.message).toBe("reports_to 'chief-2' is not an agent of org 'acme'");
    expect(reportsTo?.hint).toBe("did you mean 'chief-1'?");
  });

  it('refuses a literal password in a target URL but accepts one without', async () => {
    const withPassword = await load({
      ...smallOrg,
      'agents/acme/org.yaml': orgYaml.replace('env:DATABASE_URL', 'postgres://app:hunter2@db/app'),
    });
    expect(errors(withPassword).map((entry) => [entry.line, entry.message])).toEqual([
      [
        6,
        'targets.main.url: the URL holds a literal password; write env:NAME (such as env:DATABASE_URL) and put the URL in that variable',
      ],
    ]);
    const withoutPassword = await load({
      ...smallOrg,
      'agents/acme/org.yaml': orgYaml.replace('env:DATABASE_URL', 'postgres://127.0.0.1:5432/test'),
    });
    expect(errors(withoutPassword)).toEqual([]);
  });

  it('refuses a password in the query string, and never echoes a secret it cannot parse', async () => {
    const inQuery = await load({
      ...smallOrg,
      'agents/acme/org.yaml': orgYaml.replace(
        'env:DATABASE_URL',
        'postgres://127.0.0.1:5999/db?password=LiteralPW1',
      ),
    });
    expect(errors(inQuery).map((entry) => entry.message)).toEqual([
      'targets.main.url: the URL holds a literal secret (password=); write env:NAME (such as env:DATABASE_URL) and put the URL in that variable',
    ]);
    for (const written of ['postgres://admin:Lit/eralPW1@db/app', "'host=h password=LiteralPW1'"]) {
      const unreadable = await load({
        ...smallOrg,
        'agents/acme/org.yaml': orgYaml.replace('env:DATABASE_URL', written),
      });
      const messages = errors(unreadable).map((entry) => entry.message);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toContain('is neither env:NAME nor a URL');
      expect(messages[0]).not.toContain('LiteralPW1');
      expect(messages[0]).not.toContain('eralPW1');
    }
  });
});

describe('files a shared org may not read', () => {
  it('refuses a prompt that is a link to a file outside prompts/, and never reads it', async () => {
    const tree = await writeTempTree({ ...smallOrg, 'secret/id_rsa': 'PRIVATE KEY MATERIAL' });
    cleanups.push(tree.remove);
    await rm(join(tree.dir, 'prompts/acme/boss.md'));
    await symlink(join(tree.dir, 'secret/id_rsa'), join(tree.dir, 'prompts/acme/boss.md'));
    const loaded = await loadOrg(join(tree.dir, 'agents/acme'));
    expect(errors(loaded).map((entry) => entry.code)).toEqual(['prompt-outside']);
    expect(errors(loaded)[0]?.message).toContain('through a link');
    expect(JSON.stringify(loaded.org)).not.toContain('PRIVATE KEY MATERIAL');
  });

  it('keeps a link whose target stays inside prompts/', async () => {
    const tree = await writeTempTree({ ...smallOrg, 'prompts/acme/shared.md': 'Shared text.\n' });
    cleanups.push(tree.remove);
    await rm(join(tree.dir, 'prompts/acme/boss.md'));
    await symlink(join(tree.dir, 'prompts/acme/shared.md'), join(tree.dir, 'prompts/acme/boss.md'));
    const loaded = await loadOrg(join(tree.dir, 'agents/acme'));
    expect(errors(loaded)).toEqual([]);
    expect(agent(loaded, 'boss').prompt).toContain('Shared text.');
  });

  it('refuses paths.prompts and paths.escalation that lead outside the project', async () => {
    const loaded = await load({
      ...smallOrg,
      'agents/acme/org.yaml': `${orgYaml}\npaths:\n  prompts: /\n  escalation: ../../../..`,
    });
    const outside = errors(loaded).filter((entry) => entry.code === 'paths-outside');
    expect(outside.map((entry) => entry.message)).toEqual([
      expect.stringMatching(/^paths\.prompts: '\/' leads outside the org's project/),
      expect.stringMatching(/^paths\.escalation: '\.\.\/\.\.\/\.\.\/\.\.' leads outside/),
    ]);
  });
});

describe('reserved ids', () => {
  it('refuses an agent named org or readme, which an export could not bring back', async () => {
    const loaded = await load({
      ...smallOrg,
      'agents/acme/domain-2.yaml':
        'id: readme\nname: Domain Two\nrole: domain\nreports_to: chief-1\ndescription: Runs the front.\nprompt: { text: You run the front. }\n',
    });
    expect(errors(loaded).map((entry) => `${entry.code}: ${entry.message}`)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^id-reserved: the id 'readme' is reserved/)]),
    );
  });
});

describe('MCP servers over HTTP', () => {
  it('refuses credentials in an MCP server url', async () => {
    const loaded = await load({
      ...smallOrg,
      'agents/acme/org.yaml': `${orgYaml}\nmcp_servers:\n  web: { url: 'https://bob:PW@mcp.example/mcp', tools: [search] }`,
    });
    expect(errors(loaded).map((entry) => entry.message)).toEqual([
      expect.stringMatching(/mcp_servers\.web\.url: the url holds credentials/),
    ]);
    expect(JSON.stringify(loaded.diagnostics)).not.toContain('PW@');
  });
});

describe('MCP tool names the model would see', () => {
  it('says when a name has characters the Messages API refuses, and when it is too long', async () => {
    const withTool = (tool: string) =>
      load({
        ...smallOrg,
        'agents/acme/org.yaml': `${orgYaml}\nmcp_servers:\n  web: { url: 'https://mcp.example/mcp' }\nmembers:\n  helper: { role: chief, reports_to: boss }`,
        'agents/acme/helper.md': `---\nname: helper\ndescription: Helps.\ntools: ${tool}\n---\nHelp.\n`,
      });
    const badCharacters = await withTool('mcp__web__bad name!');
    expect(errors(badCharacters).map((entry) => `${entry.code}: ${entry.message}`)).toEqual([
      "tool-name-characters: the model would see this tool as 'web__bad name!', but the Messages API allows only letters, digits, _ and - in tool names",
    ]);
    const long = await withTool(`mcp__web__${'a'.repeat(70)}`);
    expect(errors(long).map((entry) => entry.code)).toEqual(['tool-name-too-long']);
  });
});

describe('names that Object.prototype also has', () => {
  it('finds no MCP server, target or member called constructor or toString that the org lacks', async () => {
    const loaded = await load({
      ...smallOrg,
      'agents/acme/chief-1.yaml':
        'id: chief-1\nname: Chief One\nrole: chief\nreports_to: boss\ndescription: Runs data.\nprompt: { text: You run data. }\ntools: [constructor, { tool: psql, target: toString }]\n',
      'agents/acme/constructor.md': '---\nname: constructor\ndescription: A helper.\n---\nHelp.\n',
    });
    const messages = errors(loaded).map((entry) => `${entry.code}: ${entry.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/constructor/),
        expect.stringMatching(/toString/),
        expect.stringMatching(
          /^member-missing: agent 'constructor' \(a Claude Code file\) has no place/,
        ),
      ]),
    );
  });
});

describe('Claude Code subagent files in an org', () => {
  const member = [
    'members:',
    '  db-admin:',
    '    name: Database Administrator',
    '    role: layer',
    '    reports_to: domain-1',
    '    tools: [{ tool: psql, grant: read }]',
  ].join('\n');

  it('takes name, description, model and prompt from the file and the place from org.yaml members', async () => {
    const loaded = await load({
      ...smallOrg,
      'agents/acme/org.yaml': `${orgYaml}\n${member}\n`,
      'agents/acme/db-admin.md':
        '---\nname: db-admin\ndescription: Keeps the database healthy.\ntools: Read, psql, Bash\nmodel: sonnet\ncolor: blue\n---\n\nYou keep the database healthy.\n',
    });
    expect(errors(loaded)).toEqual([]);
    const dba = agent(loaded, 'db-admin');
    expect(dba).toMatchObject({
      name: 'Database Administrator',
      role: 'layer',
      reports_to: 'domain-1',
      description: 'Keeps the database healthy.',
      model: 'sonnet',
      prompt: 'You keep the database healthy.',
      tools: [{ tool: 'psql', grant: 'read' }],
      external_tools: ['Read', 'Bash'],
      source: { format: 'claude-code' },
    });
    const warning = loaded.diagnostics.find((entry) => entry.code === 'tool-not-provided');
    expect(warning?.severity).toBe('warning');
    expect(warning?.message).toContain('not provided by cadre: Read, Bash');
    expect(warning?.line).toBe(4);
  });

  it('is an error when org.yaml gives the file no place in the org', async () => {
    const loaded = await load({
      ...smallOrg,
      'agents/acme/db-admin.md':
        '---\nname: db-admin\ndescription: Keeps the database healthy.\n---\nYou keep it healthy.\n',
    });
    expect(errors(loaded).map((entry) => [entry.code, entry.line])).toEqual([
      ['member-missing', 2],
    ]);
  });

  it('loads the seed 003 file copied unchanged, with a warning about its name and the id infrastructure-platform', async () => {
    const tree = await writeTempTree({
      ...smallOrg,
      'agents/acme/org.yaml': `${orgYaml}\nmembers:\n  infrastructure-platform: { role: chief, reports_to: boss }\n`,
    });
    cleanups.push(tree.remove);
    await copyFile(seed003, join(tree.dir, 'agents/acme/infrastructure-platform.md'));
    const seedText = await readFile(seed003, 'utf8');
    expect(seedText).toContain('name: \uf8ffüèóÔ∏è infrastructure-platform');
    const loaded = await loadOrg(join(tree.dir, 'agents/acme'));
    expect(errors(loaded)).toEqual([]);
    const platform = agent(loaded, 'infrastructure-platform');
    expect(platform.role).toBe('chief');
    expect(platform.tools.map((use) => use.tool)).toEqual(['psql', 'redis-cli', 'pgbench']);
    const nameWarning = loaded.diagnostics.find(
      (entry) => entry.code === 'subagent-name-broken-encoding',
    );
    expect(nameWarning).toMatchObject({ severity: 'warning', line: 2, column: 7 });
    expect(nameWarning?.message).toContain("meant '🏗️ infrastructure-platform'");
    expect(nameWarning?.message).toContain("loaded with id 'infrastructure-platform'");
  });
});
