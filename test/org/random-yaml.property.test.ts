import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadOrg } from '../../src/org/load-org.js';
import { parseSubagentFile } from '../../src/org/subagent-file.js';
import { parseYamlSource } from '../../src/org/yaml-source.js';
import { smallOrg, writeTempTree } from '../helpers/temp-org.js';

let dir = '';
let remove: () => Promise<void> = async () => undefined;
beforeAll(async () => {
  ({ dir, remove } = await writeTempTree(smallOrg));
});
afterAll(async () => remove());

/** Random YAML text: structured values rendered as YAML, raw noise, and near-YAML fragments. */
const yamlText = fc.oneof(
  fc.anything({ withNullPrototype: true, withObjectString: true }).map((value) => {
    try {
      return (stringify(value) as string | undefined) ?? '';
    } catch {
      return String(value);
    }
  }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc
    .array(
      fc.constantFrom(
        'id: ',
        'role: ',
        '- ',
        '  ',
        ': ',
        '{',
        '}',
        '[',
        ']',
        '&a ',
        '*a',
        '!!',
        '"',
        "'",
        '\n',
        '#',
        '__proto__: 1',
        'toString: ',
        'constructor: 1',
        'reports_to: ',
        'peers:',
        'x',
      ),
      { maxLength: 60 },
    )
    .map((parts) => parts.join('')),
);

describe('random YAML', () => {
  it('never throws from the YAML reader, and every problem has a 1-based place', () => {
    fc.assert(
      fc.property(yamlText, (text) => {
        const source = parseYamlSource('random.yaml', text);
        for (const entry of source.diagnostics) {
          expect(entry.line).toBeGreaterThanOrEqual(1);
          expect(entry.column).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('places an unclosed quote in a text that begins with an empty line (the scan back ends)', () => {
    for (const text of ['\na": "', "\na': '", '\naa": "', '\n\n\nkey": "']) {
      const source = parseYamlSource('quote.yaml', text);
      const problem = source.diagnostics.find((entry) => entry.code === 'yaml-missing-char');

      expect(problem, JSON.stringify(text)).toBeDefined();
      expect(problem?.line).toBeGreaterThanOrEqual(1);
      expect(source.value).toBeUndefined();
    }
  });

  it('never throws from the subagent reader', () => {
    fc.assert(
      fc.property(yamlText, fc.string(), (frontmatter, body) => {
        const parsed = parseSubagentFile('random.md', `---\n${frontmatter}\n---\n${body}`);
        expect(Array.isArray(parsed.diagnostics)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('reports fields named after Object.prototype members as unknown, in org.yaml and agent files', async () => {
    const cases: [string, string, RegExp][] = [
      ['agents/acme/org.yaml', 'toString: ""', /unknown key 'toString'/],
      ['agents/acme/org.yaml', 'valueOf: 1', /unknown key 'valueOf'/],
      ['agents/acme/layer-1.yaml', 'hasOwnProperty: 1', /hasOwnProperty/],
      ['agents/acme/org.yaml', 'constructor: 1', /the key 'constructor' is not allowed/],
    ];
    for (const [file, line, expected] of cases) {
      await writeFile(join(dir, file), `${smallOrg[file] ?? ''}\n${line}\n`);
      try {
        const loaded = await loadOrg(join(dir, 'agents/acme'));
        const errors = loaded.diagnostics.filter((entry) => entry.severity === 'error');

        expect(errors.map((entry) => entry.message).join('\n'), `${file}: ${line}`).toMatch(
          expected,
        );
        for (const entry of errors) expect(entry.line).toBeGreaterThanOrEqual(1);
      } finally {
        await writeFile(join(dir, file), smallOrg[file] ?? '');
      }
    }
  });

  it('never throws from loading an org whose agent file or org.yaml is random', async () => {
    await fc.assert(
      fc.asyncProperty(yamlText, fc.boolean(), async (text, replaceOrgFile) => {
        const target = replaceOrgFile ? 'agents/acme/org.yaml' : 'agents/acme/layer-1.yaml';
        await writeFile(join(dir, target), text);
        try {
          const loaded = await loadOrg(join(dir, 'agents/acme'));
          for (const entry of loaded.diagnostics) expect(entry.line).toBeGreaterThanOrEqual(1);
        } finally {
          await writeFile(join(dir, target), smallOrg[target] ?? '');
        }
      }),
      { numRuns: 150 },
    );
  });
});
