import { agentOfSystem } from '../agent-of-system.js';
import { assistantTurns, lastToolResults, systemText, taskText } from './conversation.js';
import type { MessagesRequest } from './request-body.js';
import { defaultFallback } from './script.js';
import type { RehearsalScript, ScriptEntry, ScriptStep } from './script.js';

/** The values the placeholders of a step take. */
export interface TemplateValues {
  /** The tool results of the last user message, joined with " | ". */
  results: string;
  /** The first user message. */
  task: string;
  /** The agent's id. */
  agent: string;
}

/** The step that answers a request, and why. */
export interface ChosenStep {
  /** The agent found from the system prompt, if any. */
  agent: string | undefined;
  /** 1-based turn: assistant messages already in the request, plus one. */
  turn: number;
  /** The step with its placeholders filled. */
  step: ScriptStep;
  /** False when the fallback answered (nothing scripted for this agent and turn). */
  scripted: boolean;
}

/**
 * Picks the step for a request: the agent comes from the system prompt (`agentOfSystem`), the
 * step index is the number of assistant messages in `messages`, and a variant list uses the
 * first variant whose `when` holds. Anything unscripted gets the fallback text.
 */
export function chooseStep(
  script: RehearsalScript | undefined,
  request: Pick<MessagesRequest, 'system' | 'messages'>,
): ChosenStep {
  const agent = agentOfSystem(systemText(request.system));
  const index = assistantTurns(request.messages);
  const task = taskText(request.messages);
  const values: TemplateValues = {
    results: lastToolResults(request.messages).join(' | '),
    task,
    agent: agent ?? 'an unknown agent',
  };
  const entries = agent === undefined ? undefined : script?.agents?.[agent];
  const steps = entries === undefined ? undefined : stepsOf(entries, task);
  const step = steps?.[index];
  if (step) return { agent, turn: index + 1, step: fillStep(step, values), scripted: true };
  const fallback = fillTemplate(script?.fallback ?? defaultFallback, values);
  return { agent, turn: index + 1, step: { text: fallback }, scripted: false };
}

/** The steps of an agent's list: the list itself, or the steps of its first matching variant. */
function stepsOf(entries: readonly ScriptEntry[], task: string): ScriptStep[] | undefined {
  const variants = entries.some((entry) => entry.steps !== undefined || entry.when !== undefined);
  if (!variants) return entries as ScriptStep[];
  const lowerTask = task.toLowerCase();
  const chosen = entries.find(
    (entry) =>
      entry.when === undefined || lowerTask.includes(entry.when.task_contains.toLowerCase()),
  );
  return chosen?.steps;
}

/** Replaces `{{results}}`, `{{task}}` and `{{agent}}`; other text stays as it is. */
export function fillTemplate(text: string, values: TemplateValues): string {
  return text.replace(/\{\{\s*(results|task|agent)\s*\}\}/g, (_, name: keyof TemplateValues) =>
    String(values[name]),
  );
}

function fillStep(step: ScriptStep, values: TemplateValues): ScriptStep {
  const filled: ScriptStep = { ...step };
  if (step.text !== undefined) filled.text = fillTemplate(step.text, values);
  if (step.tools !== undefined) {
    filled.tools = step.tools.map((tool) => ({
      ...tool,
      input: fillValue(tool.input ?? {}, values) as Record<string, unknown>,
    }));
  }
  return filled;
}

function fillValue(value: unknown, values: TemplateValues): unknown {
  if (typeof value === 'string') return fillTemplate(value, values);
  if (Array.isArray(value)) return value.map((item) => fillValue(item, values));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, fillValue(item, values)]),
    );
  }
  return value;
}
