import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, relative, resolve } from 'node:path';
import { diagnostic } from './diagnostic.js';
import { loadOrg, orgFileName } from './load-org.js';
import { emptyOrg } from './org-definition.js';
import type { LoadedOrg } from './org-definition.js';
import { readSourceText } from './read-source.js';
import { parseSubagentFile } from './subagent-file.js';
import { subagentToAgent } from './subagent-to-agent.js';
import { validateOrg } from './validate-org.js';
import { defaultTargets } from './load-org.js';

/**
 * Loads a lone Claude Code subagent file as an org of one: the agent is its root and ceo,
 * with the default targets (`env:DATABASE_URL`, `env:REDIS_URL`, read access).
 */
export async function loadSubagentOrg(path: string): Promise<LoadedOrg> {
  const file = relative(process.cwd(), resolve(path)) || path;
  const text = await readSourceText(resolve(path), file);
  const org = emptyOrg(basename(path, extname(path)), resolve(path), defaultTargets);
  if ('problem' in text)
    return { org, diagnostics: [text.problem], locators: { agents: [], ruleSets: {} } };
  const parsed = parseSubagentFile(file, text.text);
  const diagnostics = [...parsed.diagnostics];
  if (!parsed.id || !parsed.frontmatter)
    return { org, diagnostics, locators: { agents: [], ruleSets: {} } };
  const converted = subagentToAgent(
    { ...parsed, id: parsed.id, frontmatter: parsed.frontmatter },
    undefined,
    org,
    undefined,
  );
  org.name = parsed.id;
  org.root = parsed.id;
  org.agents.push(converted.agent);
  const locators = { agents: [{ file, locate: converted.locate }], ruleSets: {} };
  diagnostics.push(...converted.diagnostics, ...validateOrg(org, locators));
  return { org, diagnostics, locators };
}

/**
 * Loads every org a path names: an org folder (it has org.yaml), a folder of orgs (each
 * subfolder with org.yaml, and each lone `.md` subagent file), or a single `.md` file.
 */
export async function loadPaths(paths: readonly string[]): Promise<LoadedOrg[]> {
  const results: LoadedOrg[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) {
      results.push(
        missing(
          path,
          `${path} does not exist`,
          'give an org folder (with org.yaml), a folder of orgs, or a .md subagent file',
        ),
      );
    } else if (info.isFile()) {
      if (extname(path).toLowerCase() === '.md') results.push(await loadSubagentOrg(path));
      else if (basename(path) === orgFileName) results.push(await loadOrg(join(path, '..')));
      else
        results.push(
          missing(
            path,
            `${path} is neither an org folder nor a .md subagent file`,
            'give the folder that holds org.yaml',
          ),
        );
    } else if (await hasOrgFile(path)) {
      results.push(await loadOrg(path));
    } else {
      const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) =>
        a.name.localeCompare(b.name),
      );
      const before = results.length;
      for (const entry of entries) {
        const child = join(path, entry.name);
        if (entry.isDirectory() && (await hasOrgFile(child))) results.push(await loadOrg(child));
        else if (
          entry.isFile() &&
          extname(entry.name).toLowerCase() === '.md' &&
          !/^readme\.md$/i.test(entry.name)
        )
          results.push(await loadSubagentOrg(child));
      }
      if (results.length === before) {
        results.push(
          missing(
            path,
            `${path} holds no org: no org.yaml in it or in its subfolders, and no .md subagent file`,
            'create org.yaml (name, root) in the org folder',
          ),
        );
      }
    }
  }
  return results;
}

async function hasOrgFile(dir: string): Promise<boolean> {
  return (await stat(join(dir, orgFileName)).catch(() => undefined))?.isFile() ?? false;
}

function missing(path: string, message: string, hint: string): LoadedOrg {
  return {
    org: emptyOrg(basename(path), resolve(path)),
    diagnostics: [
      diagnostic('error', 'path-invalid', { file: path, line: 1, column: 1 }, message, hint),
    ],
    locators: { agents: [], ruleSets: {} },
  };
}
