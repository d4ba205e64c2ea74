import type { Role } from './agent-schema.js';
import { diagnostic } from './diagnostic.js';
import type { Diagnostic } from './diagnostic.js';
import type { AgentDefinition, OrgDefinition } from './org-definition.js';
import { suggestion } from './suggest.js';
import type { ValidationContext } from './validation-context.js';
import type { Locator } from './yaml-source.js';

/** Which roles an agent of each role may report to: reporting goes upward only. */
export const allowedManagerRoles: Record<Role, readonly Role[]> = {
  ceo: [],
  chief: ['ceo'],
  domain: ['chief', 'ceo'],
  layer: ['domain', 'chief'],
};

/** The root is the one ceo; every other agent reports upward to an agent that exists, with no cycle; peers exist. */
export function validateHierarchy(context: ValidationContext): Diagnostic[] {
  const { org, byId, ids, locateAgent, orgLocate } = context;
  const found: Diagnostic[] = [];
  // The root: exists, is the one ceo, reports to nobody.
  if (org.root) {
    const root = byId.get(org.root);
    if (!root) {
      found.push(
        diagnostic(
          'error',
          'root-missing',
          orgLocate(['root']),
          `root '${org.root}' is not an agent of org '${org.name}'`,
          suggestion(org.root, ids, 'agents'),
        ),
      );
    } else if (root.role !== 'ceo') {
      const index = org.agents.indexOf(root);
      found.push(
        diagnostic(
          'error',
          'root-not-ceo',
          locateAgent(index)(['role']),
          `the root '${root.id}' has role '${root.role}'; the root of an org is its ceo`,
          `write role: ceo for ${root.id}, or make another agent the root`,
        ),
      );
    }
  }
  org.agents.forEach((agent, index) => {
    if (agent.role === 'ceo' && agent.id !== org.root && byId.has(org.root)) {
      found.push(
        diagnostic(
          'error',
          'second-ceo',
          locateAgent(index)(['role']),
          `'${agent.id}' is a ceo, but the org's root is '${org.root}'; an org has exactly one ceo, its root`,
          'give it the role chief, domain or layer',
        ),
      );
    }
  });

  // Reporting lines.
  org.agents.forEach((agent, index) => {
    const locate = locateAgent(index);
    if (agent.id === org.root || agent.role === 'ceo') {
      if (agent.reports_to !== null) {
        found.push(
          diagnostic(
            'error',
            'root-reports',
            locate(['reports_to']),
            `the ceo '${agent.id}' has reports_to '${agent.reports_to}', but the ceo is the top of the org and reports to nobody`,
            'remove reports_to (a person above the ceo is set by the escalation rules, such as to: human)',
          ),
        );
      }
      return;
    }
    if (agent.reports_to === null) {
      found.push(
        diagnostic(
          'error',
          'reports-to-missing',
          locate(['role']),
          `'${agent.id}' reports to nobody; every agent but the ceo has a manager`,
          `add reports_to: with one of ${managerCandidates(agent, org).join(', ') || 'the org’s agents'}`,
        ),
      );
      return;
    }
    const manager = byId.get(agent.reports_to);
    if (!manager) {
      found.push(
        diagnostic(
          'error',
          'reports-to-unknown',
          locate(['reports_to']),
          `reports_to '${agent.reports_to}' is not an agent of org '${org.name}'`,
          suggestion(agent.reports_to, ids, 'agents'),
        ),
      );
      return;
    }
    if (manager.id === agent.id) {
      found.push(
        diagnostic(
          'error',
          'reports-to-self',
          locate(['reports_to']),
          `'${agent.id}' reports to itself`,
          'name its manager',
        ),
      );
      return;
    }
    if (!allowedManagerRoles[agent.role].includes(manager.role)) {
      found.push(
        diagnostic(
          'error',
          'reports-to-wrong-level',
          locate(['reports_to']),
          `a ${agent.role} reports to a ${allowedManagerRoles[agent.role].join(' or ')}; '${manager.id}' is a ${manager.role}`,
          'reporting goes upward only: layer → domain or chief, domain → chief or ceo, chief → ceo',
        ),
      );
    }
  });
  found.push(...findCycles(org, byId, locateAgent));

  // Peers.
  org.agents.forEach((agent, index) => {
    const seen = new Set<string>();
    agent.peers.forEach((peer, peerIndex) => {
      const at = locateAgent(index)(['peers', peerIndex, 'id']);
      if (peer.id === agent.id) {
        found.push(
          diagnostic(
            'error',
            'peer-self',
            at,
            `'${agent.id}' names itself as a peer`,
            'remove that peer entry',
          ),
        );
      } else if (!byId.has(peer.id)) {
        found.push(
          diagnostic(
            'error',
            'peer-unknown',
            at,
            `peer '${peer.id}' is not an agent of org '${org.name}'`,
            suggestion(peer.id, ids, 'agents'),
          ),
        );
      } else if (seen.has(peer.id)) {
        found.push(
          diagnostic(
            'error',
            'peer-duplicate',
            at,
            `peer '${peer.id}' is listed twice`,
            'keep one entry',
          ),
        );
      }
      seen.add(peer.id);
    });
  });

  return found;
}

function managerCandidates(agent: AgentDefinition, org: OrgDefinition): string[] {
  return org.agents
    .filter((other) => allowedManagerRoles[agent.role].includes(other.role))
    .map((other) => other.id)
    .slice(0, 6);
}

function findCycles(
  org: OrgDefinition,
  byId: Map<string, AgentDefinition>,
  locateAgent: (index: number) => Locator,
): Diagnostic[] {
  const found: Diagnostic[] = [];
  const reported = new Set<string>();
  for (const start of org.agents) {
    const path: string[] = [];
    let current: AgentDefinition | undefined = start;
    while (current && !path.includes(current.id)) {
      path.push(current.id);
      current = current.reports_to ? byId.get(current.reports_to) : undefined;
    }
    if (!current) continue;
    const cycle = path.slice(path.indexOf(current.id));
    const key = [...cycle].sort().join(',');
    if (cycle.length < 2 || reported.has(key)) continue;
    reported.add(key);
    const first = cycle[0] ?? '';
    const index = org.agents.findIndex((agent) => agent.id === first);
    found.push(
      diagnostic(
        'error',
        'reports-cycle',
        locateAgent(index)(['reports_to']),
        `reporting lines form a cycle: ${[...cycle, first].join(' → ')}`,
        'every chain of reports_to must end at the ceo',
      ),
    );
  }
  return found;
}
