import { escalationView, peerWait } from './escalation-path.js';
import type { AgentDefinition, OrgDefinition } from './org-definition.js';
import { orgContextEnd, orgContextStart } from './prompt-markers.js';
import { builtinOperationNames, builtinTool, toolNameSeparator } from './tool-catalog.js';

/** How the rendered prompt names tools and org actions: as cadre's runtime has them, or as Claude Code does. */
export interface PromptNaming {
  /** Turns a model-visible tool name (`psql__query`) into the name the reader sees. */
  tool: (name: string) => string;
  /** How to hand work to a direct report. */
  delegate: string;
  /** How to ask a peer. */
  ask: string;
  /** How to send progress to the manager. */
  report: string;
  /** How to raise a problem to the manager. */
  escalate: string;
}

/** Names as cadre's own sessions see them. */
export const runtimeNaming: PromptNaming = {
  tool: (name) => name,
  delegate: 'hand them work with `delegate_task`; several at once run in parallel',
  ask: 'ask with `ask_peer`; after the wait, the question escalates',
  report: 'send progress with `report`',
  escalate: 'raise problems you cannot solve with `escalate` (give a reason and a severity)',
};

function label(org: OrgDefinition, id: string): string {
  const agent = org.agents.find((candidate) => candidate.id === id);
  return agent ? `${agent.name} (\`${id}\`)` : `\`${id}\``;
}

/** Model-visible names of an agent's database and MCP tools. */
export function modelToolNames(agent: AgentDefinition): string[] {
  return agent.tools.flatMap((use) => {
    const builtin = builtinTool(use.tool);
    if (builtin) return builtinOperationNames(builtin, use.grant);
    const [server = '', tool] = use.tool.split('/');
    return [
      tool === undefined
        ? `${server}${toolNameSeparator}*`
        : `${server}${toolNameSeparator}${tool}`,
    ];
  });
}

/**
 * The agent's place in the org, its tools, metrics and escalation paths, as Markdown between
 * markers (so an import can strip it again).
 */
export function renderOrgContext(
  org: OrgDefinition,
  agent: AgentDefinition,
  naming: PromptNaming = runtimeNaming,
): string {
  const lines: string[] = [
    orgContextStart,
    '',
    `## Your place in org "${org.title ?? org.name}"`,
    '',
  ];
  lines.push(`- You are ${label(org, agent.id)}, role ${agent.role}.`);
  if (agent.reports_to) {
    lines.push(
      `- You report to ${label(org, agent.reports_to)}: ${naming.report}, and ${naming.escalate}.`,
    );
  } else {
    lines.push('- You lead the org and report to no agent; your answer is the org’s answer.');
  }
  const reports = org.agents.filter((other) => other.reports_to === agent.id);
  if (reports.length > 0) {
    lines.push(`- Your direct reports (${naming.delegate}):`);
    for (const report of reports)
      lines.push(`  - ${label(org, report.id)}: ${report.description.trim().replace(/\s+/g, ' ')}`);
  }
  if (agent.peers.length > 0) {
    lines.push(`- Your peers (${naming.ask}):`);
    for (const peer of agent.peers)
      lines.push(`  - ${label(org, peer.id)}: wait ${peerWait(org, peer)}`);
  }
  const toolNames = modelToolNames(agent);
  if (agent.tools.length > 0) {
    lines.push('', '## Your tools', '');
    for (const use of agent.tools) {
      const target = use.target ? ` on target ${use.target}` : '';
      lines.push(`- ${use.tool} (${use.grant}${target})`);
    }
    lines.push(`- Names: ${toolNames.map((name) => `\`${naming.tool(name)}\``).join(', ')}`);
  }
  if (agent.metrics.length > 0) {
    lines.push('', '## Success metrics', '');
    for (const metric of agent.metrics) {
      lines.push(
        `- ${metric.name}: ${metric.target}${metric.priority ? ` (${metric.priority})` : ''}`,
      );
    }
  }
  const view = escalationView(org, agent);
  if (
    view.path.length > 0 ||
    view.shortcuts.length > 0 ||
    view.strikes.length > 0 ||
    view.ladders.length > 0
  ) {
    lines.push('', `## Escalation${view.rules ? ` (rule set ${view.rules})` : ''}`, '');
    if (view.path.length > 0) {
      lines.push(
        `- Path: ${view.path.map((step) => (step.wait ? `${step.to} (after ${step.wait})` : step.to)).join(' → ')}`,
      );
    }
    for (const shortcut of view.shortcuts) {
      lines.push(
        `- ${shortcut.when.join(', ')}: straight to ${label(org, shortcut.to)}, ${shortcut.wait === 'immediate' ? 'at once' : `after ${shortcut.wait}`}`,
      );
    }
    for (const strike of view.strikes) {
      const kinds = strike.failures ? ` (${strike.failures.join(', ')})` : '';
      lines.push(
        `- ${strike.count} failed attempt${strike.count === 1 ? '' : 's'}${kinds} on one request: to ${label(org, strike.to)}`,
      );
    }
    for (const ladder of view.ladders) {
      const steps = ladder.steps
        .map((step) => `${step.to.join(' + ')}${step.wait ? ` (${step.wait})` : ''}`)
        .join(' → ');
      lines.push(
        `- Ladder ${ladder.rule}${ladder.when.length > 0 ? ` (${ladder.when.join(', ')})` : ''}: ${steps}`,
      );
    }
  }
  lines.push('', orgContextEnd);
  return lines.join('\n');
}

/** The agent's full prompt: what its author wrote, then the generated org context. */
export function renderPrompt(
  org: OrgDefinition,
  agent: AgentDefinition,
  naming: PromptNaming = runtimeNaming,
): string {
  return `${agent.prompt.trim()}\n\n${renderOrgContext(org, agent, naming)}\n`;
}
