import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createMemoryBus } from '../a2a/memory-bus.js';
import { CadreError } from '../errors.js';
import { createMcpToolHost } from '../mcp/mcp-tool-host.js';
import { createRehearsalToolHost } from '../mcp/rehearsal-tool-host.js';
import type { ToolHost } from '../mcp/tool-host.js';
import type { OrgDefinition } from '../org/org-definition.js';
import { createRuntime } from '../runtime/runtime.js';
import type { Runtime } from '../runtime/runtime.js';
import { openStore } from '../store/open-store.js';
import type { RunSettings, Store } from '../store/store.js';
import { orgPathOrBundled } from './bundled-orgs.js';
import { loadValidOrgs } from './load-valid-orgs.js';
import { chooseModel } from './model-choice.js';
import type { ChosenModel } from './model-choice.js';
import type { CommandOutput } from './output.js';
import type { RunLikeOptions } from './run-options.js';

/** How tool calls are served. */
export type ToolsMode = 'live' | 'rehearsal';

/**
 * `--tools live|rehearsal`; by default a rehearsal model rehearses its tools too, and the real
 * model uses the real tools.
 */
export function toolsModeOf(option: string | undefined, mode: ChosenModel['mode']): ToolsMode {
  if (option === undefined) return mode === 'rehearsal' ? 'rehearsal' : 'live';
  if (option === 'live' || option === 'rehearsal') return option;
  throw new CadreError({
    code: 'tools-mode-invalid',
    message: `--tools '${option}' is not a tools mode`,
    hint: 'write --tools live (real databases) or --tools rehearsal (nothing touched)',
  });
}

/** An org brought to life for a command: its runtime and the model it runs on. */
export interface OpenRuntime {
  org: OrgDefinition;
  runtime: Runtime;
  chosen: ChosenModel;
  /** Whether tools touch the real targets (`live`) or answer what would have run (`rehearsal`). */
  tools: ToolsMode;
  /** Where runs are kept: `CADRE_STORE_URL`, else SQLite at `.cadre/state.db`. */
  store: Store;
  /** The agents' tools (live or rehearsed), shared with whatever else serves them. */
  toolHost: ToolHost;
  /** How runs started here were started: kept with each run for `cadre resume`. */
  settings: RunSettings;
  /** Writes the fake server's request log (rehearsals only), then releases everything. */
  close(rehearsalLog?: string): Promise<void>;
}

/**
 * Loads one valid org and starts its runtime on the chosen model; `undefined` (after printing
 * why) when the org is invalid or the path holds several orgs.
 */
export async function openRuntime(
  command: string,
  options: Pick<RunLikeOptions, 'org' | 'model' | 'tools' | 'timeScale'> & {
    /** A resumed drill's clock anchor (see `RuntimeOptions.clockOrigin`). */
    clockOrigin?: number;
  },
  output: CommandOutput,
): Promise<OpenRuntime | undefined> {
  const { model: modelOption, tools: toolsOption, timeScale, clockOrigin } = options;
  const orgPath = orgPathOrBundled(options.org, (text) => output.error(text));
  const orgs = await loadValidOrgs([orgPath], output);
  if (!orgs) return undefined;
  const [org] = orgs;
  if (!org || orgs.length > 1) {
    output.error(
      `cadre ${command}: ${orgPath} holds ${orgs.length} orgs; name one org folder, such as agents/esa`,
    );
    return undefined;
  }
  const chosen = await chooseModel(modelOption, org);
  const tools = toolsModeOf(toolsOption, chosen.mode);
  const store = await openStore(process.env.CADRE_STORE_URL, { cwd: process.cwd() });
  const toolHost = tools === 'live' ? createMcpToolHost({ org }) : createRehearsalToolHost(org);
  const bus = createMemoryBus();
  const runtime = createRuntime({
    org,
    model: chosen.model,
    bus,
    store,
    toolHost,
    ...(chosen.modelId ? { modelOverride: chosen.modelId } : {}),
    ...(timeScale === undefined ? {} : { timeScale }),
    ...(clockOrigin === undefined ? {} : { clockOrigin }),
  });
  return {
    org,
    runtime,
    chosen,
    tools,
    store,
    toolHost,
    settings: {
      orgDir: resolve(orgPath),
      ...(modelOption === undefined ? {} : { model: modelOption }),
      tools,
    },
    async close(rehearsalLog) {
      await runtime.close();
      await bus.close();
      await toolHost.close();
      await store.close();
      try {
        if (rehearsalLog && chosen.requestLog)
          await writeFile(rehearsalLog, `${JSON.stringify(chosen.requestLog(), null, 2)}\n`);
      } catch (error) {
        throw new CadreError({
          code: 'rehearsal-log-unwritable',
          message: `cannot write the rehearsal log to ${rehearsalLog}: ${error instanceof Error ? error.message : String(error)}`,
          hint: 'give --rehearsal-log a file path in a folder that exists and is writable',
        });
      } finally {
        // The fake Messages API server stops whatever happened above.
        await chosen.close();
      }
    },
  };
}
