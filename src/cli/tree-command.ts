import { Option } from 'commander';
import type { Command } from 'commander';
import { renderTreeMermaid } from '../org/tree-mermaid.js';
import { renderTreeText } from '../org/tree-text.js';
import { treeView } from '../org/tree-view.js';
import { orgPathOrBundled } from './bundled-orgs.js';
import { loadValidOrgs } from './load-valid-orgs.js';
import type { CommandOutput } from './output.js';

/** Prints the hierarchy of each org; resolves to the exit code. */
export async function runTree(
  dir: string,
  options: { format: 'text' | 'json' | 'mermaid' },
  output: CommandOutput,
): Promise<number> {
  const orgs = await loadValidOrgs([orgPathOrBundled(dir, (text) => output.error(text))], output);
  if (!orgs) return 1;
  const views = orgs.map(treeView);
  if (options.format === 'json') {
    output.out(JSON.stringify(views.length === 1 ? views[0] : views, null, 2));
  } else {
    const render = options.format === 'mermaid' ? renderTreeMermaid : renderTreeText;
    output.out(views.map(render).join('\n\n'));
  }
  return 0;
}

/** Registers `cadre tree [dir] [--format text|json|mermaid]`. */
export function registerTree(
  program: Command,
  output: CommandOutput,
  setExit: (code: number) => void,
): void {
  program
    .command('tree')
    .description('show the hierarchy with roles, tools, peers, waits and escalation paths')
    .argument('[dir]', 'an org folder, a folder of orgs, or a .md subagent file', 'agents')
    .addOption(
      new Option('-f, --format <format>', 'output format')
        .choices(['text', 'json', 'mermaid'])
        .default('text'),
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ cadre tree agents/esa\n  $ cadre tree agents/esa --format json\n  $ cadre tree agents/heir --format mermaid > heir.mmd',
    )
    .action(async (dir: string, options: { format: 'text' | 'json' | 'mermaid' }) => {
      setExit(await runTree(dir, options, output));
    });
}
