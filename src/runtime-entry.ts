/**
 * `cadre/runtime`: the runtime alone, for an org built in code (an `OrgDefinition` object) or
 * loaded elsewhere: `createRuntime`, the memory bus and store, the Anthropic model, the types.
 * It loads neither the YAML loader nor zod (the org schemas and `loadOrg` are in `cadre`), so a
 * process that embeds a runtime starts and stays smaller; what it exports is the same as
 * `cadre`'s.
 */
export { CadreError, ConfigError } from './errors.js';
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
  ContentBlock,
  TextBlock,
  ToolUseBlock,
  ToolResultBlock,
} from './model/model.js';
export { AnthropicModel } from './model/anthropic-model.js';
export type { AnthropicModelOptions } from './model/anthropic-model.js';
export { ModelError } from './model/model-error.js';
export { costOf, modelPrices } from './model/prices.js';
export type { Bus, MessageHandler } from './a2a/bus.js';
export type { A2AMessage } from './a2a/message.js';
export { messageText } from './a2a/message-text.js';
export { createMemoryBus } from './a2a/memory-bus.js';
export type {
  Store,
  RunRecord,
  EscalationRecord,
  MessageRecord,
  OpenRequestRecord,
  SessionRecord,
} from './store/store.js';
export { createMemoryStore } from './store/memory-store.js';
export type { ToolHost, ToolOutcome, ToolCallContext } from './mcp/tool-host.js';
export { createRehearsalToolHost } from './mcp/rehearsal-tool-host.js';
export type { AgentDefinition, AgentTool, OrgDefinition } from './org/org-definition.js';
