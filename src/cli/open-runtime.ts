import { writeFile } from 'node:fs/promises';
import { createMemoryBus } from '../a2a/memory-bus.js';
import { createRehearsalToolHost } from '../mcp/rehearsal-tool-host.js';
import type { OrgDefinition } from '../org/org-definition.js';
import { createRuntime } from '../runtime/runtime.js';
import type { Runtime } from '../runtime/runtime.js';
import { createMemoryStore } from '../store/memory-store.js';
import { loadValidOrgs } from './load-valid-orgs.js';
import { chooseModel } from './model-choice.js';
import type { ChosenModel } from './model-choice.js';
import type { CommandOutput } from './output.js';

/** An org brought to life for a command: its runtime and the model it runs on. */
export interface OpenRuntime {
  org: OrgDefinition;
  runtime: Runtime;
  chosen: ChosenModel;
  /** Writes the fake server's request log (rehearsals only), then releases everything. */
  close(rehearsalLog?: string): Promise<void>;
}

/**
 * Loads one valid org and starts its runtime on the chosen model; `undefined` (after printing
 * why) when the org is invalid or the path holds several orgs.
 */
export async function openRuntime(
  command: string,
  orgPath: string,
  modelOption: string | undefined,
  output: CommandOutput,
): Promise<OpenRuntime | undefined> {
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
  const bus = createMemoryBus();
  const runtime = createRuntime({
    org,
    model: chosen.model,
    bus,
    store: createMemoryStore(),
    toolHost: createRehearsalToolHost(),
    ...(chosen.modelId ? { modelOverride: chosen.modelId } : {}),
  });
  return {
    org,
    runtime,
    chosen,
    async close(rehearsalLog) {
      await runtime.close();
      await bus.close();
      if (rehearsalLog && chosen.requestLog)
        await writeFile(rehearsalLog, `${JSON.stringify(chosen.requestLog(), null, 2)}\n`);
      await chosen.close();
    },
  };
}
