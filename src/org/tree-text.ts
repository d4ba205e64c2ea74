import type { TreeAgent, TreeView } from './tree-view.js';

function escalationLine(agent: TreeAgent): string | undefined {
  const { path } = agent.escalation;
  if (path.length === 0) return undefined;
  return `escalates: ${path.map((step) => (step.wait ? `${step.to} (${step.wait})` : step.to)).join(' → ')}`;
}

/** One line per org-wide rule: severities, strikes and ladders, with targets as the rules write them. */
function ruleLines(view: TreeView): string[] {
  const lines: string[] = [];
  for (const [name, rules] of Object.entries(view.rule_sets)) {
    for (const rule of rules.severities ?? []) {
      lines.push(
        `rules ${name}: ${[...(rule.severity ?? []), ...(rule.tags ?? [])].join('/')} → ${rule.to} (${rule.after ?? 'immediate'})`,
      );
    }
    for (const rule of rules.strikes ?? []) {
      lines.push(
        `rules ${name}: ${rule.count} strike${rule.count === 1 ? '' : 's'}${rule.failures ? ` (${rule.failures.join(', ')})` : ''} → ${rule.to}`,
      );
    }
    for (const ladder of rules.ladders ?? []) {
      const steps = ladder.steps.map(
        (step) =>
          `${Array.isArray(step.to) ? step.to.join('+') : step.to}${step.wait ? ` (${step.wait})` : ''}`,
      );
      lines.push(`rules ${name}: ladder ${ladder.id}: ${steps.join(' → ')}`);
    }
  }
  return lines;
}

/** Renders the tree view as an indented text tree with roles, tools, peers and waits. */
export function renderTreeText(view: TreeView): string {
  const lines = [
    `${view.org}${view.title ? ` — ${view.title}` : ''} (root ${view.root}, ${view.agents.length} agents)`,
    ...ruleLines(view),
    '',
  ];
  const children = (id: string | null) => view.agents.filter((agent) => agent.reports_to === id);
  const shown = new Set<string>();
  const visit = (agent: TreeAgent, prefix: string, isLast: boolean, isTop: boolean) => {
    shown.add(agent.id);
    const branch = isTop ? '' : isLast ? '└── ' : '├── ';
    const childPrefix = isTop ? '' : `${prefix}${isLast ? '    ' : '│   '}`;
    lines.push(`${prefix}${branch}${agent.id}  ${agent.name}  [${agent.role}]`);
    const below = children(agent.id).filter((child) => !shown.has(child.id));
    const detailPrefix = `${childPrefix}${below.length > 0 ? '│ ' : '  '}   `;
    if (agent.tools.length > 0)
      lines.push(
        `${detailPrefix}tools: ${agent.tools.map((use) => `${use.tool} (${use.grant})`).join(', ')}`,
      );
    if (agent.peers.length > 0)
      lines.push(
        `${detailPrefix}peers: ${agent.peers.map((peer) => `${peer.id} (${peer.wait})`).join(', ')}`,
      );
    const escalation = escalationLine(agent);
    if (escalation) lines.push(`${detailPrefix}${escalation}`);
    below.forEach((child, index) => visit(child, childPrefix, index === below.length - 1, false));
  };
  const root = view.agents.find((agent) => agent.id === view.root);
  if (root) visit(root, '', true, true);
  for (const agent of view.agents) {
    if (!shown.has(agent.id)) {
      lines.push(`(not under the root) ${agent.id}`);
      visit(agent, '', true, true);
    }
  }
  return lines.join('\n');
}
