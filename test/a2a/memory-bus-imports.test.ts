import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Import and re-export statements that load a module at run time (`import type` ones do not). */
const statement = /^\s*(?:import|export)\s+(?!type\b)[^;]*?\bfrom\s+'([^']+)'/gm;
const sideEffect = /^\s*import\s+'([^']+)'/gm;

/**
 * Every package a source file loads at run time, following its relative imports through the
 * tree: package name → the first file (relative to the repository) that imports it.
 */
function packagesLoadedBy(entry: string): Map<string, string> {
  const packages = new Map<string, string>();
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of [...text.matchAll(statement), ...text.matchAll(sideEffect)]) {
      const specifier = match[1] ?? '';
      if (specifier.startsWith('.')) visit(join(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else if (!packages.has(specifier)) packages.set(specifier, relative(root, file));
    }
  };
  visit(join(root, entry));
  return packages;
}

describe('the memory bus loads no zod', () => {
  it('checks messages with checkMessage, without loading zod or yaml', () => {
    const packages = packagesLoadedBy('src/a2a/memory-bus.ts');

    expect([...packages.keys()].filter((name) => name === 'zod' || name === 'yaml')).toEqual([]);
  });

  it('sees a package import where there is one (the main entry loads zod)', () => {
    expect(packagesLoadedBy('src/index.ts').has('zod')).toBe(true);
  });
});
