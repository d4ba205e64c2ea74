import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { exportClaudeCode, orgPathFrom } from '../org/export-claude-code.js';
import { orgPathOrBundled } from './bundled-orgs.js';
import { loadValidOrgs } from './load-valid-orgs.js';
import type { CommandOutput } from './output.js';

/** Options of `cadre export claude-code`. */
export interface ExportOptions {
  out: string;
  mcpJson?: string;
}

/** The CLI script of this cadre, so `.mcp.json` starts exactly the cadre that exported. */
const cliScript = fileURLToPath(new URL('./main.js', import.meta.url));

/** Exports one org for Claude Code; resolves to the exit code. */
export async function runExportClaudeCode(
  dir: string,
  options: ExportOptions,
  output: CommandOutput,
): Promise<number> {
  const orgs = await loadValidOrgs([orgPathOrBundled(dir, (text) => output.error(text))], output);
  if (!orgs) return 1;
  const [org] = orgs;
  if (!org || orgs.length > 1) {
    output.error(
      `cadre export: ${dir} holds ${orgs.length} orgs; export one org folder at a time (such as agents/esa)`,
    );
    return 1;
  }
  const out = resolve(options.out);
  const mcpJson = resolve(options.mcpJson ?? join(out, '.mcp.json'));
  const server = {
    command: 'node',
    args: [cliScript, 'mcp', '--org', orgPathFrom(dirname(mcpJson), org.dir), '--tools'],
  };
  const files = await exportClaudeCode(org, server, relative(out, mcpJson));
  for (const file of files) {
    const path = resolve(out, file.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.text);
  }
  output.out(
    `exported org '${org.name}': ${org.agents.length} agents to ${join(relative(process.cwd(), out) || '.', 'agents')}, MCP config ${relative(process.cwd(), mcpJson)}`,
  );
  return 0;
}

/** Registers `cadre export claude-code [dir] --out <dir>`. */
export function registerExport(
  program: Command,
  output: CommandOutput,
  setExit: (code: number) => void,
): void {
  const exporter = program.command('export').description('export an org for another tool');
  exporter
    .command('claude-code')
    .description(
      "write Claude Code subagent files (agents/<id>.md) and a .mcp.json that starts cadre's MCP server",
    )
    .argument('[dir]', 'the org folder', 'agents/esa')
    .requiredOption(
      '-o, --out <dir>',
      'folder to write agents/ (and .mcp.json) into, such as .claude',
    )
    .option(
      '--mcp-json <file>',
      'where to write the MCP config (default: <out>/.mcp.json; Claude Code reads ./.mcp.json)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ cadre export claude-code agents/esa --out .claude --mcp-json .mcp.json\n  $ cadre export claude-code agents/heir --out /tmp/heir-export',
    )
    .action(async (dir: string, options: ExportOptions) => {
      setExit(await runExportClaudeCode(dir, options, output));
    });
}
