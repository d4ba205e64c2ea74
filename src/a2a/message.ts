import { z } from 'zod';

/** The version of the A2A envelope that this code writes; readers refuse others. */
export const messageSchemaVersion = 1;

/** A part of a message: text, or structured data. Shaped after A2A's Part. */
export const Part = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('text'), text: z.string() }),
  z.strictObject({ kind: z.literal('data'), data: z.record(z.string(), z.unknown()) }),
]);
/** A part of a message. */
export type Part = z.infer<typeof Part>;

/** What a message is for. */
export const MessageKind = z.enum(['task', 'reply', 'question', 'escalation', 'report', 'notice']);
/** What a message is for. */
export type MessageKind = z.infer<typeof MessageKind>;

/**
 * An A2A message between agents: A2A's Message (messageId, contextId = the run, taskId = the
 * request thread, role, parts) plus cadre's routing fields.
 */
export const A2AMessage = z.strictObject({
  schemaVersion: z.literal(messageSchemaVersion),
  messageId: z.string().min(1),
  /** The run. */
  contextId: z.string().min(1),
  /** The request thread this message belongs to (a task, a question, an escalation). */
  taskId: z.string().min(1),
  role: z.enum(['user', 'agent']),
  parts: z.array(Part).min(1),
  from: z.string().min(1),
  to: z.string().min(1),
  kind: MessageKind,
  severity: z.enum(['low', 'normal', 'high', 'critical']).default('normal'),
  tags: z.array(z.string()).default([]),
  /** The message this one answers. */
  inReplyTo: z.string().optional(),
  /** When an answer is due, in epoch milliseconds. */
  deadline: z.number().int().optional(),
  /** How many messages led to this one within the run. */
  hop: z.number().int().min(0),
  /** When it was sent, in epoch milliseconds. */
  sentAt: z.number().int(),
});
/** An A2A message. */
export type A2AMessage = z.infer<typeof A2AMessage>;

/** The text of a message's text parts, joined. */
export function messageText(message: Pick<A2AMessage, 'parts'>): string {
  return message.parts
    .filter((part): part is Extract<Part, { kind: 'text' }> => part.kind === 'text')
    .map((part) => part.text)
    .join('\n');
}
