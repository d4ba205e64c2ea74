import { realpath } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';

/** Whether `path` lies inside `folder` (both absolute; the folder itself does not count). */
export function isInside(folder: string, path: string): boolean {
  const between = relative(folder, path);
  return between !== '' && !between.startsWith('..') && !isAbsolute(between);
}

/**
 * Whether the file at `path`, with every symbolic link followed, still lies inside `folder`
 * (links followed too): a link inside the folder to a file elsewhere (a key, /proc/self/environ)
 * does not. `undefined` when the file does not exist.
 */
export async function resolvesInside(folder: string, path: string): Promise<boolean | undefined> {
  const [realFolder, realPath] = await Promise.all([
    realpath(folder).catch(() => folder),
    realpath(path).catch(() => undefined),
  ]);
  return realPath === undefined ? undefined : isInside(realFolder, realPath);
}
