import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { diagnostic } from './diagnostic.js';
export { ruleSetNameOf } from './escalation-path.js';
import type { Diagnostic, Location } from './diagnostic.js';
import { RuleSet } from './escalation-schema.js';
import type { OrgDefinition, OrgLocators } from './org-definition.js';
import { readSourceText } from './read-source.js';
import { suggestion } from './suggest.js';
import { parseYamlSource } from './yaml-source.js';
import { diagnosticsFromIssues } from './zod-diagnostics.js';

/**
 * Loads every rule set the org's agents work under from `escalation/<name>.yaml` into
 * `org.rule_sets`; returns the diagnostics, each located at the reference or in the rule file.
 */
export async function loadRuleSets(
  org: OrgDefinition,
  escalationDir: string | undefined,
  display: (path: string) => string,
  locators: OrgLocators,
): Promise<Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  const references = new Map<string, Location>();
  if (org.defaults.escalation && locators.org) {
    references.set(org.defaults.escalation, locators.org(['defaults', 'escalation']));
  }
  org.agents.forEach((agent, index) => {
    const locate = locators.agents[index]?.locate;
    if (agent.escalation && locate && !references.has(agent.escalation)) {
      references.set(agent.escalation, locate(['escalation']));
    }
  });
  if (references.size === 0) return diagnostics;
  const available = escalationDir
    ? (await readdir(escalationDir))
        .filter((name) => /\.ya?ml$/.test(name))
        .map((name) => name.replace(/\.ya?ml$/, ''))
    : [];
  for (const [name, at] of references) {
    if (!escalationDir) {
      diagnostics.push(
        diagnostic(
          'error',
          'escalation-folder-missing',
          at,
          `rule set '${name}': no escalation/ folder beside or above ${display(org.dir)}`,
          'create escalation/ next to agents/, or set paths.escalation in org.yaml',
        ),
      );
      continue;
    }
    if (!available.includes(name)) {
      diagnostics.push(
        diagnostic(
          'error',
          'rule-set-missing',
          at,
          `rule set '${name}' does not exist: no ${display(join(escalationDir, `${name}.yaml`))}`,
          suggestion(name, available, 'rule sets'),
        ),
      );
      continue;
    }
    const path = join(escalationDir, `${name}.yaml`);
    const file = display(path);
    const text = await readSourceText(path, file);
    if ('problem' in text) {
      diagnostics.push(text.problem);
      continue;
    }
    const source = parseYamlSource(file, text.text);
    diagnostics.push(...source.diagnostics);
    if (source.value === undefined) continue;
    const parsed = RuleSet.safeParse(source.value);
    if (!parsed.success) {
      diagnostics.push(
        ...diagnosticsFromIssues(
          parsed.error.issues,
          RuleSet,
          source.value,
          source.locate,
          'this rule set',
        ),
      );
      continue;
    }
    if (parsed.data.name !== name) {
      diagnostics.push(
        diagnostic(
          'error',
          'rule-set-name',
          source.locate(['name']),
          `rule set name '${parsed.data.name}' differs from its file name '${name}'`,
          `write name: ${name}`,
        ),
      );
    }
    org.rule_sets[name] = parsed.data;
    org.rule_set_files[name] = file;
    locators.ruleSets[name] = source.locate;
  }
  return diagnostics;
}
