import { pathToFileURL } from 'node:url';
import { Command, InvalidArgumentError, Option } from 'commander';
import { CadreError } from '../../src/errors.js';
import { Grant } from '../../src/org/agent-schema.js';
import { resolveConnectionUrl } from '../shared/connection-url.js';
import { redactSecrets } from '../shared/redact.js';
import { serveOverStdio } from '../shared/stdio.js';
import { createPsqlServer, psqlDefaults } from './server.js';

function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number');
  return Number(value);
}

/**
 * `cadre tool psql` (and `node dist/tools/psql/main.js`): serves the psql MCP server over stdio.
 * Startup notes go to stderr; stdout is the MCP channel.
 */
export async function runPsqlCli(argv: string[]): Promise<void> {
  const program = new Command('psql')
    .description(
      'PostgreSQL MCP server: read-only queries, plans, schema, health; writes only when granted',
    )
    .option(
      '--url <url>',
      'postgres:// URL, or env:NAME to read it from the environment',
      'env:DATABASE_URL',
    )
    .addOption(
      new Option('--grant <grant>', 'read, write or admin').choices(Grant.options).default('read'),
    )
    .option(
      '--timeout-ms <ms>',
      'statement_timeout of every statement',
      wholeNumber,
      psqlDefaults.timeoutMs,
    )
    .option(
      '--max-rows <rows>',
      'the most rows a statement returns',
      wholeNumber,
      psqlDefaults.maxRows,
    )
    .option(
      '--pool-size <connections>',
      'connections in the pool',
      wholeNumber,
      psqlDefaults.poolSize,
    )
    .showHelpAfterError();
  program.parse(argv);
  const options = program.opts<{
    url: string;
    grant: Grant;
    timeoutMs: number;
    maxRows: number;
    poolSize: number;
  }>();
  const psql = await createPsqlServer({
    url: resolveConnectionUrl(options.url),
    grant: options.grant,
    timeoutMs: options.timeoutMs,
    maxRows: options.maxRows,
    poolSize: options.poolSize,
  });
  for (const note of psql.startupNotes) process.stderr.write(`cadre psql: ${note}\n`);
  await serveOverStdio(psql.server, () => psql.close());
  // The stdio transport does not notice the end of its input; close the pool then, so that the
  // process exits as soon as the client goes away.
  process.stdin.once('end', () => {
    void psql.close();
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    await runPsqlCli(process.argv);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const hint = error instanceof CadreError && error.hint ? `\nhint: ${error.hint}` : '';
    process.stderr.write(`cadre psql: ${redactSecrets(message)}${hint}\n`);
    process.exitCode = 1;
  }
}
