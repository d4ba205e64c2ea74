import { CadreError } from '../../src/errors.js';
import type { Grant } from '../../src/org/agent-schema.js';
import { postgresUrlWithUser } from '../shared/connection-url.js';

/** The session settings the tool sends in every connection's startup packet. */
export interface SessionSettings {
  /** The connection URL, without the parameters the tool sets itself. */
  connectionString: string;
  /** statement_timeout, in milliseconds. */
  statement_timeout: number;
  /** idle_in_transaction_session_timeout, in milliseconds. */
  idle_in_transaction_session_timeout: number;
  /** The backend's command-line options: the URL's (or PGOPTIONS) first, then the tool's. */
  options: string;
}

/**
 * URL parameters the tool sets itself. pg lets a URL's parameters override its own config, so
 * they are taken out of the URL: `options` is merged, the timeouts are the tool's.
 */
const toolParameters = ['options', 'statement_timeout', 'idle_in_transaction_session_timeout'];

/**
 * The startup settings of a connection: the timeouts, and options that make the session read
 * only at the read grant and make quotes read as the statement checker reads them. They are the
 * session's reset values, so `DISCARD ALL` and `RESET ALL` bring them back, and no round trip is
 * spent on them. Options given in the URL (`?options=-c search_path=app`) or in PGOPTIONS are
 * kept and come first, so the tool's settings win over them.
 */
export function sessionSettings(
  url: string,
  grant: Grant,
  timeoutMs: number,
  environment: NodeJS.ProcessEnv = process.env,
): SessionSettings {
  const withUser = postgresUrlWithUser(url, environment);
  const queryStart = withUser.indexOf('?');
  let connectionString = withUser;
  let given: string | null = null;
  if (queryStart >= 0) {
    const parameters = new URLSearchParams(withUser.slice(queryStart + 1));
    given = parameters.get('options');
    for (const name of toolParameters) parameters.delete(name);
    const rest = parameters.toString();
    connectionString = withUser.slice(0, queryStart) + (rest === '' ? '' : `?${rest}`);
  }
  const userOptions = (given ?? environment.PGOPTIONS ?? '').trim();
  // A trailing backslash would escape the space before the tool's first option and swallow it.
  if (/(?<!\\)(?:\\\\)*\\$/.test(userOptions)) {
    throw new CadreError({
      code: 'psql-option-invalid',
      message: 'psql: the connection options end with a lone backslash',
      hint: 'remove the trailing backslash from options= in the URL (or from PGOPTIONS)',
    });
  }
  const toolOptions = [
    ...(grant === 'read' ? ['-c default_transaction_read_only=on'] : []),
    '-c standard_conforming_strings=on',
  ];
  return {
    connectionString,
    statement_timeout: timeoutMs,
    idle_in_transaction_session_timeout: timeoutMs + 10_000,
    options: [userOptions, ...toolOptions].filter((part) => part !== '').join(' '),
  };
}
