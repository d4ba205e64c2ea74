import { diagnostic } from './diagnostic.js';
import type { Diagnostic } from './diagnostic.js';
import type { OrgDefinition, OrgLocators } from './org-definition.js';
import { validateHierarchy } from './validate-hierarchy.js';
import { validateRuleSets } from './validate-rule-sets.js';
import { validateTools } from './validate-tools.js';
import { validationContext } from './validation-context.js';

export { allowedManagerRoles } from './validate-hierarchy.js';

/** Agent ids that cadre's files take: org (org.yaml) and readme (README.md). */
const reservedIds = new Set(['org', 'readme']);

/**
 * Cross-reference checks of a loaded org: ids, the root, the reporting lines, peers, tools and
 * targets, metrics and the rule sets' references. Returns every problem found.
 */
export function validateOrg(org: OrgDefinition, locators: OrgLocators): Diagnostic[] {
  const { context, found } = validationContext(org, locators);
  const { locateAgent } = context;
  found.push(
    ...validateHierarchy(context),
    ...validateTools(context),
    ...validateRuleSets(context),
  );
  // Ids that name cadre's own files: an export writes agents/org.yaml, and a loader skips
  // README.md, so such an agent would not come back.
  org.agents.forEach((agent, index) => {
    if (reservedIds.has(agent.id)) {
      found.push(
        diagnostic(
          'error',
          'id-reserved',
          locateAgent(index)([agent.source.format === 'yaml' ? 'id' : 'name']),
          `the id '${agent.id}' is reserved: agents/org.yaml and README.md are not agents, so an export of '${agent.id}' would not load back`,
          `choose another id, such as ${agent.id}-agent`,
        ),
      );
    }
  });
  // Prompts are never empty.
  org.agents.forEach((agent, index) => {
    if (agent.prompt.trim() === '' && agent.source.format === 'claude-code') {
      found.push(
        diagnostic(
          'error',
          'prompt-empty',
          locateAgent(index)(['name']),
          `'${agent.id}' has an empty prompt`,
          'write the prompt below the frontmatter',
        ),
      );
    }
  });
  return found;
}
