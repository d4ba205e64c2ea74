import { userInfo } from 'node:os';
import { CadreError } from '../../src/errors.js';
import { envVariableOf } from '../../src/org/env-reference.js';

/**
 * Resolves a connection URL given as `env:NAME` (read from the environment) or literally.
 * Throws a CadreError that names the variable when it is not set.
 */
export function resolveConnectionUrl(
  given: string,
  environment: NodeJS.ProcessEnv = process.env,
): string {
  const variable = envVariableOf(given);
  if (variable === undefined) {
    if (/^env:/i.test(given)) {
      throw new CadreError({
        code: 'env-reference-invalid',
        message: `'${given}' is not a well-formed environment reference`,
        hint: 'write env:NAME with NAME in capitals, digits and _',
      });
    }
    return given;
  }
  const value = environment[variable];
  if (value === undefined || value === '') {
    throw new CadreError({
      code: 'env-variable-missing',
      message: `the environment variable ${variable} is not set`,
      hint: `set ${variable} to the connection URL, such as postgres://127.0.0.1:5432/app`,
    });
  }
  return value;
}

/**
 * A PostgreSQL URL with a user name, as libpq would pick one: the URL's own, else `PGUSER`,
 * else `USER`, else the operating system's user name (node's pg gives up when `USER` is unset).
 */
export function postgresUrlWithUser(
  url: string,
  environment: NodeJS.ProcessEnv = process.env,
): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.username !== '' || new URLSearchParams(parsed.search).has('user')) return url;
  parsed.username = encodeURIComponent(
    environment.PGUSER || environment.USER || userInfo().username,
  );
  return parsed.toString();
}
