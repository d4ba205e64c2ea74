import { describe, expect, it } from 'vitest';
import { openRequest, requestFromMessage } from '../../src/escalation/request-state.js';
import { makeMessage } from '../helpers/a2a-message.js';

describe('openRequest', () => {
  it('starts at level 0, waiting on its recipient since it was sent', () => {
    expect(
      openRequest({
        messageId: 'm-1',
        runId: 'run-1',
        asker: 'domain-1',
        to: 'domain-2',
        kind: 'question',
        sentAt: 1000,
      }),
    ).toEqual({
      messageId: 'm-1',
      runId: 'run-1',
      taskId: 'm-1',
      asker: 'domain-1',
      to: 'domain-2',
      waitingOn: ['domain-2'],
      kind: 'question',
      severity: 'normal',
      tags: [],
      sentAt: 1000,
      waitingSince: 1000,
      level: 0,
      failures: [],
      fired: [],
      status: 'open',
    });
  });

  it('keeps its own copy of the tags', () => {
    const tags = ['data-loss'];
    const state = openRequest({
      messageId: 'm-1',
      runId: 'run-1',
      asker: 'a',
      to: 'b',
      kind: 'task',
      tags,
      sentAt: 0,
    });
    tags.push('later');
    expect(state.tags).toEqual(['data-loss']);
  });
});

describe('requestFromMessage', () => {
  it('reads a request from its A2A message: run, thread, ends, severity and tags', () => {
    const message = makeMessage({
      messageId: 'm-9',
      contextId: 'run-7',
      taskId: 'task-3',
      from: 'layer-1',
      to: 'domain-1',
      kind: 'escalation',
      severity: 'critical',
      tags: ['data-loss'],
      sentAt: 5000,
    });
    expect(requestFromMessage(message)).toMatchObject({
      messageId: 'm-9',
      runId: 'run-7',
      taskId: 'task-3',
      asker: 'layer-1',
      to: 'domain-1',
      kind: 'escalation',
      severity: 'critical',
      tags: ['data-loss'],
      sentAt: 5000,
    });
  });

  it('is undefined for messages that wait for nothing', () => {
    for (const kind of ['reply', 'report', 'notice'] as const)
      expect(requestFromMessage(makeMessage({ kind }))).toBeUndefined();
  });
});
