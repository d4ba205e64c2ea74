import { writeFile } from 'node:fs/promises';
import { createMemoryBus } from '../a2a/memory-bus.js';
import { CadreError } from '../errors.js';
import { createMcpToolHost } from '../mcp/mcp-tool-host.js';
import { createRehearsalToolHost } from '../mcp/rehearsal-tool-host.js';
import type { OrgDefinition } from '../org/org-definition.js';
import { createRuntime } from '../runtime/runtime.js';
import type { Runtime } from '../runtime/runtime.js';
import { createMemoryStore } from '../store/memory-store.js';
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
  /** Writes the fake server's request log (rehearsals only), then releases everything. */
  close(rehearsalLog?: string): Promise<void>;
}

/**
 * Loads one valid org and starts its runtime on the chosen model; `undefined` (after printing
 * why) when the org is invalid or the path holds several orgs.
 */
export async function openRuntime(
  command: string,
  options: Pick<RunLikeOptions, 'org' | 'model' | 'tools' | 'timeScale'>,
  output: CommandOutput,
): Promise<OpenRuntime | undefined> {
  const { org: orgPath, model: modelOption, tools: toolsOption, timeScale } = options;
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
  const toolHost = tools === 'live' ? createMcpToolHost({ org }) : createRehearsalToolHost();
  const bus = createMemoryBus();
  const runtime = createRuntime({
    org,
    model: chosen.model,
    bus,
    store: createMemoryStore(),
    toolHost,
    ...(chosen.modelId ? { modelOverride: chosen.modelId } : {}),
    ...(timeScale === undefined ? {} : { timeScale }),
  });
  return {
    org,
    runtime,
    chosen,
    tools,
    async close(rehearsalLog) {
      await runtime.close();
      await bus.close();
      await toolHost.close();
      if (rehearsalLog && chosen.requestLog)
        await writeFile(rehearsalLog, `${JSON.stringify(chosen.requestLog(), null, 2)}\n`);
      await chosen.close();
    },
  };
}
