import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Writes files (path → text) into a fresh temporary folder; `remove` deletes it. */
export async function writeTempTree(
  files: Record<string, string>,
): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'cadre-test-'));
  for (const [path, text] of Object.entries(files)) {
    const full = join(dir, path);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, text);
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A small valid org: a ceo, a chief and a layer under a domain, with prompts and a rule set. */
export const smallOrg: Record<string, string> = {
  'agents/acme/org.yaml': [
    'name: acme',
    'root: boss',
    'defaults:',
    '  escalation: acme',
    'targets:',
    '  main: { kind: postgres, url: env:DATABASE_URL, access: write }',
    '  cache: { kind: redis, url: env:REDIS_URL }',
  ].join('\n'),
  'agents/acme/boss.yaml':
    'id: boss\nname: The Boss\nrole: ceo\ndescription: Decides.\nprompt: acme/boss.md\n',
  'agents/acme/chief-1.yaml':
    'id: chief-1\nname: Chief One\nrole: chief\nreports_to: boss\ndescription: Runs data.\nprompt: { text: You run data. }\n',
  'agents/acme/domain-1.yaml':
    'id: domain-1\nname: Domain One\nrole: domain\nreports_to: chief-1\npeers: [{ id: domain-2, wait: 45m }]\ndescription: Runs infra.\nprompt: { text: You run infra. }\n',
  'agents/acme/domain-2.yaml':
    'id: domain-2\nname: Domain Two\nrole: domain\nreports_to: chief-1\ndescription: Runs the front.\nprompt: { text: You run the front. }\n',
  'agents/acme/layer-1.yaml': [
    'id: layer-1',
    'name: Layer One',
    'role: layer',
    'reports_to: domain-1',
    'description: Tunes queries.',
    'prompt: acme/layer-1.md',
    'tools:',
    '  - { tool: psql, grant: write }',
    '  - redis-cli',
    'metrics:',
    '  - name: Index hit ratio',
    "    target: '> 95%'",
    '    probe: { sql: select 99 }',
  ].join('\n'),
  'prompts/acme/boss.md': 'You are the boss.\n',
  'prompts/acme/layer-1.md': 'You tune queries.\n',
  'escalation/acme.yaml': [
    'name: acme',
    'waits:',
    '  - { id: peer-silence, request: question, waiting_on: peer, after: peer-wait, to: manager }',
    '  - { id: domain-silence, waiting_on: role:domain, after: 2h, to: next }',
    '  - { id: chief-silence, waiting_on: role:chief, after: 1h, to: next }',
    'severities:',
    '  - { id: emergency, severity: [critical], tags: [data-loss], to: ceo }',
    'strikes:',
    '  - { id: three-strikes, count: 3, to: manager }',
  ].join('\n'),
};
