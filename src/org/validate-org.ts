import { diagnostic } from './diagnostic.js';
import type { Diagnostic } from './diagnostic.js';
import type { OrgDefinition, OrgLocators } from './org-definition.js';
import { validateHierarchy } from './validate-hierarchy.js';
import { validateRuleSets } from './validate-rule-sets.js';
import { validateTools } from './validate-tools.js';
import { validationContext } from './validation-context.js';

export { allowedManagerRoles } from './validate-hierarchy.js';

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
