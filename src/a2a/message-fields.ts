/**
 * The fixed values of the A2A envelope, without zod: the schema in `message.ts` is built from
 * them, and code that only needs them (the runtime, the memory bus's checker) imports this file
 * and so never loads zod.
 */

/** The version of the A2A envelope that this code writes; readers refuse others. */
export const messageSchemaVersion = 1;

/** What a message is for, in the order the schema lists them. */
export const messageKinds = [
  'task',
  'reply',
  'question',
  'escalation',
  'report',
  'notice',
] as const;

/** Who wrote a message: the user (a task from outside the org) or an agent. */
export const messageRoles = ['user', 'agent'] as const;

/** How urgent a message is; `normal` unless told. */
export const messageSeverities = ['low', 'normal', 'high', 'critical'] as const;
