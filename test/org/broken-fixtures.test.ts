import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/org/diagnostic.js';
import { loadPaths } from '../../src/org/load-paths.js';

const run = promisify(execFile);
const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
const brokenDir = fileURLToPath(new URL('../fixtures/broken/', import.meta.url));

/** One broken org under test/fixtures/broken/: its single mistake and where it must be reported. */
interface BrokenFixture {
  /** The fixture's folder under test/fixtures/broken/. */
  fixture: string;
  /** The test's name, as a sentence. */
  title: string;
  /** The diagnostic code src/org produces for the mistake. */
  code: string;
  /** The file, relative to the fixture folder, where the mistake is reported. */
  file: string;
  line: number;
  column: number;
  /** A part of the message, where the code alone does not tell which check fired. */
  message?: string;
  /** A part of the hint, such as a "did you mean". */
  hint?: string;
}

const fixtures: readonly BrokenFixture[] = [
  // Reading and parsing files.
  {
    fixture: 'yaml-unclosed-quote',
    title: 'reports an unclosed quote as a YAML syntax error where the quote opens',
    code: 'yaml-missing-char',
    file: 'chief-1.yaml',
    line: 2,
    column: 7,
  },
  {
    fixture: 'yaml-bad-indent',
    title: 'reports a badly indented list item as a YAML syntax error',
    code: 'yaml-bad-indent',
    file: 'chief-1.yaml',
    line: 8,
    column: 4,
  },
  {
    fixture: 'empty-agent-file',
    title: 'reports an empty agent file',
    code: 'file-empty',
    file: 'chief-1.yaml',
    line: 1,
    column: 1,
  },
  {
    fixture: 'empty-org-file',
    title: 'reports an empty org.yaml',
    code: 'file-empty',
    file: 'org.yaml',
    line: 1,
    column: 1,
  },
  {
    fixture: 'proto-key',
    title: 'refuses a __proto__ key',
    code: 'yaml-forbidden-key',
    file: 'chief-1.yaml',
    line: 5,
    column: 1,
  },
  {
    fixture: 'file-too-large',
    title: 'refuses an agent file of 5 MB',
    code: 'file-too-large',
    file: 'chief-1.yaml',
    line: 1,
    column: 1,
  },
  {
    fixture: 'not-utf8',
    title: 'refuses an agent file that is not UTF-8',
    code: 'not-utf8',
    file: 'chief-1.yaml',
    line: 1,
    column: 1,
  },
  {
    fixture: 'two-documents',
    title: 'refuses a file that holds two YAML documents',
    code: 'yaml-many-documents',
    file: 'chief-1.yaml',
    line: 7,
    column: 1,
  },
  // The shape of an agent file.
  {
    fixture: 'peers-not-a-list',
    title: 'reports peers written as a string instead of a list',
    code: 'invalid-value',
    file: 'chief-1.yaml',
    line: 7,
    column: 8,
    message: 'expected a list',
  },
  {
    fixture: 'role-not-a-string',
    title: 'reports a role written as a number',
    code: 'invalid-value',
    file: 'chief-1.yaml',
    line: 3,
    column: 7,
    message: 'role must be one of',
  },
  {
    fixture: 'role-invalid',
    title: 'reports a role that is not ceo, chief, domain or layer',
    code: 'invalid-value',
    file: 'chief-1.yaml',
    line: 3,
    column: 7,
    message: 'manager',
  },
  {
    fixture: 'unknown-key-typo',
    title: 'reports a misspelt key, with a suggestion',
    code: 'unknown-key',
    file: 'chief-1.yaml',
    line: 4,
    column: 1,
    message: 'reprots_to',
    hint: "did you mean 'reports_to'?",
  },
  {
    fixture: 'missing-description',
    title: 'reports an agent file without a description',
    code: 'missing-key',
    file: 'chief-1.yaml',
    line: 1,
    column: 1,
    message: 'description',
  },
  {
    fixture: 'duration-peer-wait',
    title: 'reports a peer wait that is not a duration',
    code: 'invalid-value',
    file: 'chief-1.yaml',
    line: 9,
    column: 11,
    message: 'not a duration',
  },
  {
    fixture: 'grant-invalid',
    title: 'reports a grant that is not read, write or admin',
    code: 'invalid-value',
    file: 'chief-1.yaml',
    line: 9,
    column: 12,
    message: 'grant must be read, write or admin',
  },
  // The shape of org.yaml.
  {
    fixture: 'env-reference-malformed',
    title: 'reports a malformed env reference in a target url',
    code: 'invalid-value',
    file: 'org.yaml',
    line: 6,
    column: 10,
    message: 'environment reference',
  },
  {
    fixture: 'url-literal-password',
    title: 'refuses a literal password in a target url',
    code: 'invalid-value',
    file: 'org.yaml',
    line: 6,
    column: 10,
    message: 'literal password',
  },
  // Ids, the root and the reporting lines.
  {
    fixture: 'duplicate-id',
    title: 'reports an id used by two agent files',
    code: 'duplicate-id',
    file: 'chief-2.yaml',
    line: 1,
    column: 5,
  },
  {
    fixture: 'root-missing',
    title: 'reports a root that is not an agent, with a suggestion',
    code: 'root-missing',
    file: 'org.yaml',
    line: 2,
    column: 7,
    hint: "did you mean 'the-bos'?",
  },
  {
    fixture: 'root-not-ceo',
    title: 'reports a root whose role is not ceo',
    code: 'root-not-ceo',
    file: 'boss.yaml',
    line: 3,
    column: 7,
  },
  {
    fixture: 'two-ceos',
    title: 'reports a second ceo',
    code: 'second-ceo',
    file: 'chairman.yaml',
    line: 3,
    column: 7,
  },
  {
    fixture: 'root-reports',
    title: 'reports a ceo that has a reports_to',
    code: 'root-reports',
    file: 'ceo.yaml',
    line: 4,
    column: 13,
  },
  {
    fixture: 'reports-to-unknown',
    title: 'reports a reports_to that names no agent, with a suggestion',
    code: 'reports-to-unknown',
    file: 'domain-1.yaml',
    line: 4,
    column: 13,
    message: "reports_to 'chief-2'",
    hint: "did you mean 'chief-1'?",
  },
  {
    fixture: 'reports-to-self',
    title: 'reports an agent that reports to itself',
    code: 'reports-to-self',
    file: 'chief-1.yaml',
    line: 4,
    column: 13,
  },
  {
    fixture: 'reports-cycle',
    title: 'reports reporting lines that form a cycle',
    code: 'reports-cycle',
    file: 'chief-1.yaml',
    line: 4,
    column: 13,
  },
  {
    fixture: 'reports-downward',
    title: 'reports a layer that reports to the ceo',
    code: 'reports-to-wrong-level',
    file: 'layer-1.yaml',
    line: 4,
    column: 13,
  },
  {
    fixture: 'reports-to-missing',
    title: 'reports an agent other than the ceo that reports to nobody',
    code: 'reports-to-missing',
    file: 'chief-1.yaml',
    line: 3,
    column: 7,
  },
  // Peers.
  {
    fixture: 'peer-unknown',
    title: 'reports a peer that is not an agent',
    code: 'peer-unknown',
    file: 'chief-1.yaml',
    line: 8,
    column: 9,
  },
  {
    fixture: 'peer-self',
    title: 'reports an agent that names itself as a peer',
    code: 'peer-self',
    file: 'chief-1.yaml',
    line: 8,
    column: 9,
  },
  // Prompts.
  {
    fixture: 'prompt-missing',
    title: 'reports a prompt file that does not exist',
    code: 'prompt-missing',
    file: 'chief-1.yaml',
    line: 6,
    column: 9,
  },
  {
    fixture: 'prompt-outside',
    title: 'refuses a prompt path that climbs out of prompts/',
    code: 'prompt-outside',
    file: 'chief-1.yaml',
    line: 6,
    column: 9,
  },
  {
    fixture: 'prompts-folder-missing',
    title: 'reports a prompt file when paths.prompts names no folder',
    code: 'prompts-folder-missing',
    file: 'chief-1.yaml',
    line: 6,
    column: 9,
  },
  // Tools and targets.
  {
    fixture: 'tool-unknown',
    title: 'reports a tool that does not exist',
    code: 'tool-unknown',
    file: 'chief-1.yaml',
    line: 8,
    column: 5,
    message: 'mysql',
  },
  {
    fixture: 'grant-exceeds-target',
    title: 'reports a write grant on a target whose access is read',
    code: 'grant-exceeds-target',
    file: 'chief-1.yaml',
    line: 9,
    column: 12,
  },
  {
    fixture: 'target-kind',
    title: 'reports redis-cli pointed at a postgres target',
    code: 'target-kind',
    file: 'chief-1.yaml',
    line: 9,
    column: 13,
  },
  {
    fixture: 'target-unknown',
    title: 'reports a tool target that is not in org.yaml, with a suggestion',
    code: 'target-unknown',
    file: 'chief-1.yaml',
    line: 9,
    column: 13,
    hint: "did you mean 'db'?",
  },
  // Rule sets.
  {
    fixture: 'rule-set-missing',
    title: 'reports a rule set that does not exist, with a suggestion',
    code: 'rule-set-missing',
    file: 'org.yaml',
    line: 4,
    column: 15,
    hint: "did you mean 'standard'?",
  },
  {
    fixture: 'rule-target-unknown',
    title: 'reports a rule that escalates to an agent that does not exist',
    code: 'rule-target-unknown',
    file: 'escalation/standard.yaml',
    line: 5,
    column: 9,
  },
  {
    fixture: 'rule-role-absent',
    title: 'reports a rule that escalates to a role no agent of the org has',
    code: 'rule-role-absent',
    file: 'escalation/standard.yaml',
    line: 5,
    column: 9,
    hint: 'roles in this org: ceo, chief',
  },
  {
    fixture: 'rule-set-name',
    title: 'reports a rule set whose name differs from its file name',
    code: 'rule-set-name',
    file: 'escalation/standard.yaml',
    line: 1,
    column: 7,
  },
  {
    fixture: 'duration-negative',
    title: 'reports a wait rule whose wait is negative',
    code: 'invalid-value',
    file: 'escalation/standard.yaml',
    line: 5,
    column: 12,
    message: "'-30m' is a negative wait",
  },
  {
    fixture: 'duration-rule-after',
    title: 'reports a wait rule whose after is not a duration',
    code: 'invalid-value',
    file: 'escalation/standard.yaml',
    line: 5,
    column: 12,
    message: 'not a duration',
  },
  // Claude Code subagent files.
  {
    fixture: 'member-missing',
    title: 'reports a Claude Code agent that has no members entry in org.yaml',
    code: 'member-missing',
    file: 'helper.md',
    line: 2,
    column: 7,
  },
  {
    fixture: 'member-without-file',
    title: 'reports a members entry that no Claude Code file defines',
    code: 'member-without-file',
    file: 'org.yaml',
    line: 4,
    column: 3,
  },
  {
    fixture: 'subagent-no-frontmatter',
    title: 'reports a Claude Code agent file without frontmatter',
    code: 'subagent-no-frontmatter',
    file: 'helper.md',
    line: 1,
    column: 1,
  },
];

