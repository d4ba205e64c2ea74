/**
 * cadre's library entry point (lean: the durable stores are `cadre/store`, the MCP tool host
 * and probes `cadre/mcp`, the fake API server and test doubles `cadre/testing`): load, validate, view and export org definitions.
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
export { createRuntime, userAgentId } from './runtime/runtime.js';
export type {
  RunHandle,
  RunOptions,
  RunResult,
  Runtime,
  RuntimeOptions,
} from './runtime/runtime.js';
export type { RunEvent, RunTotals, GuardName } from './runtime/run-event.js';
export type {
  Model,
  ModelRequest,
  ModelResponse,
  ModelEvent,
  ModelMessage,
  ModelTool,
  ModelUsage,
} from './model/model.js';
export { AnthropicModel } from './model/anthropic-model.js';
export type { AnthropicModelOptions } from './model/anthropic-model.js';
export { ModelError } from './model/model-error.js';
export { costOf, modelPrices } from './model/prices.js';
export type { Bus, MessageHandler } from './a2a/bus.js';
export { A2AMessage, messageText } from './a2a/message.js';
export { createMemoryBus } from './a2a/memory-bus.js';
export type { Store, RunRecord } from './store/store.js';
export { createMemoryStore } from './store/memory-store.js';
export type { ToolHost, ToolOutcome, ToolCallContext } from './mcp/tool-host.js';
export { createRehearsalToolHost } from './mcp/rehearsal-tool-host.js';
export type {
  EscalationRecord,
  MessageRecord,
  OpenRequestRecord,
  SessionRecord,
} from './store/store.js';
