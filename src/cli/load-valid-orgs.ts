import { formatDiagnostic, hasErrors, sortDiagnostics } from '../org/diagnostic.js';
import { checkOrgs } from './check-orgs.js';
import type { OrgDefinition } from '../org/org-definition.js';
import type { CommandOutput } from './output.js';

/**
 * Loads the orgs at `paths` for a command that needs valid orgs: on any error it prints every
 * diagnostic to stderr and returns `undefined`; warnings are left to `cadre validate`.
 */
export async function loadValidOrgs(
  paths: readonly string[],
  output: CommandOutput,
): Promise<OrgDefinition[] | undefined> {
  const results = await checkOrgs(paths);
  const invalid = results.filter((result) => hasErrors(result.diagnostics));
  if (invalid.length === 0) return results.map((result) => result.org);
  for (const result of invalid) {
    for (const entry of sortDiagnostics(result.diagnostics).filter(
      (item) => item.severity === 'error',
    )) {
      output.error(formatDiagnostic(entry));
    }
    output.error(`invalid: org '${result.org.name}'; run cadre validate for the full report`);
  }
  return undefined;
}
