import type { RunHandle, RunResult } from '../runtime/runtime.js';
import { isHuman } from '../escalation/targets.js';
import { LiveTree } from './live-tree.js';
import type { PersonPrompt } from './person-prompt.js';
import type { OrgDefinition } from '../org/org-definition.js';
import type { CommandOutput } from './output.js';
import { summaryLine } from '../runtime/run-summary.js';
import { eventLine } from './run-view.js';

/** How a run is shown: NDJSON events, a live tree (terminal), or one line per event. */
export type RunDisplay = 'json' | 'tree' | 'lines';

/**
 * Shows a run as it happens and prints its outcome: the answer on stdout; progress and the
 * summary on stderr (with `json`, every event on stdout, the last being run-end).
 */
export async function watchRun(
  handle: RunHandle,
  org: OrgDefinition,
  display: RunDisplay,
  rehearsal: boolean,
  output: CommandOutput,
  person?: PersonPrompt,
): Promise<RunResult> {
  const tree = display === 'tree' ? new LiveTree(org, output) : undefined;
  for await (const event of handle.events) {
    if (display === 'json') {
      if (event.type !== 'model-text-delta') output.out(JSON.stringify(event));
    } else if (tree) {
      tree.update(event);
    } else {
      const line = eventLine(event);
      if (line) output.error(line);
    }
    if (event.type === 'escalation-fired' && isHuman(event.to)) {
      if (person) person.ask(event);
      else if (display !== 'json')
        output.error(
          `  waiting for ${event.to}: answer with cadre answer ${event.escalationId.slice(0, 8)} "…" (see cadre escalations --open)`,
        );
    }
  }
  tree?.finish();
  person?.close();
  const result = await handle.result;
  if (display !== 'json') {
    if (result.status === 'completed') output.out(result.answer ?? '');
    else output.error(`run ${result.status}: ${result.error ?? ''}`);
    output.error(summaryLine(result.totals, rehearsal));
  }
  return result;
}
