import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openRequest } from '../../src/escalation/request-state.js';
import type { RequestInput, RequestState } from '../../src/escalation/request-state.js';
import { loadOrg } from '../../src/org/load-org.js';
import type { LoadedOrg, OrgDefinition } from '../../src/org/org-definition.js';
import { writeTempTree } from '../helpers/temp-org.js';

/** One minute in milliseconds. */
export const minute = 60_000;

/** When every scenario starts: 09:00 UTC on a Monday. */
export const start = Date.UTC(2025, 0, 6, 9, 0, 0);

/** Scaled time `minutes` after the start. */
export const at = (minutes: number): number => start + minutes * minute;

const agentsDir = fileURLToPath(new URL('../../agents/', import.meta.url));

/** Loads a bundled org (esa, heir, infra-ops) and fails loudly if it has errors. */
export async function bundledOrg(name: string): Promise<OrgDefinition> {
  const loaded = await loadOrg(join(agentsDir, name));
  const errors = loaded.diagnostics.filter((entry) => entry.severity === 'error');
  if (errors.length > 0) throw new Error(`${name}: ${errors.map((e) => e.message).join('; ')}`);
  return loaded.org;
}

/** A request sent at the start (or at `sentAt`), with a message id made from its ends. */
export function request(
  fields: Omit<RequestInput, 'messageId' | 'runId' | 'sentAt'> & {
    messageId?: string;
    sentAt?: number;
  },
): RequestState {
  return openRequest({
    ...fields,
    messageId: fields.messageId ?? `m-${fields.asker}-${fields.to}`,
    runId: 'run-1',
    sentAt: fields.sentAt ?? start,
  });
}

/** One agent of a test org. */
export interface RulesAgent {
  id: string;
  role: 'ceo' | 'chief' | 'domain' | 'layer';
  reports_to?: string;
  /** Peers as `id` or `id:wait`. */
  peers?: string[];
}

/**
 * Writes and loads an org of these agents under the rule set `rules` (YAML lines of
 * escalation/test.yaml after `name: test`). Returns whatever loading found, errors included.
 */
export async function loadRulesOrg(
  agents: RulesAgent[],
  rules: string[],
  orgLines: string[] = [],
): Promise<LoadedOrg & { remove: () => Promise<void> }> {
  const root = agents.find((agent) => agent.role === 'ceo')?.id ?? 'ceo';
  const files: Record<string, string> = {
    'agents/test/org.yaml': [
      'name: test',
      `root: ${root}`,
      'defaults:',
      '  escalation: test',
      ...orgLines,
    ].join('\n'),
    'escalation/test.yaml': ['name: test', ...rules].join('\n'),
  };
  for (const agent of agents) {
    const peers = (agent.peers ?? []).map((peer) => {
      const [id, wait] = peer.split(':');
      return wait ? `  - { id: ${id}, wait: ${wait} }` : `  - { id: ${id} }`;
    });
    files[`agents/test/${agent.id}.yaml`] = [
      `id: ${agent.id}`,
      `name: Agent ${agent.id}`,
      `role: ${agent.role}`,
      ...(agent.reports_to ? [`reports_to: ${agent.reports_to}`] : []),
      ...(peers.length > 0 ? ['peers:', ...peers] : []),
      `description: Works on ${agent.id} things.`,
      `prompt: { text: You are ${agent.id}. }`,
    ].join('\n');
  }
  const tree = await writeTempTree(files);
  const loaded = await loadOrg(join(tree.dir, 'agents/test'));
  return { ...loaded, remove: tree.remove };
}

/** The agents most rule tests use: a ceo, a chief, two peer domains under it, a layer. */
export const smallTeam: RulesAgent[] = [
  { id: 'boss', role: 'ceo' },
  { id: 'chief', role: 'chief', reports_to: 'boss' },
  { id: 'front', role: 'domain', reports_to: 'chief', peers: ['back'] },
  { id: 'back', role: 'domain', reports_to: 'chief', peers: ['front:45m'] },
  { id: 'query', role: 'layer', reports_to: 'back' },
];
