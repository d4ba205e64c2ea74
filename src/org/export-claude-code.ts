import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { stringify } from 'yaml';
import type { AgentFile, MemberPlacement } from './agent-schema.js';
import type { AgentDefinition, OrgDefinition } from './org-definition.js';
import type { OrgFile } from './org-schema.js';
import { orgContextEnd } from './prompt-markers.js';
import { modelToolNames, renderPrompt } from './render-prompt.js';
import type { PromptNaming } from './render-prompt.js';
import { cadreServerName } from './subagent-to-agent.js';

/** A tool of cadre's MCP server as Claude Code names it: `mcp__cadre__<tool>`. */
export function claudeCodeToolName(tool: string): string {
  return `mcp__${cadreServerName}__${tool}`;
}

/** The cadre MCP server tool an exported agent uses to reach other agents of the org. */
export const askAgentTool = 'ask_agent';

/** How exported prompts name things inside Claude Code. */
export const claudeCodeNaming: PromptNaming = {
  tool: claudeCodeToolName,
  delegate: `ask them through \`${claudeCodeToolName(askAgentTool)}\` with their id; cadre runs them with their own tools`,
  ask: `ask through \`${claudeCodeToolName(askAgentTool)}\` with their id; expect an answer within the wait`,
  report: 'put progress in your answer',
  escalate: 'say plainly in your answer what must go up to them, with its severity',
};

/** The command that starts cadre's MCP server, as `.mcp.json` records it. */
export interface ServerCommand {
  command: string;
  args: string[];
}

/** One file an export writes: a path relative to the output folder, and its text. */
export interface ExportedFile {
  path: string;
  text: string;
}

/** The argument of cadre's database tools that names the agent a call acts for. */
export const actingAgentArgument = 'agent';

/** The database (and org MCP server) tools an agent holds, as `cadre mcp --tools` lists them. */
export function heldToolNames(agent: AgentDefinition): string[] {
  return modelToolNames(agent).filter((name) => !name.endsWith('*'));
}

/**
 * The tools an exported agent names in its frontmatter: as declared, then cadre's, in
 * `mcp__cadre__…` form: the database tools it holds and `ask_agent`, all of which
 * `cadre mcp --tools` lists (one server for the whole org: each database tool call names the
 * agent it acts for, and runs at that agent's grant).
 */
export function exportedToolList(agent: AgentDefinition): string[] {
  const cadreTools = [...heldToolNames(agent), askAgentTool].map(claudeCodeToolName);
  return [...new Set([...agent.external_tools, ...cadreTools])];
}

/** The generated lines that tell an exported agent to name itself when it calls its database tools. */
function actingForSection(agent: AgentDefinition): string {
  if (heldToolNames(agent).length === 0) return '';
  return `## Calling your tools through cadre\n\n- cadre's MCP server serves the database tools of the whole org; each call runs at the grants of the agent it names. Pass \`"${actingAgentArgument}": "${agent.id}"\` in every call to ${heldToolNames(
    agent,
  )
    .map((name) => `\`${claudeCodeToolName(name)}\``)
    .join(', ')}, so it runs at your grants.\n\n`;
}

/** The words every exported file (but `.mcp.json`, which is merged) carries: an export replaces only such files. */
export const exportedMarker = 'Written by `cadre export claude-code`';

function subagentFile(org: OrgDefinition, agent: AgentDefinition): string {
  const frontmatter: Record<string, string> = {
    name: agent.id,
    description: agent.description.trim(),
    tools: exportedToolList(agent).join(', '),
  };
  if (agent.model !== undefined) frontmatter.model = agent.model;
  // Inside the generated section, so that an import strips it with the rest.
  const prompt = renderPrompt(org, agent, claudeCodeNaming).replace(
    orgContextEnd,
    `${actingForSection(agent)}${orgContextEnd}`,
  );
  return `---\n# ${exportedMarker} from ${org.name}.\n${stringify(frontmatter, { lineWidth: 0 })}---\n\n${prompt}`;
}

