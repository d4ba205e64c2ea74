import { z } from 'zod';
import { diagnostic } from './diagnostic.js';
import type { Diagnostic } from './diagnostic.js';
import { repairMojibake } from './mojibake.js';
import { parseYamlSource } from './yaml-source.js';
import type { Locator } from './yaml-source.js';

/** The frontmatter of a Claude Code subagent file. Keys cadre does not know are warned about, not refused. */
export const SubagentFrontmatter = z.looseObject({
  name: z
    .string({ error: 'name is the subagent’s identifier, such as database-administrator' })
    .min(1),
  description: z.string({ error: 'description says when to call on this agent' }).min(1),
  tools: z
    .union([z.string(), z.array(z.string())], {
      error: 'tools is a comma-separated list or a YAML list',
    })
    .optional(),
  model: z.string().optional(),
  color: z.string().optional(),
});
/** Claude Code subagent frontmatter. */
export type SubagentFrontmatter = z.infer<typeof SubagentFrontmatter>;

/** Frontmatter keys Claude Code documents; others get a warning. */
const knownFrontmatterKeys = new Set([
  'name',
  'description',
  'tools',
  'model',
  'color',
  'permissionMode',
  'skills',
  'disallowedTools',
  'hooks',
  'mcpServers',
  'memory',
]);

/** A Claude Code subagent file split into its parts. */
export interface SubagentSource {
  file: string;
  frontmatter: SubagentFrontmatter | undefined;
  /** Position lookup inside the frontmatter. */
  locate: Locator;
  /** The Markdown body: the prompt. */
  body: string;
  /** The id derived from `name` (kebab-case, broken characters dropped). */
  id: string | undefined;
  /** Declared tools, in order, as written. */
  declaredTools: string[];
  diagnostics: Diagnostic[];
}

/** Turns a subagent name into a cadre id: ASCII letters and digits joined by single hyphens. */
export function idFromName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[^\p{ASCII}]/gu, ' ')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/^[0-9-]+/, '');
}

/** Splits `tools: Read, Write, psql` (or a YAML list) into names. */
export function splitToolList(tools: string | string[] | undefined): string[] {
  if (tools === undefined) return [];
  const list = Array.isArray(tools) ? tools : tools.split(',');
  return list.map((tool) => tool.trim()).filter((tool) => tool.length > 0);
}

/** Parses a Claude Code subagent file (`---` frontmatter, then the prompt). Never throws. */
export function parseSubagentFile(file: string, text: string): SubagentSource {
  const diagnostics: Diagnostic[] = [];
  const match = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  if (!match) {
    const noop: Locator = () => ({ file, line: 1, column: 1 });
    diagnostics.push(
      diagnostic(
        'error',
        'subagent-no-frontmatter',
        { file, line: 1, column: 1 },
        'a Claude Code subagent file starts with --- frontmatter',
        'begin the file with ---, then name: and description:, then ---, then the prompt',
      ),
    );
    return {
      file,
      frontmatter: undefined,
      locate: noop,
      body: text,
      id: undefined,
      declaredTools: [],
      diagnostics,
    };
  }
  const source = parseYamlSource(file, match[1] ?? '', 1);
  diagnostics.push(...source.diagnostics);
  const body = text.slice(match[0].length).replace(/^\s*\n/, '');
  const empty = {
    file,
    frontmatter: undefined,
    locate: source.locate,
    body,
    id: undefined,
    declaredTools: [],
    diagnostics,
  };
  if (source.value === undefined) return empty;
  const parsed = SubagentFrontmatter.safeParse(source.value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      diagnostics.push(
        diagnostic(
          'error',
          'subagent-frontmatter',
          source.locate(issue.path as (string | number)[]),
          issue.message,
        ),
      );
    }
    return empty;
  }
  const frontmatter = parsed.data;
  for (const key of Object.keys(frontmatter)) {
    if (!knownFrontmatterKeys.has(key)) {
      diagnostics.push(
        diagnostic(
          'warning',
          'subagent-unknown-key',
          source.locate([key], 'key'),
          `frontmatter key '${key}' is not one cadre or Claude Code knows; it is ignored`,
          `known keys: ${[...knownFrontmatterKeys].join(', ')}`,
        ),
      );
    }
  }
  const repair = repairMojibake(frontmatter.name);
  const id = idFromName(repair?.repaired ?? frontmatter.name);
  if (id !== frontmatter.name) {
    const at = source.locate(['name']);
    if (repair) {
      diagnostics.push(
        diagnostic(
          'warning',
          'subagent-name-broken-encoding',
          at,
          `name '${frontmatter.name}' carries broken-encoding characters (UTF-8 read as ${repair.encoding}; meant '${repair.repaired}'); loaded with id '${id}'`,
          `write name: ${id} to silence this warning`,
        ),
      );
    } else {
      diagnostics.push(
        diagnostic(
          'warning',
          'subagent-name-not-id',
          at,
          `name '${frontmatter.name}' is not a plain id; loaded with id '${id}'`,
          `write name: ${id || 'my-agent'} (lowercase letters, digits, hyphens)`,
        ),
      );
    }
  }
  if (id === '') {
    diagnostics.push(
      diagnostic(
        'error',
        'subagent-name-empty',
        source.locate(['name']),
        `name '${frontmatter.name}' has no letters to make an id from`,
        'write a name such as database-administrator',
      ),
    );
  }
  return {
    file,
    frontmatter,
    locate: source.locate,
    body,
    id: id === '' ? undefined : id,
    declaredTools: splitToolList(frontmatter.tools),
    diagnostics,
  };
}
