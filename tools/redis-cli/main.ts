import { Command, InvalidArgumentError, Option } from 'commander';
import { pathToFileURL } from 'node:url';
import { CadreError } from '../../src/errors.js';
import type { Grant } from '../../src/org/agent-schema.js';
import { resolveConnectionUrl } from '../shared/connection-url.js';
import { redactSecrets } from '../shared/redact.js';
import { serveOverStdio } from '../shared/stdio.js';
import { createRedisServer, defaultMaxReplyBytes, defaultTimeoutMs } from './server.js';

function positiveInteger(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new InvalidArgumentError('give a whole number above 0');
  }
  return value;
}

interface CliOptions {
  url: string;
  grant: Grant;
  timeoutMs: number;
  maxReplyBytes: number;
}

/**
 * The redis-cli MCP server as a command (`cadre tool redis-cli`, or `node main.js`): resolves
 * `--url` (default `env:REDIS_URL`), connects, writes the startup notes to stderr (stdout is
 * the MCP channel) and serves over stdio until stdin closes. Throws a CadreError when the
 * URL cannot be resolved or Redis cannot be reached.
 */
export async function runRedisCli(argv: string[]): Promise<void> {
  const program = new Command('redis-cli')
    .description(
      'Redis as an MCP server over stdio: allow-listed commands as argument arrays, INFO with derived figures, slowlog, latency, memory and bigkeys',
    )
    .option(
      '--url <url>',
      'Redis URL, or env:NAME to read it from the environment',
      'env:REDIS_URL',
    )
    .addOption(
      new Option('--grant <grant>', 'which commands may be sent')
        .choices(['read', 'write', 'admin'])
        .default('read'),
    )
    .option('--timeout-ms <ms>', 'timeout of each command', positiveInteger, defaultTimeoutMs)
    .option(
      '--max-reply-bytes <bytes>',
      'cap on the bytes of values one reply shows',
      positiveInteger,
      defaultMaxReplyBytes,
    );
  program.parse(argv);
  const options = program.opts<CliOptions>();
  const url = resolveConnectionUrl(options.url);
  const redisServer = await createRedisServer({
    url,
    grant: options.grant,
    timeoutMs: options.timeoutMs,
    maxReplyBytes: options.maxReplyBytes,
  });
  for (const note of redisServer.startupNotes) process.stderr.write(`redis-cli: ${note}\n`);
  await serveOverStdio(redisServer.server, () => redisServer.close());
  // The stdio transport does not notice the end of stdin; the client closing it ends the server.
  process.stdin.once('end', () => {
    void redisServer.close();
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    await runRedisCli(process.argv);
  } catch (error) {
    const message =
      error instanceof CadreError
        ? `${error.message}${error.hint ? `\n  ${error.hint}` : ''}`
        : error instanceof Error
          ? error.message
          : String(error);
    process.stderr.write(`redis-cli: ${redactSecrets(message)}\n`);
    process.exitCode = 1;
  }
}
