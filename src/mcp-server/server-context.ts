import type { OrgDefinition } from '../org/org-definition.js';
import type { Runtime } from '../runtime/runtime-types.js';
import type { RunSettings } from '../store/store.js';
import type { DatabaseTools } from './database-tool-catalog.js';
import type { SessionHub } from './session-hub.js';

/** Whether the agents' tool calls reach real targets (`live`) or answer what would have run. */
export type ToolMode = 'live' | 'rehearsal';

/**
 * What every session of one `cadre mcp` shares: the org and its running runtime, the entry
 * agent, how models and tools are served, the database tools (with `--tools`), and the hub of
 * connected clients.
 */
export interface CadreMcpContext {
  org: OrgDefinition;
  runtime: Runtime;
  /** The agent `run_task` hands tasks to unless told otherwise; database tools act for it by default. */
  entry: string;
  /** Whether models run on the fake Messages API server (a rehearsal: no tokens spent). */
  rehearsal: boolean;
  /** How the agents' own tool calls are served. */
  toolMode: ToolMode;
  /** The org's database tools served to the client (`--tools`), if any. */
  databaseTools?: DatabaseTools;
  sessions: SessionHub;
  /** How this server's runs are started (org folder, model, tools), kept with each run for `cadre resume`. */
  runSettings?: RunSettings;
  /** cadre's version, as the server reports it at initialize. */
  version: string;
}
