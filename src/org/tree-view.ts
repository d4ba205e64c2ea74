import { escalationView, peerWait } from './escalation-path.js';
import type { EscalationView } from './escalation-path.js';
import type { RuleSet } from './escalation-schema.js';
import type { OrgDefinition } from './org-definition.js';

/** One agent as `cadre tree --format json` shows it; keys as in the YAML. */
export interface TreeAgent {
  id: string;
  name: string;
  role: string;
  reports_to: string | null;
  description: string;
  model?: string;
  peers: { id: string; wait: string }[];
  tools: { tool: string; grant: string; target?: string }[];
  metrics: { name: string; target: string; priority?: string }[];
  escalation: EscalationView;
}

/** The org as `cadre tree --format json` shows it. */
export interface TreeView {
  org: string;
  title?: string;
  root: string;
  agents: TreeAgent[];
  /** The rule sets the agents work under, as written. */
  rule_sets: Record<string, RuleSet>;
}

/** Builds the tree view: agents in hierarchy order (depth first from the root, then any strays). */
export function treeView(org: OrgDefinition): TreeView {
  const ordered = hierarchyOrder(org);
  const view: TreeView = {
    org: org.name,
    root: org.root,
    rule_sets: org.rule_sets,
    agents: ordered.map(({ agent }) => {
      const entry: TreeAgent = {
        id: agent.id,
        name: agent.name,
        role: agent.role,
        reports_to: agent.reports_to,
        description: agent.description,
        peers: agent.peers.map((peer) => ({ id: peer.id, wait: peerWait(org, peer) })),
        tools: agent.tools.map((use) => ({ ...use })),
        metrics: agent.metrics.map(({ name, target, priority }) =>
          priority ? { name, target, priority } : { name, target },
        ),
        escalation: escalationView(org, agent),
      };
      const model = agent.model ?? org.defaults.model;
      if (model !== undefined) entry.model = model;
      return entry;
    }),
  };
  if (org.title !== undefined) view.title = org.title;
  return view;
}

/** Agents depth first from the root, each with its depth; agents not reachable from the root come last. */
export function hierarchyOrder(
  org: OrgDefinition,
): { agent: OrgDefinition['agents'][number]; depth: number }[] {
  const ordered: { agent: OrgDefinition['agents'][number]; depth: number }[] = [];
  const visited = new Set<string>();
  const visit = (id: string, depth: number) => {
    const agent = org.agents.find((candidate) => candidate.id === id);
    if (!agent || visited.has(id)) return;
    visited.add(id);
    ordered.push({ agent, depth });
    for (const report of org.agents.filter((candidate) => candidate.reports_to === id))
      visit(report.id, depth + 1);
  };
  visit(org.root, 0);
  for (const agent of org.agents) if (!visited.has(agent.id)) visit(agent.id, 0);
  return ordered;
}
