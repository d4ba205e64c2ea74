import { existsSync } from 'node:fs';
import { cp, lstat, mkdir, readdir } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { hasErrors } from '../org/diagnostic.js';
import { bundledOrgs, cadrePackageRoot } from './bundled-orgs.js';
import { checkOrgs } from './check-orgs.js';
import { linkOnTheWay } from './link-on-the-way.js';
import type { CommandOutput } from './output.js';

/** Every file under `dir`, as paths relative to `base`. */
async function filesUnder(dir: string, base: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await filesUnder(path, base)));
    else if (entry.isFile()) files.push(relative(base, path));
  }
  return files;
}

/**
 * The files that make up a bundled org, relative to cadre's package folder: its folder under
 * `agents/` (or its lone `.md` file), its prompts folder, and the rule sets it works under.
 */
async function orgFiles(name: string, orgPath: string): Promise<string[]> {
  const packageRoot = cadrePackageRoot();
  const [loaded] = await checkOrgs([join(packageRoot, orgPath)]);
  if (!loaded) return [];
  const source = join(packageRoot, orgPath);
  const files = orgPath.endsWith('.md') ? [orgPath] : await filesUnder(source, packageRoot);
  const prompts = join(packageRoot, 'prompts', name);
  if (existsSync(prompts)) files.push(...(await filesUnder(prompts, packageRoot)));
  for (const file of Object.values(loaded.org.rule_set_files)) {
    files.push(relative(packageRoot, resolve(file)));
  }
  return [...new Set(files)].sort();
}

/**
 * `cadre init [org] [--dir dir]`: copies an org that comes with cadre into a project, where it
 * can be changed: the agent files, the prompts and the rule sets, at the same places. Writes
 * nothing when any of those files exists already. Resolves to the exit code.
 */
export async function runInit(
  name: string,
  options: { dir: string },
  output: CommandOutput,
): Promise<number> {
  const orgs = bundledOrgs();
  const orgPath = orgs.get(name);
  if (!orgPath) {
    output.error(`cadre init: no org '${name}' comes with cadre`);
    output.error(`  choose one of: ${[...orgs.keys()].join(', ')}`);
    return 1;
  }
  const target = resolve(options.dir);
  const files = await orgFiles(name, orgPath);
  // A link (even one to nothing) counts as a file in the way, and no folder on the way may be
  // a link or a file: nothing is written through links.
  const inTheWay: string[] = [];
  for (const file of files) {
    const path = join(target, file);
    const problem =
      (await linkOnTheWay(target, path)) ??
      ((await lstat(path).catch(() => undefined)) === undefined ? undefined : 'exists already');
    if (problem !== undefined) inTheWay.push(`${join(options.dir, file)}: ${problem}`);
  }
  if (inTheWay.length > 0) {
    output.error(
      `cadre init: ${inTheWay.length} of the ${files.length} files of org '${name}' cannot be written in ${target}, so nothing was written:`,
    );
    for (const line of inTheWay.slice(0, 5)) output.error(`  ${line}`);
    if (inTheWay.length > 5) output.error(`  … and ${inTheWay.length - 5} more`);
    output.error('  give another folder with --dir, or move those files away first');
    return 1;
  }
  const packageRoot = cadrePackageRoot();
  try {
    for (const file of files) {
      await mkdir(dirname(join(target, file)), { recursive: true });
      await cp(join(packageRoot, file), join(target, file), { errorOnExist: true, force: false });
    }
  } catch (error) {
    output.error(
      `cadre init: copying into ${target} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    output.error(
      '  check that the folder is writable, then remove what was copied and run init again',
    );
    return 1;
  }
  const copied = relative(process.cwd(), join(target, orgPath)) || orgPath;
  const [check] = await checkOrgs([join(target, orgPath)]);
  const valid = check !== undefined && !hasErrors(check.diagnostics);
  output.out(
    `copied org '${name}' (${files.length} file${files.length === 1 ? '' : 's'}) to ${target}:`,
  );
  const folderOf = (file: string) => file.split(/[\\/]/)[0] ?? file;
  for (const folder of [...new Set(files.map(folderOf))]) {
    const count = files.filter((file) => folderOf(file) === folder).length;
    output.out(`  ${folder}/: ${count} file${count === 1 ? '' : 's'}`);
  }
  output.out(
    valid
      ? `next: cadre validate ${copied}, then cadre run --org ${copied} --model auto "…"`
      : `the copy does not load cleanly here: run cadre validate ${copied}`,
  );
  return valid ? 0 : 1;
}

/** Registers `cadre init [org] [--dir dir]`. */
export function registerInit(
  program: Command,
  output: CommandOutput,
  setExit: (code: number) => void,
): void {
  program
    .command('init')
    .description(
      'copy an org that comes with cadre (agents, prompts, rule sets) into this project, to change it',
    )
    .argument('[org]', 'the bundled org to copy (an unknown name lists them all)', 'esa')
    .option('--dir <dir>', 'the project folder to copy into', '.')
    .addHelpText('after', '\nExamples:\n  $ cadre init esa\n  $ cadre init heir --dir my-project')
    .action(async (name: string, options: { dir: string }) => {
      setExit(await runInit(name, options, output));
    });
}
