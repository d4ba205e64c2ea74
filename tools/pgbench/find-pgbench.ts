import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { CadreError } from '../../src/errors.js';

/** What the server says when it cannot find pgbench. */
export const pgbenchMissingMessage =
  'pgbench is not installed: apt-get install postgresql-client, or set --pgbench-path';

/** The pgbench binary found and the version it reports. */
export interface PgbenchBinary {
  /** Absolute path of the binary. */
  path: string;
  /** The first line of `pgbench --version`, such as `pgbench (PostgreSQL) 15.20`. */
  versionText: string;
  /** Major version (15 for 15.20); undefined when the output was not understood. */
  major: number | undefined;
}

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function missing(detail?: string): CadreError {
  return new CadreError({
    code: 'pgbench-missing',
    message: detail === undefined ? pgbenchMissingMessage : `${pgbenchMissingMessage} (${detail})`,
    hint: 'install the PostgreSQL client tools, or point --pgbench-path at the pgbench binary',
  });
}

/** Finds pgbench at the given path, or on PATH; throws a clear CadreError when it is missing. */
export async function locatePgbench(
  givenPath: string | undefined,
  searchPath: string = process.env.PATH ?? '',
): Promise<string> {
  if (givenPath !== undefined && givenPath !== '') {
    const path = resolve(givenPath);
    if (await isExecutableFile(path)) return path;
    throw missing(`${path} is not an executable file`);
  }
  for (const directory of searchPath.split(delimiter)) {
    if (directory === '' || !isAbsolute(directory)) continue;
    const candidate = join(directory, 'pgbench');
    if (await isExecutableFile(candidate)) return candidate;
  }
  throw missing();
}

/** Parses the major version out of `pgbench --version` output. */
export function pgbenchMajorVersion(versionText: string): number | undefined {
  const match = /\(PostgreSQL\)\s+([0-9]+)/.exec(versionText);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** Locates pgbench and asks it for its version (`pgbench --version`, 10 s at most). */
export async function findPgbench(givenPath: string | undefined): Promise<PgbenchBinary> {
  const path = await locatePgbench(givenPath);
  const versionText = await new Promise<string>((resolveVersion, reject) => {
    execFile(
      path,
      ['--version'],
      { timeout: 10_000, env: { PATH: process.env.PATH ?? '', LC_ALL: 'C' }, encoding: 'utf8' },
      (error, stdout) => {
        if (error) {
          reject(missing(`${path} --version failed: ${error.message.split('\n')[0] ?? ''}`));
          return;
        }
        resolveVersion(stdout.trim().split('\n')[0] ?? '');
      },
    );
  });
  if (!/pgbench/i.test(versionText)) {
    throw missing(`${path} does not say it is pgbench: '${versionText}'`);
  }
  return { path, versionText, major: pgbenchMajorVersion(versionText) };
}
