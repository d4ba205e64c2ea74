import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../helpers/run-cli.js';

const run = promisify(execFile);

describe('the README', () => {
  it('has a library example that runs as written against the built package', async () => {
    const readme = await readFile(join(repositoryRoot, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Library'));
    const code = /```js\n([\s\S]*?)```/.exec(section)?.[1];
    expect(code).toContain("from 'cadre'");
    const folder = join(repositoryRoot, 'test-results');
    await mkdir(folder, { recursive: true });
    const file = join(folder, 'readme-example.mjs');
    await writeFile(file, code ?? '');
    const { stdout } = await run(process.execPath, [file], { cwd: repositoryRoot });
    const lines = stdout.trim().split('\n');
    expect(lines.slice(0, 2)).toEqual(['@user → ceo (task)', 'ceo → chief-1 (task)']);
    expect(lines).toContain('domain-1 → layer-14 (task)');
    expect(lines.at(-1)).toMatch(/^completed 10 CEO summary\. Answer from chief-1:/);
  });
});
