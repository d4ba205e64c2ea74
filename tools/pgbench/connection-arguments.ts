import { CadreError } from '../../src/errors.js';

/** How pgbench reaches the target: options for its argument list, and secrets for its environment. */
export interface PgbenchConnection {
  /** `-h host -p port -U user`, each value its own argument. */
  arguments: string[];
  /** The database name, passed as pgbench's last argument. */
  database: string | undefined;
  /** Environment for the child: PGPASSWORD and libpq settings from the URL's query. */
  environment: Record<string, string>;
  /** `user@host:port/database`, without the password, for notes and messages. */
  description: string;
  /** URL query parameters that pgbench cannot use and that are ignored. */
  ignoredParameters: string[];
}

/** URL query parameters and the libpq environment variables that carry them to pgbench. */
const parameterVariables: Record<string, string> = {
  sslmode: 'PGSSLMODE',
  sslcert: 'PGSSLCERT',
  sslkey: 'PGSSLKEY',
  sslrootcert: 'PGSSLROOTCERT',
  sslcrl: 'PGSSLCRL',
  sslcompression: 'PGSSLCOMPRESSION',
  gssencmode: 'PGGSSENCMODE',
  channel_binding: 'PGCHANNELBINDING',
  connect_timeout: 'PGCONNECT_TIMEOUT',
  application_name: 'PGAPPNAME',
  target_session_attrs: 'PGTARGETSESSIONATTRS',
  options: 'PGOPTIONS',
};

function invalid(message: string, hint: string): CadreError {
  return new CadreError({ code: 'pgbench-url-invalid', message, hint });
}

/**
 * Turns a PostgreSQL URL into pgbench's connection options. Host, port and user become
 * separate `-h`, `-p`, `-U` arguments and the database name pgbench's last argument; the
 * password goes only into the child's environment (PGPASSWORD), never into its arguments.
 */
export function pgbenchConnection(url: string): PgbenchConnection {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(
      'the connection URL is not a URL',
      'give a URL such as postgres://user@127.0.0.1:5432/app',
    );
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw invalid(
      `the connection URL uses ${parsed.protocol} but pgbench needs postgres:`,
      'give a URL such as postgres://user@127.0.0.1:5432/app',
    );
  }
  const query = parsed.searchParams;
  const decode = (text: string): string => {
    try {
      return decodeURIComponent(text);
    } catch {
      throw invalid(
        'the connection URL has a malformed %-escape',
        'escape special characters as %XX',
      );
    }
  };
  const host = query.get('host') ?? decode(parsed.hostname.replace(/^\[(.*)\]$/, '$1'));
  const port = query.get('port') ?? parsed.port;
  const user = query.get('user') ?? decode(parsed.username);
  const password = query.get('password') ?? decode(parsed.password);
  const database = query.get('dbname') ?? decode(parsed.pathname.replace(/^\//, ''));

  if (port !== '' && !/^[0-9]{1,5}$/.test(port)) {
    throw invalid(`the port '${port}' is not a number`, 'write a port such as 5432');
  }
  if (database.startsWith('-') || database.includes('=') || /^postgres(?:ql)?:/i.test(database)) {
    throw invalid(
      `the database name '${database}' could be read by pgbench as an option or a connection string`,
      'use a plain database name',
    );
  }

  const argumentsList: string[] = [];
  if (host !== '') argumentsList.push('-h', host);
  if (port !== '') argumentsList.push('-p', port);
  if (user !== '') argumentsList.push('-U', user);

  const environment: Record<string, string> = {};
  if (password !== '') environment.PGPASSWORD = password;
  const ignoredParameters: string[] = [];
  for (const [key, value] of query) {
    if (['host', 'port', 'user', 'password', 'dbname'].includes(key)) continue;
    const variable = parameterVariables[key];
    if (variable !== undefined) environment[variable] = value;
    else if (key === 'ssl' && /^(?:true|1|require)$/i.test(value))
      environment.PGSSLMODE = 'require';
    else ignoredParameters.push(key);
  }

  const where = `${host || 'localhost'}:${port || '5432'}`;
  return {
    arguments: argumentsList,
    database: database === '' ? undefined : database,
    environment,
    description: `${user === '' ? '' : `${user}@`}${where}/${database || '(default database)'}`,
    ignoredParameters,
  };
}
