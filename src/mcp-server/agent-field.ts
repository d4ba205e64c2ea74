import { z } from 'zod';
import type { OrgDefinition } from '../org/org-definition.js';

/**
 * A tool argument naming an agent of the org: its JSON Schema lists the ids, and an unknown id
 * is refused with the org's agents (the SDK adds the tool and the field to the message).
 */
export function agentField(org: OrgDefinition) {
  const ids = org.agents.map((agent) => agent.id);
  const [first = org.root, ...rest] = ids;
  return z.enum([first, ...rest], {
    error: (issue) =>
      `no agent '${String(issue.input)}' in org '${org.name}'; its agents are ${ids.join(', ')}`,
  });
}

/** A free-text argument that must say something (whitespace alone is refused). */
export function textField(what: string, example: string) {
  return z
    .string()
    .trim()
    .min(1, { error: `the ${what} is empty: write one, such as "${example}"` });
}
