import { z } from 'zod';
import { Fault } from './fault.js';

/** The placeholders a scripted text may use. */
export const templateNames = ['results', 'task', 'agent'] as const;

const placeholder = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Text that may hold `{{results}}`, `{{task}}` and `{{agent}}`, and no other placeholder. */
export const TemplateText = z.string().superRefine((text, context) => {
  for (const match of text.matchAll(placeholder)) {
    const name = match[1] ?? '';
    if (!(templateNames as readonly string[]).includes(name)) {
      context.addIssue({
        code: 'custom',
        message: `unknown placeholder {{${name}}}; use {{results}}, {{task}} or {{agent}}`,
      });
    }
  }
});
/** Text with placeholders. */
export type TemplateText = z.infer<typeof TemplateText>;

/** A tool the scripted model calls; string values of `input` may hold placeholders. */
export const ScriptToolCall = z.strictObject({
  name: z
    .string()
    .regex(/^[a-zA-Z0-9_-]{1,64}$/, { error: 'a tool name is 1 to 64 letters, digits, _ or -' }),
  input: z.record(z.string(), z.unknown()).optional(),
});
/** A tool the scripted model calls. */
export type ScriptToolCall = z.infer<typeof ScriptToolCall>;

const stepShape = {
  /** What the model says; in the answer it comes before any tool calls. */
  text: TemplateText.optional(),
  /** Tools it calls in this turn; several are one parallel turn. */
  tools: z.array(ScriptToolCall).optional(),
  /** Milliseconds the server waits before answering this step. */
  delay_ms: z.int().nonnegative().optional(),
};

function requireTextOrTools(
  step: { text?: string | undefined; tools?: unknown[] | undefined },
  context: z.core.$RefinementCtx,
): void {
  if (step.text === undefined && (step.tools === undefined || step.tools.length === 0)) {
    context.addIssue({
      code: 'custom',
      message: 'a step needs text:, tools: (at least one), or both',
    });
  }
}

/** One turn of an agent: text, tool calls, or both (`stop_reason` is `tool_use` when it calls tools). */
export const ScriptStep = z.strictObject(stepShape).superRefine(requireTextOrTools);
/** One turn of an agent. */
export type ScriptStep = z.infer<typeof ScriptStep>;

/** When a variant applies: every condition given must hold. */
export const ScriptCondition = z.strictObject({
  /** A case-insensitive part of the first user message (the task). */
  task_contains: z.string().min(1),
});
/** When a variant applies. */
export type ScriptCondition = z.infer<typeof ScriptCondition>;

/**
 * An item of an agent's list: either a step (`text`, `tools`, `delay_ms`) or a variant
 * (`when`, `steps`). One list holds steps only or variants only.
 */
export const ScriptEntry = z
  .strictObject({
    ...stepShape,
    /** A variant's condition; a variant without one always applies. */
    when: ScriptCondition.optional(),
    /** A variant's steps, turn by turn. */
    steps: z.array(ScriptStep).optional(),
  })
  .superRefine((entry, context) => {
    const variant = entry.steps !== undefined || entry.when !== undefined;
    if (!variant) {
      requireTextOrTools(entry, context);
      return;
    }
    if (entry.steps === undefined) {
      context.addIssue({ code: 'custom', message: 'a variant with when: needs steps:' });
    }
    for (const key of ['text', 'tools', 'delay_ms'] as const) {
      if (entry[key] !== undefined) {
        context.addIssue({
          code: 'custom',
          path: [key],
          message: `a variant (with when:/steps:) cannot have ${key}: itself; put it in one of its steps`,
        });
      }
    }
  });
/** A step or a variant. */
export type ScriptEntry = z.infer<typeof ScriptEntry>;

function isVariant(entry: ScriptEntry): boolean {
  return entry.steps !== undefined || entry.when !== undefined;
}

/** An agent's turns: a list of steps, or a list of variants (the first whose `when` holds is used). */
export const AgentScript = z.array(ScriptEntry).superRefine((entries, context) => {
  const first = entries[0];
  if (!first) return;
  const variants = isVariant(first);
  entries.forEach((entry, index) => {
    if (isVariant(entry) !== variants) {
      context.addIssue({
        code: 'custom',
        path: [index],
        message: `this list holds ${variants ? 'variants' : 'steps'}, so item ${index + 1} must be one too: do not mix steps and variants (when:/steps:) in one agent's list`,
      });
    }
  });
});
/** An agent's turns. */
export type AgentScript = z.infer<typeof AgentScript>;

/** An agent id as cadre renders it into prompts. */
const AgentId = z.string().regex(/^[a-z][a-z0-9-]*$/, {
  error: 'an agent id is lowercase letters, digits and -, starting with a letter',
});

/**
 * What the fake Messages API answers: per agent (found from its system prompt), turn by turn;
 * a fallback text for anything unscripted; and faults to play.
 */
export const RehearsalScript = z.strictObject({
  agents: z.record(AgentId, AgentScript).optional(),
  /** Text for unscripted turns; default "{{agent}} has nothing scripted for this turn." */
  fallback: TemplateText.optional(),
  faults: z.array(Fault).optional(),
});
/** What the fake Messages API answers. */
export type RehearsalScript = z.infer<typeof RehearsalScript>;

/** The fallback text when the script names none. */
export const defaultFallback = '{{agent}} has nothing scripted for this turn.';
