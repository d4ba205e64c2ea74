import { z } from 'zod';
import {
  messageKinds,
  messageRoles,
  messageSchemaVersion,
  messageSeverities,
} from './message-fields.js';

export { messageSchemaVersion } from './message-fields.js';
export { messageText } from './message-text.js';

/** A part of a message: text, or structured data. Shaped after A2A's Part. */
export const Part = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('text'), text: z.string() }),
  z.strictObject({ kind: z.literal('data'), data: z.record(z.string(), z.unknown()) }),
]);
/** A part of a message. */
export type Part = z.infer<typeof Part>;

/** What a message is for. */
export const MessageKind = z.enum(messageKinds);
/** What a message is for. */
export type MessageKind = z.infer<typeof MessageKind>;

/**
 * An A2A message between agents: A2A's Message (messageId, contextId = the run, taskId = the
 * request thread, role, parts) plus cadre's routing fields. This schema is the source of truth;
 * the memory bus checks messages with `checkMessage` (`check-message.ts`), a zod-free copy of
 * it that a property test holds to the same verdicts and output.
 */
export const A2AMessage = z.strictObject({
  schemaVersion: z.literal(messageSchemaVersion),
  messageId: z.string().min(1),
  /** The run. */
  contextId: z.string().min(1),
  /** The request thread this message belongs to (a task, a question, an escalation). */
  taskId: z.string().min(1),
  role: z.enum(messageRoles),
  parts: z.array(Part).min(1),
  from: z.string().min(1),
  to: z.string().min(1),
  kind: MessageKind,
  severity: z.enum(messageSeverities).default('normal'),
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
