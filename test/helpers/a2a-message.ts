import type { A2AMessage } from '../../src/a2a/message.js';

let counter = 0;

/**
 * A valid A2A message for tests: a `task` from `ceo` to `chief-1` in run `run-1`, thread `task-1`,
 * saying "hello"; each call gets a fresh `messageId` (`message-1`, `message-2`, …) unless told.
 */
export function makeMessage(overrides: Partial<A2AMessage> = {}): A2AMessage {
  counter += 1;
  return {
    schemaVersion: 1,
    messageId: `message-${counter}`,
    contextId: 'run-1',
    taskId: 'task-1',
    role: 'user',
    parts: [{ kind: 'text', text: 'hello' }],
    from: 'ceo',
    to: 'chief-1',
    kind: 'task',
    severity: 'normal',
    tags: [],
    hop: 0,
    sentAt: 0,
    ...overrides,
  };
}
