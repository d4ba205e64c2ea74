import type { TreeView } from './tree-view.js';

function nodeId(id: string): string {
  return id.replaceAll('-', '_');
}

function escapeLabel(text: string): string {
  return text.replaceAll('"', '#quot;').replaceAll('<', '#lt;').replaceAll('>', '#gt;');
}

/** Renders the tree view as a Mermaid flowchart: reporting lines solid, peers dotted with their waits. */
export function renderTreeMermaid(view: TreeView): string {
  const lines = ['flowchart TD'];
  for (const agent of view.agents) {
    const tools =
      agent.tools.length > 0
        ? `<br/>${agent.tools.map((use) => `${use.tool}:${use.grant}`).join(', ')}`
        : '';
    lines.push(
      `  ${nodeId(agent.id)}["${escapeLabel(agent.name)}<br/><i>${agent.role}</i>${escapeLabel(tools).replaceAll('#lt;br/#gt;', '<br/>')}"]`,
    );
  }
  for (const agent of view.agents) {
    if (!agent.reports_to) continue;
    const wait = agent.escalation.path[0]?.wait;
    const edge = wait ? ` -->|"${wait}"| ` : ' --> ';
    lines.push(`  ${nodeId(agent.reports_to)}${edge}${nodeId(agent.id)}`);
  }
  const drawn = new Set<string>();
  for (const agent of view.agents) {
    for (const peer of agent.peers) {
      const key = [agent.id, peer.id].sort().join('|');
      if (drawn.has(key)) continue;
      drawn.add(key);
      lines.push(`  ${nodeId(agent.id)} -.-|"peer ${peer.wait}"| ${nodeId(peer.id)}`);
    }
  }
  return lines.join('\n');
}
