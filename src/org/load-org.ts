import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, relative, resolve } from 'node:path';
import { AgentFile } from './agent-schema.js';
import type { MemberPlacement } from './agent-schema.js';
import { diagnostic } from './diagnostic.js';
import { isInside, resolvesInside } from './inside-folder.js';
import type { Diagnostic } from './diagnostic.js';
import { emptyOrg } from './org-definition.js';
import type { AgentDefinition, LoadedOrg, OrgDefinition, OrgLocators } from './org-definition.js';
import { OrgFile } from './org-schema.js';
import type { Target } from './org-schema.js';
import { stripOrgContext } from './prompt-markers.js';
import { readSourceText } from './read-source.js';
import { loadRuleSets } from './load-rule-sets.js';
import { subagentToAgent } from './subagent-to-agent.js';
import { parseSubagentFile } from './subagent-file.js';
import { validateOrg } from './validate-org.js';
import { parseYamlSource } from './yaml-source.js';
import type { Locator } from './yaml-source.js';
import { diagnosticsFromIssues } from './zod-diagnostics.js';

/** The file name that makes a folder an org. */
export const orgFileName = 'org.yaml';

/** Targets an org gets when its org.yaml has no `targets` key: read access through the usual variables. */
export const defaultTargets: Record<string, Target> = {
  postgres: { kind: 'postgres', url: 'env:DATABASE_URL', access: 'read' },
  redis: { kind: 'redis', url: 'env:REDIS_URL', access: 'read' },
};

const noLocation: (file: string) => Locator = (file) => () => ({ file, line: 1, column: 1 });

/** Finds `name/` in the folder or up to two levels above it, or at an explicit relative path. */
async function findFolder(
  dir: string,
  name: string,
  explicit: string | undefined,
): Promise<string | undefined> {
  const candidates = explicit
    ? [resolve(dir, explicit)]
    : [join(dir, name), join(dir, '..', name), join(dir, '..', '..', name)];
  for (const candidate of candidates) {
    const info = await stat(candidate).catch(() => undefined);
    if (info?.isDirectory()) return resolve(candidate);
  }
  return undefined;
}

/**
 * Loads one org folder (`org.yaml` plus one file per agent: `.yaml` or Claude Code `.md`),
 * its prompts and its rule sets, then validates it. Never throws for bad input: every
 * problem is a diagnostic, all of them at once.
 */
