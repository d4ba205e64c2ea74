import { lstat, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { exportClaudeCode, exportedMarker, orgPathFrom } from '../org/export-claude-code.js';
import { linkOnTheWay } from './link-on-the-way.js';
import { cadreServerName } from '../org/subagent-to-agent.js';
import { orgPathOrBundled } from './bundled-orgs.js';
import { loadValidOrgs } from './load-valid-orgs.js';
import type { CommandOutput } from './output.js';

/** Options of `cadre export claude-code`. */
export interface ExportOptions {
  out: string;
  mcpJson?: string;
  /** Replace files an export did not write (never through links). */
  force?: boolean;
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
  const exported = await exportClaudeCode(org, server, relative(out, mcpJson));
  const planned = exported.map((file) => ({ path: resolve(out, file.path), text: file.text }));
  // Everything is checked before anything is written: a refusal leaves the folder as it was.
  const problems: string[] = [];
  for (const file of planned) {
    let problem = await linkOnTheWay(out, file.path);
    if (problem === undefined && file.path === mcpJson) {
      const merged = await mergedMcpJson(file.path, server);
      if ('problem' in merged) problem = merged.problem;
      else if (merged.text !== undefined) file.text = merged.text;
    } else {
      problem ??= await replaceable(file.path, options.force === true);
    }
    if (problem) problems.push(`${relative(process.cwd(), file.path)}: ${problem}`);
  }
  if (problems.length > 0) {
    output.error(
      `cadre export: nothing was written:\n${problems.map((problem) => `  ${problem}`).join('\n')}`,
    );
    return 1;
  }
  for (const file of planned) {
    await mkdir(dirname(file.path), { recursive: true });
    await writeFile(file.path, file.text);
  }
  output.out(
    `exported org '${org.name}': ${org.agents.length} agents to ${join(relative(process.cwd(), out) || '.', 'agents')}, MCP config ${relative(process.cwd(), mcpJson)}`,
  );
  return 0;
}

/** Why an existing file may not be replaced, if it may not: only what an export wrote is, unless forced. */
async function replaceable(path: string, force: boolean): Promise<string | undefined> {
  const info = await lstat(path).catch(() => undefined);
  if (info === undefined) return undefined;
  if (!info.isFile()) return 'exists and is not a file';
  if (force) return undefined;
  const text = await readFile(path, 'utf8');
  return text.includes(exportedMarker)
    ? undefined
    : 'exists and was not written by cadre export; move it away, or pass --force to replace it';
}

/**
 * An existing `.mcp.json` with cadre's server put in (its other servers and keys stay): the text
 * to write, none when there is no file (the export's own is written), or why it cannot be merged.
 */
async function mergedMcpJson(
  path: string,
  server: Record<string, unknown>,
): Promise<{ text?: string } | { problem: string }> {
  const info = await lstat(path).catch(() => undefined);
  if (info === undefined) return {};
  if (!info.isFile()) return { problem: 'exists and is not a file' };
  let existing: unknown;
  try {
    existing = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    return {
      problem: `is not valid JSON (${error instanceof Error ? error.message : String(error)}): fix or remove it, and export again`,
    };
  }
  if (existing === null || typeof existing !== 'object' || Array.isArray(existing)) {
    return { problem: 'is not a JSON object: fix or remove it, and export again' };
  }
  const current = existing as { mcpServers?: unknown };
  const servers =
    current.mcpServers !== null &&
    typeof current.mcpServers === 'object' &&
    !Array.isArray(current.mcpServers)
      ? current.mcpServers
      : {};
  const merged = { ...current, mcpServers: { ...servers, [cadreServerName]: server } };
  return { text: `${JSON.stringify(merged, null, 2)}\n` };
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
      'where to write the MCP config (default: <out>/.mcp.json; Claude Code reads ./.mcp.json); an existing one keeps its other servers',
    )
    .option(
      '--force',
      'replace agent and rule files that an export did not write (never through symbolic links)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ cadre export claude-code agents/esa --out .claude --mcp-json .mcp.json\n  $ cadre export claude-code agents/heir --out /tmp/heir-export',
    )
    .action(async (dir: string, options: ExportOptions) => {
      setExit(await runExportClaudeCode(dir, options, output));
    });
}
