/**
 * Test and rehearsal helpers: the fake Anthropic Messages API and its script format. Point the
 * real SDK at `FakeServer.url` with `baseURL` to run the production code path without a key.
 */
export { startFakeServer } from './model/fake-server/fake-server.js';
export type { FakeServer, FakeServerOptions } from './model/fake-server/fake-server.js';
export type { RequestLogEntry } from './model/fake-server/request-log.js';
export {
  AgentScript,
  RehearsalScript,
  ScriptCondition,
  ScriptEntry,
  ScriptStep,
  ScriptToolCall,
} from './model/fake-server/script.js';
export { Fault, FaultKind } from './model/fake-server/fault.js';
export {
  checkRehearsalScript,
  loadRehearsalScript,
  parseRehearsalScript,
} from './model/fake-server/load-script.js';
export { ScriptedModel, toolResultsOf } from './model/scripted-model.js';
export type { ScriptedDecision, ScriptedTurn } from './model/scripted-model.js';
export { createMemoryBus } from './a2a/memory-bus.js';