export async function loadOrg(folder: string): Promise<LoadedOrg> {
  const dir = resolve(folder);
  const display = (path: string) => relative(process.cwd(), path) || '.';
  const diagnostics: Diagnostic[] = [];
  const orgPath = join(dir, orgFileName);
  const orgDisplay = display(orgPath);
  const org: OrgDefinition = { ...emptyOrg(basename(dir), dir, defaultTargets), file: orgDisplay };
  const locators: OrgLocators = { agents: [], ruleSets: {} };
  let members: Record<string, MemberPlacement> = {};
  let paths: { prompts?: string; escalation?: string } | undefined;

  const orgText = await readSourceText(orgPath, orgDisplay);
  if ('problem' in orgText) {
    diagnostics.push(orgText.problem);
  } else {
    const source = parseYamlSource(orgDisplay, orgText.text);
    diagnostics.push(...source.diagnostics);
    locators.org = source.locate;
    if (source.value !== undefined) {
      const parsed = OrgFile.safeParse(source.value);
      if (parsed.success) {
        const file = parsed.data;
        Object.assign(org, {
          name: file.name,
          root: file.root,
          defaults: file.defaults ?? {},
          targets: file.targets ?? defaultTargets,
          mcp_servers: file.mcp_servers ?? {},
        });
        if (file.title !== undefined) org.title = file.title;
        if (file.description !== undefined) org.description = file.description;
        members = file.members ?? {};
        paths = file.paths;
      } else {
        diagnostics.push(
          ...diagnosticsFromIssues(
            parsed.error.issues,
            OrgFile,
            source.value,
            source.locate,
            'org.yaml',
          ),
        );
        // Keep what is valid, so one mistake in org.yaml does not cascade into errors elsewhere.
        const usable = usableParts(source.value);
        Object.assign(org, {
          name: usable.name ?? org.name,
          root: usable.root ?? '',
          defaults: usable.defaults ?? {},
          targets: usable.targets ?? defaultTargets,
          mcp_servers: usable.mcp_servers ?? {},
        });
        members = usable.members ?? {};
        paths = usable.paths;
        const written =
          source.value !== null && typeof source.value === 'object'
            ? (source.value as { targets?: unknown }).targets
            : undefined;
        if (written !== null && typeof written === 'object') {
          locators.brokenTargets = Object.keys(written).filter(
            (name) => !Object.hasOwn(org.targets, name),
          );
        }
      }
    }
  }

  // Explicit paths stay within the org's project (the folder two levels above it, where the
  // search for prompts/ and escalation/ stops too).
  const project = resolve(dir, '..', '..');
  for (const [key, written] of Object.entries(paths ?? {})) {
    if (typeof written !== 'string' || isInside(project, resolve(dir, written))) continue;
    diagnostics.push(
      diagnostic(
        'error',
        'paths-outside',
        (locators.org ?? noLocation(orgDisplay))(['paths', key]),
        `paths.${key}: '${written}' leads outside the org's project (${display(project)})`,
        `keep ${key}/ inside ${display(project)}, such as ../../${key}`,
      ),
    );
  }
  const inProject = (folder: string | undefined) =>
    folder !== undefined && isInside(project, folder) ? folder : undefined;
  const promptsDir = inProject(await findFolder(dir, 'prompts', paths?.prompts));
  const escalationDir = inProject(await findFolder(dir, 'escalation', paths?.escalation));

  const entries = (await readdir(dir, { withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)
    .sort();
  const usedMembers = new Set<string>();
  for (const name of entries) {
    const path = join(dir, name);
    const extension = extname(name).toLowerCase();
    if (name === orgFileName || /^readme\.md$/i.test(name)) continue;
    if (extension === '.yaml' || extension === '.yml') {
      const loaded = await loadAgentYaml(path, display(path), promptsDir, display);
      diagnostics.push(...loaded.diagnostics);
      if (loaded.agent) {
        org.agents.push(loaded.agent);
        locators.agents.push({ file: display(path), locate: loaded.locate });
      }
    } else if (extension === '.md') {
      const text = await readSourceText(path, display(path));
      if ('problem' in text) {
        diagnostics.push(text.problem);
        continue;
      }
      const parsed = parseSubagentFile(display(path), text.text);
      diagnostics.push(...parsed.diagnostics);
      if (!parsed.id || !parsed.frontmatter) continue;
      const member = Object.hasOwn(members, parsed.id) ? members[parsed.id] : undefined;
      if (member) usedMembers.add(parsed.id);
      const converted = subagentToAgent(
        { ...parsed, id: parsed.id, frontmatter: parsed.frontmatter },
        member,
        org,
        locators.org,
      );
      diagnostics.push(...converted.diagnostics);
      if (!member) {
        diagnostics.push(
          diagnostic(
            'error',
            'member-missing',
            parsed.locate(['name']),
            `agent '${parsed.id}' (a Claude Code file) has no place in org '${org.name}'`,
            `add to ${orgDisplay}: members: { ${parsed.id}: { role: layer, reports_to: <manager id> } }`,
          ),
        );
        continue;
      }
      org.agents.push(converted.agent);
      locators.agents.push({ file: display(path), locate: converted.locate });
    }
  }
  for (const id of Object.keys(members)) {
    if (usedMembers.has(id)) continue;
    const definedInYaml = org.agents.some(
      (agent) => agent.id === id && agent.source.format === 'yaml',
    );
    diagnostics.push(
      diagnostic(
        'error',
        'member-without-file',
        (locators.org ?? noLocation(orgDisplay))(['members', id], 'key'),
        definedInYaml
          ? `members.${id}: agent '${id}' is written in YAML; its place in the org belongs in its own file`
          : `members.${id}: no Claude Code file in this folder defines agent '${id}'`,
        definedInYaml
          ? `remove members.${id}`
          : `add ${id}.md with name: ${id}, or remove members.${id}`,
      ),
    );
  }

  const ruleSets = await loadRuleSets(org, escalationDir, display, locators);
  diagnostics.push(...ruleSets);
  diagnostics.push(...validateOrg(org, locators));
  return { org, diagnostics, locators };
}

/** The top-level fields of an invalid org.yaml that are valid on their own (entry by entry for maps). */
function usableParts(value: unknown): Partial<OrgFile> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  const usable: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    // Own keys only: a field named `toString` or `constructor` is no field of the schema.
    if (!Object.hasOwn(OrgFile.shape, key)) continue;
    const schema = OrgFile.shape[key as keyof typeof OrgFile.shape];
    const parsed = schema.safeParse(field);
    if (parsed.success) {
      usable[key] = parsed.data;
    } else if (
      ['targets', 'mcp_servers', 'members'].includes(key) &&
      field !== null &&
      typeof field === 'object'
    ) {
      const entries = Object.entries(field as Record<string, unknown>).filter(
        ([name, entry]) => schema.safeParse({ [name]: entry }).success,
      );
      usable[key] = Object.fromEntries(entries);
    }
  }
  return usable as Partial<OrgFile>;
}

