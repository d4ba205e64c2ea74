import type { TreeAgent, TreeView } from './tree-view.js';

function escalationLine(agent: TreeAgent): string | undefined {
  const parts: string[] = [];
  const { path, shortcuts, strikes, ladders } = agent.escalation;
  if (path.length > 0) parts.push(path.map((step) => (step.wait ? `${step.to} (${step.wait})` : step.to)).join(' → '));
  for (const shortcut of shortcuts) parts.push(`${shortcut.when.join('/')} → ${shortcut.to} (${shortcut.wait})`);
  for (const strike of strikes) parts.push(`${strike.count} strikes → ${strike.to}`);
  for (const ladder of ladders) {
    parts.push(`ladder ${ladder.rule}: ${ladder.steps.map((step) => `${step.to.join('+')}${step.wait ? ` (${step.wait})` : ''}`).join(' → ')}`);
  }
  return parts.length > 0 ? `escalates: ${parts.join('; ')}` : undefined;
}

/** Renders the tree view as an indented text tree with roles, tools, peers and waits. */
export function renderTreeText(view: TreeView): string {
  const lines = [`${view.org}${view.title ? ` — ${view.title}` : ''} (root ${view.root}, ${view.agents.length} agents)`];
  const children = (id: string | null) => view.agents.filter((agent) => agent.reports_to === id);
  const shown = new Set<string>();
  const visit = (agent: TreeAgent, prefix: string, isLast: boolean, isTop: boolean) => {
    shown.add(agent.id);
    const branch = isTop ? '' : isLast ? '└── ' : '├── ';
    const childPrefix = isTop ? '' : `${prefix}${isLast ? '    ' : '│   '}`;
    lines.push(`${prefix}${branch}${agent.id}  ${agent.name}  [${agent.role}]`);
    const below = children(agent.id).filter((child) => !shown.has(child.id));
    const detailPrefix = `${childPrefix}${below.length > 0 ? '│ ' : '  '}   `;
    if (agent.tools.length > 0) lines.push(`${detailPrefix}tools: ${agent.tools.map((use) => `${use.tool} (${use.grant})`).join(', ')}`);
    if (agent.peers.length > 0) lines.push(`${detailPrefix}peers: ${agent.peers.map((peer) => `${peer.id} (${peer.wait})`).join(', ')}`);
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