function placementOf(agent: AgentDefinition): MemberPlacement {
  const member: MemberPlacement = {
    name: agent.name,
    role: agent.role,
    reports_to: agent.reports_to,
  };
  if (agent.peers.length > 0) member.peers = agent.peers.map((peer) => ({ ...peer }));
  if (agent.tools.length > 0) member.tools = agent.tools.map((use) => ({ ...use }));
  if (agent.metrics.length > 0) member.metrics = agent.metrics;
  if (Object.keys(agent.limits).length > 0) member.limits = agent.limits;
  if (agent.escalation !== undefined) member.escalation = agent.escalation;
  if (agent.human === true) member.human = true;
  return member;
}

/**
 * A place a person fills, as a cadre YAML agent file: Claude Code reads only `*.md` files, so
 * the person is no subagent there, and the folder still loads back into cadre whole.
 */
function personFile(agent: AgentDefinition): string {
  const file: AgentFile = {
    id: agent.id,
    ...placementOf(agent),
    name: agent.name,
    description: agent.description.trim(),
    prompt: { text: agent.prompt.trim() || `${agent.name} is a person; cadre asks them.` },
  };
  if (agent.model !== undefined) file.model = agent.model;
  return `# ${exportedMarker}: a person fills this place (human: true), so it is no Claude Code subagent.\n${stringify(file, { lineWidth: 0 })}`;
}

function orgFileOf(org: OrgDefinition): OrgFile {
  const file: OrgFile = { name: org.name, root: org.root };
  if (org.title !== undefined) file.title = org.title;
  if (org.description !== undefined) file.description = org.description;
  if (Object.keys(org.defaults).length > 0) file.defaults = org.defaults;
  file.targets = org.targets;
  if (Object.keys(org.mcp_servers).length > 0) file.mcp_servers = org.mcp_servers;
  // A person's place is in their own YAML file (see personFile), not among the subagents' members.
  file.members = Object.fromEntries(
    org.agents
      .filter((agent) => agent.human !== true)
      .map((agent) => [agent.id, placementOf(agent)]),
  );
  return file;
}

/**
 * Exports an org for Claude Code: `agents/<id>.md` per agent (frontmatter name, description,
 * tools, model; body = the rendered prompt), `agents/<id>.yaml` for a place a person fills (no
 * subagent), `agents/org.yaml` (the subagents' places in the org, so the export loads back into
 * cadre), `escalation/<rules>.yaml` copied as written, and `.mcp.json` starting cadre's MCP server.
 */
export async function exportClaudeCode(
  org: OrgDefinition,
  server: ServerCommand,
  mcpJsonPath = '.mcp.json',
): Promise<ExportedFile[]> {
  const files: ExportedFile[] = org.agents.map((agent) =>
    agent.human === true
      ? { path: `agents/${agent.id}.yaml`, text: personFile(agent) }
      : { path: `agents/${agent.id}.md`, text: subagentFile(org, agent) },
  );
  const header = `# ${exportedMarker} from ${org.name}: the places in the org of the agents/*.md files.\n`;
  files.push({
    path: 'agents/org.yaml',
    text: header + stringify(orgFileOf(org), { lineWidth: 0 }),
  });
  for (const [name, file] of Object.entries(org.rule_set_files)) {
    files.push({
      path: `escalation/${name}.yaml`,
      text: `# ${exportedMarker} from ${org.name}: rule set ${name}, as written.\n${await readFile(resolve(file), 'utf8')}`,
    });
  }
  const config = {
    mcpServers: { [cadreServerName]: { command: server.command, args: server.args } },
  };
  files.push({ path: mcpJsonPath, text: `${JSON.stringify(config, null, 2)}\n` });
  return files;
}

/** The org folder as `.mcp.json` should name it: relative to where `.mcp.json` sits when inside it, else absolute. */
export function orgPathFrom(mcpJsonDir: string, orgDir: string): string {
  const path = relative(resolve(mcpJsonDir), resolve(orgDir));
  return path.startsWith('..') || path === '' ? resolve(orgDir) : path;
}