async function loadAgentYaml(
  path: string,
  file: string,
  promptsDir: string | undefined,
  display: (path: string) => string,
): Promise<{ agent?: AgentDefinition; locate: Locator; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const text = await readSourceText(path, file);
  if ('problem' in text) return { locate: noLocation(file), diagnostics: [text.problem] };
  const source = parseYamlSource(file, text.text);
  diagnostics.push(...source.diagnostics);
  if (source.value === undefined) return { locate: source.locate, diagnostics };
  const parsed = AgentFile.safeParse(source.value);
  if (!parsed.success) {
    diagnostics.push(
      ...diagnosticsFromIssues(
        parsed.error.issues,
        AgentFile,
        source.value,
        source.locate,
        'this agent file',
      ),
    );
    return { locate: source.locate, diagnostics };
  }
  const written = parsed.data;
  const agent: AgentDefinition = {
    id: written.id,
    name: written.name,
    role: written.role,
    reports_to: written.reports_to ?? null,
    peers: (written.peers ?? []).map((peer) => ({ ...peer })),
    description: written.description,
    prompt: '',
    tools: (written.tools ?? []).map((use) => ({ ...use, grant: use.grant ?? 'read' })),
    external_tools: [],
    metrics: written.metrics ?? [],
    limits: written.limits ?? {},
    source: { file, format: 'yaml' },
  };
  if (written.model !== undefined) agent.model = written.model;
  if (written.escalation !== undefined) agent.escalation = written.escalation;
  if (written.human === true) agent.human = true;
  if (typeof written.prompt === 'object') {
    agent.prompt = written.prompt.text;
  } else {
    const at = source.locate(['prompt']);
    agent.prompt_file = written.prompt;
    if (!promptsDir) {
      diagnostics.push(
        diagnostic(
          'error',
          'prompts-folder-missing',
          at,
          `prompt '${written.prompt}': no prompts/ folder beside or above ${display(join(path, '..'))}`,
          'create prompts/ next to agents/, or set paths.prompts in org.yaml',
        ),
      );
    } else {
      const promptPath = resolve(promptsDir, written.prompt);
      // A prompt is sent to the model: a path or a link that leads out of prompts/ (to a key,
      // to /proc/self/environ) must not make a shared org read local files into it.
      if (
        !isInside(promptsDir, promptPath) ||
        (await resolvesInside(promptsDir, promptPath)) === false
      ) {
        diagnostics.push(
          diagnostic(
            'error',
            'prompt-outside',
            at,
            `prompt '${written.prompt}' points outside ${display(promptsDir)} (by its path or through a link)`,
            'name a file inside prompts/, such as esa/layer-1.md, and copy the text there instead of linking to it',
          ),
        );
      } else {
        const prompt = await readSourceText(promptPath, display(promptPath));
        if ('text' in prompt) {
          agent.prompt = stripOrgContext(prompt.text);
        } else {
          diagnostics.push(
            diagnostic(
              'error',
              'prompt-missing',
              at,
              `prompt ${display(promptPath)}: ${prompt.problem.message.replace(/^the file /, '')}`,
              prompt.problem.code === 'file-unreadable'
                ? `create ${display(promptPath)}, or fix the path (relative to ${display(promptsDir)})`
                : prompt.problem.hint,
            ),
          );
        }
      }
    }
  }
  return { agent, locate: source.locate, diagnostics };
}
