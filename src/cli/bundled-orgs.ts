import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * The folder of the cadre package this code runs from (the repository, or
 * `node_modules/cadre`): the nearest folder above this file whose package.json is cadre's. Its
 * `agents/`, `prompts/` and `escalation/` hold the bundled orgs.
 */
export function cadrePackageRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'cadre') {
          root = dir;
          return dir;
        }
      } catch {
        // Not a package.json we can read: keep looking above.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cadre cannot find its own package.json');
    dir = parent;
  }
}

/**
 * The orgs bundled with cadre, by name: each folder of `agents/` with an `org.yaml`, and each
 * lone subagent file (`agents/<name>.md`), with its path inside the package.
 */
export function bundledOrgs(): Map<string, string> {
  const agents = join(cadrePackageRoot(), 'agents');
  const orgs = new Map<string, string>();
  for (const entry of readdirSync(agents, { withFileTypes: true })) {
    if (entry.isDirectory() && existsSync(join(agents, entry.name, 'org.yaml'))) {
      orgs.set(entry.name, join('agents', entry.name));
    } else if (entry.isFile() && entry.name.endsWith('.md')) {
      orgs.set(entry.name.slice(0, -'.md'.length), join('agents', entry.name));
    }
  }
  return new Map([...orgs].sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * The org path a command works on: `path` as given when it exists (from the current folder).
 * When it does not, and it names an org that comes with cadre (`agents/esa`, `agents`), the
 * bundled one, which `note` announces, so that `npx cadre run "…"` works in any project. An
 * absolute path, or one outside `agents/`, is always taken as given.
 */
export function orgPathOrBundled(path: string, note: (text: string) => void): string {
  if (isAbsolute(path) || existsSync(resolve(path))) return path;
  const relativePath = normalize(path).replace(/[\\/]+$/, '');
  if (relativePath !== 'agents' && !relativePath.startsWith(`agents${sep}`)) return path;
  const packageRoot = cadrePackageRoot();
  const bundled = join(packageRoot, relativePath);
  if (resolve(packageRoot) === resolve('.') || !existsSync(bundled)) return path;
  const name = relativePath.split(sep)[1]?.replace(/\.md$/, '');
  note(
    `cadre: no ${path} here; using cadre's bundled ${relativePath} (${bundled})${name ? `. To change it, copy it here first: cadre init ${name}` : ''}`,
  );
  return bundled;
}
