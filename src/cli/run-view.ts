import type { RunEvent } from '../runtime/run-event.js';

function shorten(text: string, length = 90): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}

/**
 * One line per event worth a person's attention (delegations, questions, escalations, tool calls,
 * answers, guards, retries); `undefined` for the rest.
 */
export function eventLine(event: RunEvent): string | undefined {
  switch (event.type) {
    case 'run-start':
      return `run ${event.runId.slice(0, 8)} · org ${event.org} · entry ${event.entry}`;
    case 'message-sent': {
      const label = event.kind;
      return `  ${event.from} → ${event.to}  ${label}${event.kind === 'escalation' ? ` [${event.severity}]` : ''}: ${shorten(event.text)}`;
    }
    case 'tool-call-start':
      return event.tool.includes('__')
        ? `  ${event.agent} ⚙ ${event.tool} ${shorten(JSON.stringify(event.input), 60)}`
        : undefined;
    case 'tool-call-end':
      return event.isError
        ? `  ${event.agent} ✗ ${event.tool}: ${shorten(event.output)}`
        : undefined;
    case 'model-call-retry':
      return `  ${event.agent} ↻ model retry ${event.attempt} in ${event.delayMs} ms: ${shorten(event.reason, 60)}`;
    case 'model-call-error':
      return `  ${event.agent} ✗ model: ${shorten(event.error)}`;
    case 'guard-tripped':
      return `  ${event.agent} ⛔ ${event.guard}: ${shorten(event.detail)}`;
    case 'run-resume':
      return `run ${event.runId.slice(0, 8)} resumed · ${event.sessions} sessions · ${event.pendingMessages} messages delivered again · ${event.openRequests} open requests`;
    case 'escalation-fired':
      return `  ⏫ ${event.agent}'s request escalated to ${event.to} (${event.rule}, level ${event.level}): ${shorten(event.reason)}`;
    default:
      return undefined;
  }
}
