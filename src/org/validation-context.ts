import { diagnostic } from './diagnostic.js';
import type { Diagnostic } from './diagnostic.js';
import type { AgentDefinition, OrgDefinition, OrgLocators } from './org-definition.js';
import type { Locator } from './yaml-source.js';

/** What every validation check reads: the org, where things were written, and the agents by id. */
export interface ValidationContext {
  org: OrgDefinition;
  locators: OrgLocators;
  /** The first agent of each id. */
  byId: Map<string, AgentDefinition>;
  /** Every agent id, once. */
  ids: string[];
  /** A locator for the fields of the agent at that index. */
  locateAgent: (index: number) => Locator;
  /** A locator for org.yaml. */
  orgLocate: Locator;
}

/** Builds the context for validating an org, and reports duplicate ids on the way. */
export function validationContext(
  org: OrgDefinition,
  locators: OrgLocators,
): { context: ValidationContext; found: Diagnostic[] } {
  const found: Diagnostic[] = [];
  const orgLocate: Locator =
    locators.org ?? (() => ({ file: org.file ?? org.dir, line: 1, column: 1 }));
  const byId = new Map<string, AgentDefinition>();
  const ids = [...new Set(org.agents.map((agent) => agent.id))];
  const locateAgent = (index: number): Locator =>
    locators.agents[index]?.locate ??
    (() => ({ file: org.agents[index]?.source.file ?? '', line: 1, column: 1 }));

  org.agents.forEach((agent, index) => {
    const first = byId.get(agent.id);
    if (first) {
      found.push(
        diagnostic(
          'error',
          'duplicate-id',
          locateAgent(index)(['id']),
          `id '${agent.id}' is already used by ${first.source.file}`,
          'give every agent of an org its own id',
        ),
      );
    } else {
      byId.set(agent.id, agent);
    }
  });
  return { context: { org, locators, byId, ids, locateAgent, orgLocate }, found };
}
