import { relative } from 'node:path';
import type { Command } from 'commander';
import { formatDiagnostic, hasErrors, sortDiagnostics } from '../org/diagnostic.js';
import { orgPathOrBundled } from './bundled-orgs.js';
import { checkOrgs } from './check-orgs.js';
import type { CommandOutput } from './output.js';

/** Validates orgs; resolves to the exit code: 0 when valid (warnings allowed), 1 on any error. */
export async function runValidate(
  paths: string[],
  options: { json?: boolean },
  output: CommandOutput,
): Promise<number> {
  const results = await checkOrgs(
    (paths.length > 0 ? paths : ['agents']).map((path) =>
      orgPathOrBundled(path, (text) => output.error(text)),
    ),
  );
  let failed = false;
  if (options.json) {
    const report = results.map(({ org, diagnostics }) => ({
      org: org.name,
      path: org.file ?? (relative(process.cwd(), org.dir) || org.dir),
      valid: !hasErrors(diagnostics),
      agents: org.agents.length,
      diagnostics: sortDiagnostics(diagnostics),
    }));
    output.out(JSON.stringify(report, null, 2));
    return report.every((entry) => entry.valid) ? 0 : 1;
  }
  for (const { org, diagnostics } of results) {
    for (const entry of sortDiagnostics(diagnostics)) output.out(formatDiagnostic(entry));
    const errors = diagnostics.filter((entry) => entry.severity === 'error').length;
    const warnings = diagnostics.length - errors;
    const where = org.file
      ? org.file.replace(/\/?org\.yaml$/, '') || '.'
      : relative(process.cwd(), org.dir) || org.dir;
    const counts = `${org.agents.length} agent${org.agents.length === 1 ? '' : 's'}, ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
    output.out(`${errors > 0 ? 'invalid' : 'valid'}: org '${org.name}' (${where}): ${counts}`);
    failed ||= errors > 0;
  }
  return failed ? 1 : 0;
}

/** Registers `cadre validate [paths…]`. */
export function registerValidate(
  program: Command,
  output: CommandOutput,
  setExit: (code: number) => void,
): void {
  program
    .command('validate')
    .description('check org definitions: every error at once, each as file:line:col with a fix')
    .argument('[paths...]', 'org folders, folders of orgs, or .md subagent files (default: agents)')
    .option('--json', 'print a JSON report instead of text')
    .addHelpText(
      'after',
      '\nExamples:\n  $ cadre validate agents/\n  $ cadre validate agents/esa --json\n  $ cadre validate .claude/agents/database-administrator.md',
    )
    .action(async (paths: string[], options: { json?: boolean }) => {
      setExit(await runValidate(paths, options, output));
    });
}
