import { humanOf } from '../escalation/targets.js';
import { ruleSetOf } from '../org/escalation-path.js';
import type { ModelTool } from '../model/model.js';
import type { AgentDefinition, OrgDefinition } from '../org/org-definition.js';

/** The org tools: how agents talk to each other. Their names never contain `__`. */
export const orgToolNames = {
  delegate: 'delegate_task',
  ask: 'ask_peer',
  escalate: 'escalate',
  report: 'report',
} as const;

/** Whether a tool name is one of the org tools. */
export function isOrgTool(name: string): boolean {
  return (Object.values(orgToolNames) as string[]).includes(name);
}

/**
 * The org tools an agent's role allows: `delegate_task` to its direct reports, `ask_peer` to its
 * declared peers, `escalate` and `report` to its manager. Targets are enums, so the model can
 * only name agents it may reach.
 */
export function orgToolsFor(org: OrgDefinition, agent: AgentDefinition): ModelTool[] {
  const tools: ModelTool[] = [];
  const reports = org.agents.filter((other) => other.reports_to === agent.id);
  if (reports.length > 0) {
    tools.push({
      name: orgToolNames.delegate,
      description: `Hand a task to one of your direct reports and get their answer back. Call it several times in one turn to run tasks in parallel. Reports: ${reports
        .map(
          (report) =>
            `${report.id} (${report.name}: ${report.description.trim().replace(/\s+/g, ' ')})`,
        )
        .join('; ')}`,
      input_schema: {
        type: 'object',
        properties: {
          to: {
            type: 'string',
            enum: reports.map((report) => report.id),
            description: 'the report’s id',
          },
          task: { type: 'string', description: 'what to do, with the context they need' },
        },
        required: ['to', 'task'],
        additionalProperties: false,
      },
    });
  }
  if (agent.peers.length > 0) {
    tools.push({
      name: orgToolNames.ask,
      description: `Ask a peer a question and get their answer back. Peers: ${agent.peers.map((peer) => peer.id).join(', ')}`,
      input_schema: {
        type: 'object',
        properties: {
          to: { type: 'string', enum: agent.peers.map((peer) => peer.id) },
          question: { type: 'string' },
        },
        required: ['to', 'question'],
        additionalProperties: false,
      },
    });
  }
  const person = agent.reports_to ? undefined : humanOf(ruleSetOf(org, agent));
  if (!agent.reports_to && person !== undefined) {
    tools.push({
      name: orgToolNames.escalate,
      description: `Ask ${person === 'human' ? 'the person above the org' : person} for a decision you must not take alone (data loss, security, spending) and wait for their answer.`,
      input_schema: escalateInputFor(org, agent),
    });
  }
  if (agent.reports_to) {
    tools.push(
      {
        name: orgToolNames.escalate,
        description: `Raise a problem you cannot solve to your manager (${agent.reports_to}) and wait for their decision.`,
        input_schema: escalateInputFor(org, agent),
      },
      {
        name: orgToolNames.report,
        description: `Send progress to your manager (${agent.reports_to}); does not wait for an answer.`,
        input_schema: {
          type: 'object',
          properties: { progress: { type: 'string' } },
          required: ['progress'],
          additionalProperties: false,
        },
      },
    );
  }
  return tools;
}

/** The tags the agent's rule set routes by (its severity rules' and ladders'), in rule order. */
function routedTags(org: OrgDefinition, agent: AgentDefinition): string[] {
  const rules = ruleSetOf(org, agent);
  const tags = new Set<string>();
  for (const rule of [...(rules?.severities ?? []), ...(rules?.ladders ?? [])]) {
    for (const tag of rule.tags ?? []) tags.add(tag);
  }
  return [...tags];
}

/**
 * `escalate`'s input. Its tags are free, but the description names those the agent's rules
 * route by, so that "CEO at once on data loss" is reached with the tag the rule expects.
 */
function escalateInputFor(org: OrgDefinition, agent: AgentDefinition): ModelTool['input_schema'] {
  const tags = routedTags(org, agent);
  return {
    type: 'object',
    properties: {
      reason: { type: 'string', description: 'what is wrong, what you tried, what you need' },
      severity: { type: 'string', enum: ['low', 'normal', 'high', 'critical'] },
      tags: {
        type: 'array',
        items: { type: 'string' },
        description:
          tags.length > 0
            ? `the tags your escalation rules route by: ${tags.join(', ')} (other tags are kept with the escalation but route nothing)`
            : 'such as data-loss or security',
      },
    },
    required: ['reason', 'severity'],
    additionalProperties: false,
  };
}
