/**
 * cadre's library entry point: load, validate, view and export org definitions, and the
 * runtime (all of `cadre/runtime`). Separate entries keep heavier parts out of it: the durable
 * stores are `cadre/store`, the MCP tool host and probes `cadre/mcp`, the fake API server and
 * test doubles `cadre/testing`.
 */
export type { Diagnostic, Location } from './org/diagnostic.js';
export { formatDiagnostic, hasErrors, sortDiagnostics } from './org/diagnostic.js';
export { loadOrg } from './org/load-org.js';
export { loadPaths, loadSubagentOrg } from './org/load-paths.js';
export type { LoadedOrg } from './org/org-definition.js';
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
// The runtime, its seams and types: everything `cadre/runtime` exports, which `cadre` adds to.
export * from './runtime-entry.js';
// The A2A message schema (a zod value; `cadre/runtime` has its type only).
export { A2AMessage } from './a2a/message.js';
