import type { AgentLimits, Grant, Metric, Role } from './agent-schema.js';
import type { Diagnostic } from './diagnostic.js';
import type { RuleSet } from './escalation-schema.js';
import type { McpServer, OrgDefaults, Target } from './org-schema.js';
import type { Locator } from './yaml-source.js';

/** A tool an agent holds, with its grant resolved (default `read`). */
export interface AgentTool {
  tool: string;
  grant: Grant;
  target?: string;
}

/** A peer of an agent and the wait declared for it. */
export interface AgentPeer {
  id: string;
  wait?: string;
}

/** One agent of a loaded org, whichever file format it came from. Keys as in the YAML. */
export interface AgentDefinition {
  id: string;
  name: string;
  role: Role;
  reports_to: string | null;
  peers: AgentPeer[];
  description: string;
  model?: string;
  /** The prompt text (file contents or inline text). */
  prompt: string;
  /** The prompt file under prompts/, when the prompt came from one. */
  prompt_file?: string;
  tools: AgentTool[];
  /** Tools a Claude Code file declared that cadre does not provide (kept for export). */
  external_tools: string[];
  metrics: Metric[];
  limits: AgentLimits;
  /** The rule set it works under (a file in escalation/). */
  escalation?: string;
  /** A person fills this place: requests to it are answered by them, not by a model. */
  human?: boolean;
  /** Where it was defined. */
  source: { file: string; format: 'yaml' | 'claude-code' };
}

/** A loaded org: definitions as written, plus what loading found. */
export interface OrgDefinition {
  name: string;
  title?: string;
  description?: string;
  root: string;
  /** The org folder (or the lone subagent file). */
  dir: string;
  /** The org.yaml file, when there is one. */
  file?: string;
  defaults: OrgDefaults;
  targets: Record<string, Target>;
  mcp_servers: Record<string, McpServer>;
  agents: AgentDefinition[];
  /** Rule sets the agents work under, by name. */
  rule_sets: Record<string, RuleSet>;
  /** Where each rule set came from. */
  rule_set_files: Record<string, string>;
}

/** The result of loading an org: the definition (possibly partial) and every diagnostic. */
export interface LoadedOrg {
  org: OrgDefinition;
  diagnostics: Diagnostic[];
  /** Position lookups for validation messages, by agent id and by file. */
  locators: OrgLocators;
}

/** Where things were written, so cross-reference errors can point at them. */
export interface OrgLocators {
  /** For each agent (by index in `org.agents`): its file and a locator for its fields. */
  agents: { file: string; locate: Locator }[];
  org?: Locator;
  ruleSets: Record<string, Locator>;
  /** Targets of org.yaml that failed their own checks; tools naming them are not checked again. */
  brokenTargets?: string[];
}

/** An org with nothing loaded yet: the start of every load, and the result of a path that holds none. */
export function emptyOrg(
  name: string,
  dir: string,
  targets: Record<string, Target> = {},
): OrgDefinition {
  return {
    name,
    root: '',
    dir,
    defaults: {},
    targets,
    mcp_servers: {},
    agents: [],
    rule_sets: {},
    rule_set_files: {},
  };
}
