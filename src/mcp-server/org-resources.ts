import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { AgentDefinition, OrgDefinition } from '../org/org-definition.js';
import { renderTreeMermaid } from '../org/tree-mermaid.js';
import { treeView } from '../org/tree-view.js';
import type { CadreMcpContext } from './server-context.js';

/** The org as JSON. */
export const orgUri = 'cadre://org';
/** The org chart as a mermaid flowchart. */
export const orgChartUri = 'cadre://org/chart';

/** The URI of an agent's definition. */
export function agentUri(id: string): string {
  return `cadre://agents/${id}`;
}

function orgJson(org: OrgDefinition): string {
  return `${JSON.stringify(
    {
      ...treeView(org),
      ...(org.description === undefined ? {} : { description: org.description }),
      targets: org.targets,
      mcp_servers: Object.keys(org.mcp_servers),
    },
    null,
    2,
  )}\n`;
}

function agentJson(org: OrgDefinition, agent: AgentDefinition): string {
  const entry = treeView(org).agents.find((candidate) => candidate.id === agent.id);
  return `${JSON.stringify(
    {
      ...entry,
      prompt: agent.prompt,
      ...(agent.prompt_file === undefined ? {} : { prompt_file: agent.prompt_file }),
      limits: agent.limits,
      ...(agent.escalation === undefined ? {} : { rule_set: agent.escalation }),
      external_tools: agent.external_tools,
      format: agent.source.format,
    },
    null,
    2,
  )}\n`;
}

/**
 * The org as resources: `cadre://org` (JSON: agents, reporting lines, peers, tools, metrics,
 * escalation paths, rule sets, targets), `cadre://org/chart` (a mermaid flowchart) and
 * `cadre://agents/<id>` for each agent's definition (JSON, with its prompt).
 */
export function registerOrgResources(server: McpServer, context: CadreMcpContext): void {
  const { org } = context;
  server.registerResource(
    'org',
    orgUri,
    {
      title: `Org ${org.title ?? org.name}`,
      description: `The org as JSON: ${org.agents.length} agents, reporting lines, peers, tools, metrics, escalation paths and rule sets`,
      mimeType: 'application/json',
    },
    (uri) => ({ contents: [{ uri: uri.href, mimeType: 'application/json', text: orgJson(org) }] }),
  );
  server.registerResource(
    'org-chart',
    orgChartUri,
    {
      title: `Org chart of ${org.title ?? org.name}`,
      description: 'A mermaid flowchart: reporting lines solid, peers dotted with their waits',
      mimeType: 'text/vnd.mermaid',
    },
    (uri) => ({
      contents: [
        { uri: uri.href, mimeType: 'text/vnd.mermaid', text: renderTreeMermaid(treeView(org)) },
      ],
    }),
  );
  for (const agent of org.agents) {
    server.registerResource(
      `agent-${agent.id}`,
      agentUri(agent.id),
      {
        title: agent.name,
        description: `The definition of ${agent.id} (${agent.role}): place in the org, tools and grants, metrics, escalation, prompt`,
        mimeType: 'application/json',
      },
      (uri) => ({
        contents: [{ uri: uri.href, mimeType: 'application/json', text: agentJson(org, agent) }],
      }),
    );
  }
}
