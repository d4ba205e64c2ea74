import { join } from 'node:path';
import { loadOrg } from '../../src/org/load-org.js';
import type { OrgDefinition } from '../../src/org/org-definition.js';
import { writeTempTree } from './temp-org.js';

/** One agent in a test org: id, role, manager, and optional extra YAML lines. */
export interface TestAgent {
  id: string;
  role: 'ceo' | 'chief' | 'domain' | 'layer';
  reports_to?: string;
  extra?: string[];
}

/**
 * Writes and loads a small org; fails loudly if it is not valid, so a test never runs on a
 * half-loaded org. `remove` deletes its folder.
 */
export async function loadTestOrg(
  agents: TestAgent[],
  orgLines: string[] = [],
  extraFiles: Record<string, string> = {},
): Promise<{ org: OrgDefinition; remove: () => Promise<void> }> {
  const root = agents.find((agent) => agent.role === 'ceo')?.id ?? 'ceo';
  const files: Record<string, string> = {
    ...extraFiles,
    'agents/test/org.yaml': ['name: test', `root: ${root}`, ...orgLines].join('\n'),
  };
  for (const agent of agents) {
    files[`agents/test/${agent.id}.yaml`] = [
      `id: ${agent.id}`,
      `name: Agent ${agent.id}`,
      `role: ${agent.role}`,
      ...(agent.reports_to ? [`reports_to: ${agent.reports_to}`] : []),
      `description: Works on ${agent.id} things.`,
      `prompt: { text: You are ${agent.id}. }`,
      ...(agent.extra ?? []),
    ].join('\n');
  }
  const tree = await writeTempTree(files);
  const loaded = await loadOrg(join(tree.dir, 'agents/test'));
  const errors = loaded.diagnostics.filter((entry) => entry.severity === 'error');
  if (errors.length > 0) {
    await tree.remove();
    throw new Error(`test org is invalid: ${errors.map((entry) => entry.message).join('; ')}`);
  }
  return { org: loaded.org, remove: tree.remove };
}
