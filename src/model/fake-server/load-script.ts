import { CadreError, ConfigError } from '../../errors.js';
import { formatDiagnostic, sortDiagnostics } from '../../org/diagnostic.js';
import type { Diagnostic } from '../../org/diagnostic.js';
import { readSourceText } from '../../org/read-source.js';
import { parseYamlSource } from '../../org/yaml-source.js';
import { diagnosticsFromIssues } from '../../org/zod-diagnostics.js';
import { RehearsalScript } from './script.js';

/**
 * Reads a rehearsal script from YAML text. Throws a `ConfigError` (code `script-invalid`)
 * located at the first mistake — file, line and column, the path in the script and what is
 * wrong — listing any further mistakes after it.
 */
export function parseRehearsalScript(text: string, file: string): RehearsalScript {
  const source = parseYamlSource(file, text);
  const problems = source.diagnostics.filter((entry) => entry.severity === 'error');
  if (problems.length > 0) throw scriptError(problems);
  if (source.value === undefined || source.value === null) {
    throw scriptError([
      {
        severity: 'error',
        code: 'script-empty',
        file,
        line: 1,
        column: 1,
        message: 'the rehearsal script is empty',
        hint: 'write agents: with each agent’s steps, or fallback: with a text',
      },
    ]);
  }
  const parsed = RehearsalScript.safeParse(source.value);
  if (parsed.success) return parsed.data;
  throw scriptError(
    diagnosticsFromIssues(
      parsed.error.issues,
      RehearsalScript,
      source.value,
      source.locate,
      'the rehearsal script',
    ),
  );
}

/** Reads and parses a rehearsal script file (UTF-8, at most 1 MiB); throws a located `ConfigError`. */
export async function loadRehearsalScript(file: string): Promise<RehearsalScript> {
  const text = await readSourceText(file, file);
  if ('problem' in text) throw scriptError([text.problem]);
  return parseRehearsalScript(text.text, file);
}

/**
 * Checks a script built in code (not read from YAML). Throws a `CadreError` (code
 * `script-invalid`) naming each wrong path.
 */
export function checkRehearsalScript(value: unknown): RehearsalScript {
  const parsed = RehearsalScript.safeParse(value);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map(
    (issue) =>
      `${issue.path.length > 0 ? issue.path.map(String).join('.') : '(top)'}: ${issue.message}`,
  );
  throw new CadreError({
    code: 'script-invalid',
    message: `the rehearsal script is invalid:\n${lines.join('\n')}`,
    hint: 'see RehearsalScript in src/model/fake-server/script.ts for the allowed shape',
  });
}

const unknownProblem: Diagnostic = {
  severity: 'error',
  code: 'script-invalid',
  file: 'the rehearsal script',
  line: 1,
  column: 1,
  message: 'the rehearsal script is invalid',
};

function scriptError(problems: readonly Diagnostic[]): ConfigError {
  const [first = unknownProblem, ...rest] = sortDiagnostics(problems);
  const more = rest.map((entry) => `\n${formatDiagnostic(entry)}`).join('');
  return new ConfigError({
    code: 'script-invalid',
    message: `${first.message}${more}`,
    file: first.file,
    line: first.line,
    column: first.column,
    ...(first.hint === undefined ? {} : { hint: first.hint }),
  });
}
