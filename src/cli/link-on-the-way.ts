import { lstat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/**
 * Why `path` (inside `out`) cannot be written without following a symbolic link or passing
 * through a file, if it cannot: `out`, a folder between, or the file itself is a link. Used
 * before writing into a folder someone else may have prepared (a cloned repository).
 */
export async function linkOnTheWay(out: string, path: string): Promise<string | undefined> {
  const steps = relative(out, path).split(sep);
  for (let depth = 0; depth <= steps.length; depth += 1) {
    const step = depth === 0 ? out : join(out, ...steps.slice(0, depth));
    const info = await lstat(step).catch(() => undefined);
    if (info === undefined) return undefined;
    if (info.isSymbolicLink()) {
      return `${depth === 0 ? 'the output folder' : relative(process.cwd(), step)} is a symbolic link, and cadre never writes through links: remove it or choose another folder`;
    }
    if (depth < steps.length && !info.isDirectory()) {
      return `${relative(process.cwd(), step)} is a file, not a folder: choose another folder`;
    }
  }
  return undefined;
}
