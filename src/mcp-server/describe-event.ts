import type { LoggingLevel } from '@modelcontextprotocol/sdk/types.js';
import { isHuman } from '../escalation/targets.js';
import { toolNameSeparator } from '../org/tool-catalog.js';
import type { RunEvent } from '../runtime/run-event.js';

/** A run event as an MCP client sees it: one line of progress, and the level it is logged at. */
export interface DescribedEvent {
  text: string;
  level: LoggingLevel;
}

/** Flattens whitespace and cuts a text to `length` characters. */
export function shorten(text: string, length = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}

/**
 * What a client is told about an event: the run starting and ending, every message between
 * agents (delegations, questions, escalations, reports, replies), database and MCP tool calls,
 * failures, escalations fired and guards tripped. Model turns and text deltas are left out.
 */
export function describeEvent(event: RunEvent): DescribedEvent | undefined {
  switch (event.type) {
    case 'run-start':
      return {
        text: `run ${event.runId} started: org ${event.org}, entry ${event.entry}`,
        level: 'info',
      };
    case 'message-sent':
      return {
        text: `${event.from} → ${event.to} ${event.kind}${event.kind === 'escalation' ? ` [${event.severity}]` : ''}: ${shorten(event.text)}`,
        level: event.kind === 'escalation' ? 'notice' : 'debug',
      };
    case 'tool-call-start':
      return event.tool.includes(toolNameSeparator)
        ? {
            text: `${event.agent} calls ${event.tool} ${shorten(JSON.stringify(event.input), 100)}`,
            level: 'debug',
          }
        : undefined;
    case 'tool-call-end':
      return event.isError
        ? {
            text: `${event.agent}: ${event.tool} failed: ${shorten(event.output)}`,
            level: 'warning',
          }
        : undefined;
    case 'escalation-fired':
      return {
        text: `escalation ${event.escalationId}: ${event.agent}'s request went to ${event.to} (rule ${event.rule}, level ${event.level}): ${shorten(event.reason)}${isHuman(event.to) ? ' — answer it with answer_escalation' : ''}`,
        level: isHuman(event.to) ? 'warning' : 'notice',
      };
    case 'guard-tripped':
      return {
        text: `${event.agent}: guard ${event.guard} stopped this branch: ${shorten(event.detail)}`,
        level: 'warning',
      };
    case 'model-call-retry':
      return {
        text: `${event.agent}: model call retried (attempt ${event.attempt}, in ${event.delayMs} ms): ${shorten(event.reason, 100)}`,
        level: 'info',
      };
    case 'model-call-error':
      return { text: `${event.agent}: model call failed: ${shorten(event.error)}`, level: 'error' };
    case 'run-end':
      return {
        text: `run ${event.runId} ${event.status}${event.error ? `: ${shorten(event.error)}` : ''}`,
        level: event.status === 'failed' ? 'error' : 'info',
      };
    default:
      return undefined;
  }
}
