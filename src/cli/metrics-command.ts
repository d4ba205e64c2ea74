import type { Command } from 'commander';
import { createMcpToolHost } from '../mcp/mcp-tool-host.js';
import { runProbes } from '../mcp/metric-probes.js';
import { orgPathOrBundled } from './bundled-orgs.js';
import { loadValidOrgs } from './load-valid-orgs.js';
import type { CommandOutput } from './output.js';

/** Runs every metric probe of an org against its real targets; exit 0 when every target is met. */
export async function runMetrics(
  dir: string,
  options: { json?: boolean },
  output: CommandOutput,
): Promise<number> {
  const orgs = await loadValidOrgs([orgPathOrBundled(dir, (text) => output.error(text))], output);
  if (!orgs) return 1;
  let ok = true;
  for (const org of orgs) {
    const host = createMcpToolHost({ org });
    try {
      const results = await runProbes(org, host);
      ok &&= results.every((result) => result.met === true);
      if (options.json) {
        output.out(JSON.stringify({ org: org.name, results }, null, 2));
        continue;
      }
      output.out(`${org.name}: ${results.length} probe${results.length === 1 ? '' : 's'}`);
      for (const result of results) {
        const verdict = result.error
          ? `error: ${result.error}`
          : `${result.value} → ${result.met ? 'met' : 'MISSED'}`;
        output.out(`  ${result.agent}  ${result.metric} (${result.target}): ${verdict}`);
      }
    } finally {
      await host.close();
    }
  }
  return ok ? 0 : 1;
}

/** Registers `cadre metrics [dir]`. */
export function registerMetrics(
  program: Command,
  output: CommandOutput,
  setExit: (code: number) => void,
): void {
  program
    .command('metrics')
    .description(
      'run the agents’ metric probes against the org’s real targets (read-only) and say which targets are met',
    )
    .argument('[dir]', 'an org folder', 'agents/esa')
    .option('--json', 'print the results as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  $ DATABASE_URL=postgres://127.0.0.1/app REDIS_URL=redis://127.0.0.1:6379 cadre metrics agents/esa\n  $ cadre metrics agents/heir --json',
    )
    .action(async (dir: string, options: { json?: boolean }) => {
      setExit(await runMetrics(dir, options, output));
    });
}
