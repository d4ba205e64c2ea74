import type { OrgDefinition } from '../org/org-definition.js';
import { hierarchyOrder } from '../org/tree-view.js';
import type { RunEvent } from '../runtime/run-event.js';
import type { CommandOutput } from './output.js';

/** What one agent is doing, as the live view shows it. */
export interface AgentActivity {
  status: 'thinking' | 'working' | 'waiting' | 'answered' | 'stopped' | 'failed';
  action: string;
  tokens: number;
  startedAt: number;
  endedAt?: number;
}

const symbols: Record<AgentActivity['status'], string> = {
  thinking: '…',
  working: '⚙',
  waiting: '⏳',
  answered: '✓',
  stopped: '⛔',
  failed: '✗',
};

/** Applies one event to the activities of a run's agents. */
export function applyEvent(activities: Map<string, AgentActivity>, event: RunEvent): void {
  const current = activities.get(event.agent);
  switch (event.type) {
    case 'session-start':
      activities.set(event.agent, {
        status: 'thinking',
        action: `${event.kind} from ${event.asker}`,
        tokens: current?.tokens ?? 0,
        startedAt: current?.startedAt ?? event.at,
      });
      return;
    case 'model-call-start':
      if (current)
        Object.assign(current, { status: 'thinking', action: `thinking (turn ${event.turn})` });
      return;
    case 'model-call-end':
      if (current)
        current.tokens +=
          event.usage.input_tokens +
          event.usage.output_tokens +
          event.usage.cache_read_input_tokens +
          event.usage.cache_creation_input_tokens;
      return;
    case 'tool-call-start':
      if (current && event.tool.includes('__'))
        Object.assign(current, { status: 'working', action: `⚙ ${event.tool}` });
      return;
    case 'message-sent':
      if (
        current &&
        (event.kind === 'task' || event.kind === 'question' || event.kind === 'escalation')
      ) {
        Object.assign(current, {
          status: 'waiting',
          action: `${event.kind === 'task' ? 'delegated to' : event.kind === 'question' ? 'asked' : 'escalated to'} ${event.to}`,
        });
      }
      return;
    case 'guard-tripped':
      if (current) current.action = `${event.guard}: ${event.detail}`;
      return;
    case 'session-end':
      if (current)
        Object.assign(current, {
          status:
            event.status === 'answered'
              ? 'answered'
              : event.status === 'stopped'
                ? 'stopped'
                : 'failed',
          endedAt: event.at,
          action: event.status,
        });
      return;
    default:
      return;
  }
}

/** The live view's lines: the agents that took part, as a tree, with status, action, tokens and time. */
export function renderActivities(
  org: OrgDefinition,
  activities: Map<string, AgentActivity>,
  now: number,
): string[] {
  const lines: string[] = [];
  for (const { agent, depth } of hierarchyOrder(org)) {
    const activity = activities.get(agent.id);
    if (!activity) continue;
    const seconds = (((activity.endedAt ?? now) - activity.startedAt) / 1000).toFixed(1);
    const label = `${'  '.repeat(depth)}${symbols[activity.status]} ${agent.id}`;
    lines.push(
      `${label.padEnd(28)} ${activity.action.slice(0, 48).padEnd(48)} ${activity.tokens.toLocaleString('en-US').padStart(9)} tok ${seconds.padStart(6)}s`,
    );
  }
  return lines;
}

/** Redraws the live view in place on a terminal, at most ten times a second. */
export class LiveTree {
  readonly #org: OrgDefinition;
  readonly #write: (text: string) => void;
  readonly #activities = new Map<string, AgentActivity>();
  #drawn = 0;
  #lastDraw = 0;
  #latest = 0;

  constructor(org: OrgDefinition, output: CommandOutput) {
    this.#org = org;
    this.#write = output.raw ?? ((text) => output.error(text));
  }

  /** Takes an event and redraws when due. */
  update(event: RunEvent): void {
    applyEvent(this.#activities, event);
    this.#latest = event.at;
    if (event.at - this.#lastDraw >= 100 || event.type === 'run-end') this.#draw();
  }

  /** Draws the final state. */
  finish(): void {
    this.#draw();
  }

  #draw(): void {
    const lines = renderActivities(this.#org, this.#activities, this.#latest);
    const clear = this.#drawn > 0 ? `\u001b[${this.#drawn}A\u001b[0J` : '';
    this.#write(`${clear}${lines.join('\n')}${lines.length > 0 ? '\n' : ''}`);
    this.#drawn = lines.length;
    this.#lastDraw = this.#latest;
  }
}
