import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repositoryRoot, runCli } from '../helpers/run-cli.js';

/** How many files the bundled folder holds (all levels). */
async function filesIn(folder: string): Promise<number> {
  const entries = await readdir(join(repositoryRoot, folder), {
    recursive: true,
    withFileTypes: true,
  });
  return entries.filter((entry) => entry.isFile()).length;
}

describe('the orgs that come with cadre, from a project that has none', () => {
  let project: string;
  /** ESA's agent files, rehearsals, prompts and its one rule set. */
  let esaFiles: number;
  beforeAll(async () => {
    project = await mkdtemp(join(tmpdir(), 'cadre-project-'));
    esaFiles = (await filesIn('agents/esa')) + (await filesIn('prompts/esa')) + 1;
  });
  afterAll(async () => rm(project, { recursive: true, force: true }));

  it('runs the bundled ESA org when the project has no agents/esa, and says so', async () => {
    const result = await runCli(
      ['run', '--model', 'rehearsal', 'Check the database and cache health'],
      project,
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      `cadre: no agents/esa here; using cadre's bundled agents/esa (${join(repositoryRoot, 'agents', 'esa')})`,
    );
    expect(result.stderr).toContain('cadre init esa');
    expect(result.stdout).toContain('CEO summary');
  });

  it('does not stand in for a path outside agents/ that does not exist', async () => {
    const result = await runCli(['validate', 'orgs/esa'], project);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('orgs/esa:1:1: error: orgs/esa does not exist');
    expect(result.stderr).not.toContain('bundled');
  });

  it('copies an org into the project with init; the copy is what runs from then on', async () => {
    const init = await runCli(['init', 'esa'], project);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain(`copied org 'esa' (${esaFiles} files) to ${project}`);
    for (const file of [
      'agents/esa/org.yaml',
      'agents/esa/layer-1.yaml',
      'agents/esa/rehearsals/default.yaml',
      'prompts/esa/layer-1.md',
      'escalation/esa.yaml',
    ]) {
      expect(await readFile(join(project, file), 'utf8')).toBe(
        await readFile(join(repositoryRoot, file), 'utf8'),
      );
    }
    const layer = join(project, 'agents/esa/layer-1.yaml');
    await writeFile(
      layer,
      (await readFile(layer, 'utf8')).replace(/^name: .*$/m, 'name: Our Database Layer'),
    );
    const tree = await runCli(['tree', 'agents/esa'], project);
    expect(tree.code).toBe(0);
    expect(tree.stderr).not.toContain('bundled');
    expect(tree.stdout).toContain('layer-1  Our Database Layer  [layer]');
    const validate = await runCli(['validate', 'agents/esa'], project);
    expect(validate.stdout).toContain("valid: org 'esa' (agents/esa): 15 agents, 0 errors");
  });

  it('refuses to copy over files that exist, and writes nothing', async () => {
    const again = await runCli(['init', 'esa'], project);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(
      "cadre init: 35 of the 35 files of org 'esa' cannot be written in",
    );
    expect(again.stderr).toContain('nothing was written');
    expect(again.stderr).toMatch(/agents\/esa\/\S+: exists already/);
    expect(await readFile(join(project, 'agents/esa/layer-1.yaml'), 'utf8')).toContain(
      'name: Our Database Layer',
    );
  });

  it('counts a dangling link as a file in the way, and never writes through a linked folder', async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), 'cadre-elsewhere-'));
    const target = await mkdtemp(join(tmpdir(), 'cadre-linked-'));
    try {
      await mkdir(join(target, 'agents/esa'), { recursive: true });
      await symlink(join(elsewhere, 'missing.yaml'), join(target, 'agents/esa/org.yaml'));
      await symlink(elsewhere, join(target, 'prompts'));
      const refused = await runCli(['init', 'esa', '--dir', target], project);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('nothing was written');
      expect(refused.stderr).toMatch(/agents\/esa\/org\.yaml: .*symbolic link/);
      expect(refused.stderr).toMatch(/prompts is a symbolic link/);
      expect(refused.stderr).not.toMatch(/\n\s+at /);
      expect(await readdir(elsewhere)).toEqual([]);
      expect(await readdir(join(target, 'agents/esa'))).toEqual(['org.yaml']);
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
      await rm(target, { recursive: true, force: true });
    }
  });

  it('copies into another folder with --dir, and names the orgs it has for an unknown one', async () => {
    const heir = await runCli(['init', 'heir', '--dir', 'sub'], project);
    expect(heir.code).toBe(0);
    expect(await readFile(join(project, 'sub/escalation/heir.yaml'), 'utf8')).toContain(
      'name: heir',
    );
    const unknown = await runCli(['init', 'acme'], project);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("cadre init: no org 'acme' comes with cadre");
    expect(unknown.stderr).toContain(
      'choose one of: esa, heir, infra-ops, infrastructure-platform',
    );
  });
});
