import type { MemberPlacement } from './agent-schema.js';
import { diagnostic } from './diagnostic.js';
import type { Diagnostic } from './diagnostic.js';
import type { AgentDefinition, AgentTool, OrgDefinition } from './org-definition.js';
import { stripOrgContext } from './prompt-markers.js';
import type { SubagentSource } from './subagent-file.js';
import { builtinTool, claudeCodeTools, toolNameSeparator } from './tool-catalog.js';
import type { Locator } from './yaml-source.js';

/** The MCP server name cadre's own server has in Claude Code (`mcp__cadre__<tool>`). */
export const cadreServerName = 'cadre';

const placementKeys = new Set([
  'name',
  'role',
  'reports_to',
  'peers',
  'tools',
  'metrics',
  'limits',
  'escalation',
]);

/** What a declared Claude Code tool name means to cadre. */
export type DeclaredTool =
  | { kind: 'builtin'; tool: string }
  | { kind: 'cadre'; name: string }
  | { kind: 'server'; tool: string }
  | { kind: 'external' };

/** Classifies a tool named in subagent frontmatter. */
export function classifyDeclaredTool(
  name: string,
  org: Pick<OrgDefinition, 'mcp_servers'>,
): DeclaredTool {
  if (builtinTool(name)) return { kind: 'builtin', tool: name };
  const mcp = /^mcp__([^_]+(?:_[^_]+)*)__(.+)$/.exec(name);
  if (mcp) {
    const [, server = '', tool = ''] = mcp;
    if (server === cadreServerName) return { kind: 'cadre', name: tool };
    // Own keys only: a server named like an Object.prototype member (constructor) is not there.
    if (Object.hasOwn(org.mcp_servers, server))
      return { kind: 'server', tool: `${server}/${tool}` };
  }
  return { kind: 'external' };
}

/**
 * Makes an agent of a Claude Code subagent file: frontmatter gives name, description, model
 * and tools; the body is the prompt; `members.<id>` in org.yaml gives its place in the org.
 * Tools cadre does not provide are kept as declared and reported with a warning.
 */
export function subagentToAgent(
  parsed: SubagentSource & { id: string; frontmatter: NonNullable<SubagentSource['frontmatter']> },
  member: MemberPlacement | undefined,
  org: Pick<OrgDefinition, 'mcp_servers' | 'root'>,
  orgLocate: Locator | undefined,
): { agent: AgentDefinition; locate: Locator; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const { frontmatter, id } = parsed;
  const tools: AgentTool[] = [];
  const external: string[] = [];
  parsed.declaredTools.forEach((name) => {
    const meaning = classifyDeclaredTool(name, org);
    if (meaning.kind === 'builtin' || meaning.kind === 'server') {
      if (!tools.some((held) => held.tool === meaning.tool))
        tools.push({ tool: meaning.tool, grant: 'read' });
    } else if (meaning.kind === 'cadre') {
      const builtin = meaning.name.split(toolNameSeparator)[0] ?? '';
      if (builtinTool(builtin) && !tools.some((held) => held.tool === builtin))
        tools.push({ tool: builtin, grant: 'read' });
    } else {
      external.push(name);
    }
  });
  if (external.length > 0) {
    const claudeCode = external.filter((name) => claudeCodeTools.has(name));
    const others = external.filter((name) => !claudeCodeTools.has(name));
    const listed = [
      claudeCode.length > 0 ? `${claudeCode.join(', ')} (Claude Code's own)` : '',
      others.join(', '),
    ]
      .filter(Boolean)
      .join('; ');
    diagnostics.push(
      diagnostic(
        'warning',
        'tool-not-provided',
        parsed.locate(['tools']),
        `not provided by cadre: ${listed}; agent '${id}' keeps ${external.length === 1 ? 'it' : 'them'} as declared (for export) but cannot call ${external.length === 1 ? 'it' : 'them'} under cadre`,
        'cadre provides psql, redis-cli, pgbench and the MCP servers of org.yaml',
      ),
    );
  }
  const agent: AgentDefinition = {
    id,
    name: member?.name ?? id,
    role: member?.role ?? 'ceo',
    reports_to: member?.reports_to ?? null,
    peers: (member?.peers ?? []).map((peer) => ({ ...peer })),
    description: frontmatter.description,
    prompt: stripOrgContext(parsed.body).trim(),
    tools: member?.tools
      ? member.tools.map((use) => ({ ...use, grant: use.grant ?? 'read' }))
      : tools,
    external_tools: external,
    metrics: member?.metrics ?? [],
    limits: member?.limits ?? {},
    source: { file: parsed.file, format: 'claude-code' },
  };
  if (frontmatter.model !== undefined) agent.model = frontmatter.model;
  if (member?.escalation !== undefined) agent.escalation = member.escalation;
  if (member?.human === true) agent.human = true;

  const locate: Locator = (path, part) => {
    const [head] = path;
    if (
      member &&
      orgLocate &&
      typeof head === 'string' &&
      placementKeys.has(head) &&
      (head !== 'name' || member.name !== undefined)
    ) {
      return orgLocate(['members', id, ...path], part);
    }
    return parsed.locate(typeof head === 'string' ? [head] : [], part);
  };
  return { agent, locate, diagnostics };
}