/** Where a fixture's mistake must be reported, as the CLI prints it (relative to the repository root). */
function expectedFile(entry: BrokenFixture): string {
  return ['test', 'fixtures', 'broken', entry.fixture, entry.file].join('/');
}

/** A diagnostic's file relative to the repository root, with / separators, however it was written. */
function displayFile(entry: Diagnostic): string {
  return relative(repositoryRoot, resolve(repositoryRoot, entry.file)).split('\\').join('/');
}

/** Runs the built CLI; resolves to its exit code and stdout, whatever the exit code. */
async function validateWithCli(dir: string): Promise<{ exitCode: number; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, ['dist/src/cli/main.js', 'validate', dir], {
      cwd: repositoryRoot,
    });
    return { exitCode: 0, stdout };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: unknown };
    if (typeof failed.code !== 'number') throw error;
    return { exitCode: failed.code, stdout: String(failed.stdout ?? '') };
  }
}

/** Maps over items with at most `limit` promises at a time, keeping the order. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

describe('each broken fixture', () => {
  for (const entry of fixtures) {
    it(entry.title, async () => {
      const results = await loadPaths([join(brokenDir, entry.fixture)]);
      expect(results).toHaveLength(1);
      const errors = (results[0]?.diagnostics ?? []).filter((found) => found.severity === 'error');
      const located = errors.map((found) => ({
        code: found.code,
        where: `${displayFile(found)}:${found.line}:${found.column}`,
      }));
      expect(located).toContainEqual({
        code: entry.code,
        where: `${expectedFile(entry)}:${entry.line}:${entry.column}`,
      });
      const found = errors.find(
        (candidate) =>
          candidate.code === entry.code &&
          displayFile(candidate) === expectedFile(entry) &&
          candidate.line === entry.line &&
          candidate.column === entry.column,
      );
      if (entry.message !== undefined) expect(found?.message).toContain(entry.message);
      if (entry.hint !== undefined) expect(found?.hint).toContain(entry.hint);
    });
  }
});

describe('the broken fixtures', () => {
  it('each make the built cadre validate exit 1 and print the error at its file:line:col', async () => {
    const outcomes = await mapLimited(fixtures, 8, async (entry) => {
      const { exitCode, stdout } = await validateWithCli(join(brokenDir, entry.fixture));
      const location = `${expectedFile(entry)}:${entry.line}:${entry.column}: error:`;
      return {
        fixture: entry.fixture,
        exitCode,
        printed: stdout.includes(location) ? location : stdout,
      };
    });
    expect(outcomes).toEqual(
      fixtures.map((entry) => ({
        fixture: entry.fixture,
        exitCode: 1,
        printed: `${expectedFile(entry)}:${entry.line}:${entry.column}: error:`,
      })),
    );
  }, 120_000);

  it('are all in the table, at least 25 of them', async () => {
    const folders = (await readdir(brokenDir, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    const listed = fixtures.map((entry) => entry.fixture).sort();
    expect(listed).toEqual(folders);
    expect(new Set(listed).size).toBe(listed.length);
    expect(folders.length).toBeGreaterThanOrEqual(25);
  });

  it('each have a test name of their own', () => {
    const titles = fixtures.map((entry) => entry.title);
    expect(new Set(titles).size).toBe(titles.length);
  });
});
