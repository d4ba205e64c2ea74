import { pathToFileURL } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { CadreError } from '../../src/errors.js';
import { Grant } from '../../src/org/agent-schema.js';
import { resolveConnectionUrl } from '../shared/connection-url.js';
import { redactSecrets } from '../shared/redact.js';
import { serveOverStdio } from '../shared/stdio.js';
import { createPgbenchServer, defaultMaxSeconds } from './server.js';

function wholeNumber(text: string): number {
  if (!/^[0-9]+$/.test(text)) throw new InvalidArgumentError('give a whole number');
  return Number(text);
}

function grantOption(text: string): Grant {
  const parsed = Grant.safeParse(text);
  if (!parsed.success) throw new InvalidArgumentError('give read, write or admin');
  return parsed.data;
}

function namesOption(text: string): string[] {
  return text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

/**
 * `pgbench` MCP server on stdio: `--url` (default env:DATABASE_URL), `--grant`, the limits and
 * the target names. Startup notes go to stderr; stdout is the MCP channel.
 */
export async function runPgbenchCli(argv: string[]): Promise<void> {
  const program = new Command('pgbench')
    .description('MCP server: bounded pgbench benchmarks against one PostgreSQL target')
    .option(
      '--url <url>',
      'connection URL, or env:NAME to read it from a variable',
      'env:DATABASE_URL',
    )
    .option('--grant <grant>', 'read, write or admin', grantOption, 'read' as Grant)
    .option('--pgbench-path <path>', 'the pgbench binary (default: found on PATH)')
    .option('--max-seconds <seconds>', 'longest benchmark duration', wholeNumber, defaultMaxSeconds)
    .option(
      '--timeout-ms <ms>',
      'wall-clock limit of any pgbench child (default: max + 10 s)',
      wholeNumber,
    )
    .option('--target <name>', "the org's name for this URL's target", 'postgres')
    .option('--allowed-targets <names>', "the org's target names, comma-separated", namesOption)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => process.stderr.write(text),
      writeErr: (text) => process.stderr.write(text),
    });
  program.parse(argv);
  const options = program.opts<{
    url: string;
    grant: Grant;
    pgbenchPath?: string;
    maxSeconds: number;
    timeoutMs?: number;
    target: string;
    allowedTargets?: string[];
  }>();

  const url = resolveConnectionUrl(options.url);
  const { server, close, startupNotes } = await createPgbenchServer({
    url,
    grant: options.grant,
    maxSeconds: options.maxSeconds,
    target: options.target,
    ...(options.pgbenchPath === undefined ? {} : { pgbenchPath: options.pgbenchPath }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.allowedTargets === undefined ? {} : { allowedTargets: options.allowedTargets }),
  });
  for (const note of startupNotes) process.stderr.write(`pgbench: ${note}\n`);
  const stop = async (): Promise<void> => {
    await close();
  };
  process.once('SIGTERM', () => void stop().then(() => process.exit(0)));
  process.once('SIGINT', () => void stop().then(() => process.exit(0)));
  await serveOverStdio(server, stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    await runPgbenchCli(process.argv);
  } catch (error) {
    if (error instanceof CadreError) {
      process.stderr.write(`pgbench: ${error.message}${error.hint ? `\n  ${error.hint}` : ''}\n`);
      process.exitCode = 1;
    } else if (error instanceof Error && 'exitCode' in error) {
      process.exitCode = Number(error.exitCode);
    } else {
      process.stderr.write(
        `pgbench: unexpected error: ${redactSecrets(error instanceof Error ? error.message : String(error))}\n`,
      );
      process.exitCode = 2;
    }
  }
}
