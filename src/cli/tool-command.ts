import type { Command } from 'commander';
import type { CommandOutput } from './output.js';

/** The built-in tool servers and the function each one's main module exports. */
const toolEntries: Record<string, string> = {
  psql: 'runPsqlCli',
  'redis-cli': 'runRedisCli',
  pgbench: 'runPgbenchCli',
};

/** Serves one of cadre's MCP tool servers over stdio, for any MCP client; runs until stdin closes. */
export async function runTool(
  name: string,
  argv: string[],
  output: CommandOutput,
): Promise<number> {
  const entry = toolEntries[name];
  if (!entry) {
    output.error(
      `cadre tool: unknown tool '${name}'; cadre's tools are ${Object.keys(toolEntries).join(', ')}`,
    );
    return 1;
  }
  const module = (await import(
    new URL(`../../tools/${name}/main.js`, import.meta.url).href
  )) as Record<string, (argv: string[]) => Promise<void>>;
  const run = module[entry];
  if (!run) throw new Error(`tools/${name}/main.js does not export ${entry}`);
  await run(['node', `cadre tool ${name}`, ...argv]);
  return 0;
}

/** Registers `cadre tool <name> [options…]`. */
export function registerTool(
  program: Command,
  output: CommandOutput,
  setExit: (code: number) => void,
): void {
  program
    .command('tool')
    .description(
      'serve one of cadre’s MCP tool servers (psql, redis-cli, pgbench) over stdio, for any MCP client',
    )
    .argument('<name>', 'psql, redis-cli or pgbench')
    .argument(
      '[options...]',
      'the tool’s own options: --url <url|env:NAME>, --grant <read|write|admin>, … (see cadre tool <name> --help)',
    )
    .allowUnknownOption()
    .helpOption(false)
    .addHelpText(
      'after',
      '\nExamples:\n  $ cadre tool psql --url env:DATABASE_URL --grant read\n  $ cadre tool redis-cli --url env:REDIS_URL\n  $ cadre tool pgbench --url env:DATABASE_URL --grant write',
    )
    .action(async (name: string, options: string[]) => {
      setExit(await runTool(name, options, output));
    });
}
