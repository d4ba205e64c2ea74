import { validateEscalationRules } from '../escalation/validate-rules.js';
import { hasErrors } from '../org/diagnostic.js';
import { loadPaths } from '../org/load-paths.js';
import type { LoadedOrg } from '../org/org-definition.js';

/**
 * Loads the orgs at `paths` with every check: the loader's, then the escalation engine's
 * (escalation cycles, zero waits) on orgs that loaded without errors.
 */
export async function checkOrgs(paths: readonly string[]): Promise<LoadedOrg[]> {
  const results = await loadPaths(paths);
  for (const result of results) {
    if (!hasErrors(result.diagnostics)) result.diagnostics.push(...validateEscalationRules(result));
  }
  return results;
}
