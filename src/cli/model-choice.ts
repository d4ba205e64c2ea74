import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CadreError } from '../errors.js';
import { AnthropicModel } from '../model/anthropic-model.js';
import { startFakeServer } from '../model/fake-server/fake-server.js';
import { loadRehearsalScript } from '../model/fake-server/load-script.js';
import type { Model } from '../model/model.js';
import type { OrgDefinition } from '../org/org-definition.js';

/** The model a command runs on, and how to release what it started. */
export interface ChosenModel {
  model: Model;
  /** The model id agents use when they name none (`--model <id>`), if given. */
  modelId?: string;
  /** `rehearsal` (fake server, no tokens) or `anthropic`. */
  mode: 'rehearsal' | 'anthropic';
  /** The rehearsal script in use, if any. */
  script?: string;
  /** The fake server's request log, in a rehearsal. */
  requestLog?: () => readonly unknown[];
  close(): Promise<void>;
}

/** The rehearsal script an org ships: `<org folder>/rehearsals/default.yaml`, when present. */
export async function bundledRehearsal(org: OrgDefinition): Promise<string | undefined> {
  const file = join(org.dir, 'rehearsals', 'default.yaml');
  return (await stat(file).catch(() => undefined))?.isFile() ? file : undefined;
}

/**
 * Chooses the model from `--model` (or `CADRE_MODEL`): `rehearsal[:script.yaml]` runs on cadre's
 * fake Messages API server (no key, no tokens); `auto` is a rehearsal without
 * `ANTHROPIC_API_KEY` and the real API with it; any other value is a model id on the real API.
 */
export async function chooseModel(
  option: string | undefined,
  org: OrgDefinition,
  environment: NodeJS.ProcessEnv = process.env,
): Promise<ChosenModel> {
  const choice = option ?? environment.CADRE_MODEL;
  const apiKey = environment.ANTHROPIC_API_KEY;
  const rehearse =
    choice === 'rehearsal' || choice?.startsWith('rehearsal:') || (choice === 'auto' && !apiKey);
  if (rehearse) {
    const given = choice?.startsWith('rehearsal:') ? choice.slice('rehearsal:'.length) : undefined;
    const scriptFile = given ?? (await bundledRehearsal(org));
    const script = scriptFile ? await loadRehearsalScript(scriptFile) : undefined;
    const server = await startFakeServer({ script });
    const model = new AnthropicModel({
      apiKey: 'rehearsal',
      baseURL: server.url,
      maxRetries: 2,
      sleep: async () => undefined,
    });
    return {
      model,
      mode: 'rehearsal',
      ...(scriptFile ? { script: scriptFile } : {}),
      requestLog: () => server.requests,
      close: () => server.close(),
    };
  }
  if (!apiKey) {
    throw new CadreError({
      code: 'no-api-key',
      message: 'ANTHROPIC_API_KEY is not set, so cadre cannot call Claude',
      hint: 'set ANTHROPIC_API_KEY, or rehearse the org without tokens: --model rehearsal (or --model auto)',
    });
  }
  const model = new AnthropicModel({
    apiKey,
    ...(environment.ANTHROPIC_BASE_URL ? { baseURL: environment.ANTHROPIC_BASE_URL } : {}),
  });
  return {
    model,
    mode: 'anthropic',
    ...(choice && choice !== 'auto' ? { modelId: choice } : {}),
    close: async () => undefined,
  };
}
