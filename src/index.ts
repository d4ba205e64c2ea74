/**
 * cadre's library entry point: load, validate, view and export org definitions.
 * The runtime, tools and escalation engine join it as they land.
 */
export { CadreError, ConfigError } from './errors.js';
export type { Diagnostic, Location } from './org/diagnostic.js';
export { formatDiagnostic, hasErrors, sortDiagnostics } from './org/diagnostic.js';
export { loadOrg } from './org/load-org.js';
export { loadPaths, loadSubagentOrg } from './org/load-paths.js';
export type { AgentDefinition, AgentTool, LoadedOrg, OrgDefinition } from './org/org-definition.js';
export { AgentFile, Grant, MemberPlacement, Role } from './org/agent-schema.js';
export { OrgFile, Target } from './org/org-schema.js';
export { RuleSet } from './org/escalation-schema.js';
export { parseDuration } from './org/duration.js';
export { escalationView } from './org/escalation-path.js';
export type { EscalationView } from './org/escalation-path.js';
export { renderPrompt } from './org/render-prompt.js';
export { treeView } from './org/tree-view.js';
export type { TreeView } from './org/tree-view.js';
export { exportClaudeCode } from './org/export-claude-code.js';
export { builtinTools } from './org/tool-catalog.js';
