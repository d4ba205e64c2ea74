import {
  messageKinds,
  messageRoles,
  messageSchemaVersion,
  messageSeverities,
} from './message-fields.js';
import type { A2AMessage, Part } from './message.js';

/** One thing wrong with a message: the path of the field (`[]` for the message itself) and what. */
export interface MessageIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/**
 * The verdict of {@link checkMessage}: the accepted message (a fresh copy with the defaults
 * filled in, as the zod schema's output) or every issue found.
 */
export type MessageCheck =
  | { readonly ok: true; readonly message: A2AMessage }
  | { readonly ok: false; readonly issues: readonly MessageIssue[] };

/** The envelope's fields, in the schema's order: a field outside this list is refused. */
const fields = new Set([
  'schemaVersion',
  'messageId',
  'contextId',
  'taskId',
  'role',
  'parts',
  'from',
  'to',
  'kind',
  'severity',
  'tags',
  'inReplyTo',
  'deadline',
  'hop',
  'sentAt',
]);
const textPartFields = new Set(['kind', 'text']);
const dataPartFields = new Set(['kind', 'data']);
const kinds: ReadonlySet<unknown> = new Set(messageKinds);
const roles: ReadonlySet<unknown> = new Set(messageRoles);
const severities: ReadonlySet<unknown> = new Set(messageSeverities);

type Fields = Record<PropertyKey, unknown>;

/** An object that is not an array (zod's test for an object). */
function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An object whose constructor, if any, is an ordinary one (zod's test for a record). */
function isPlainObject(value: unknown): value is Fields {
  if (!isObject(value)) return false;
  const constructor: unknown = value.constructor;
  if (typeof constructor !== 'function') return true;
  const prototype: unknown = (constructor as { prototype?: unknown }).prototype;
  return isObject(prototype) && Object.prototype.hasOwnProperty.call(prototype, 'isPrototypeOf');
}

/** What is wrong with one value, or undefined when nothing is. */
type Problem = string | undefined;

/** Adds an issue, creating the list on the first one: a good message allocates none. */
function blame(
  issues: MessageIssue[] | undefined,
  path: readonly PropertyKey[],
  message: string,
): MessageIssue[] {
  const list = issues ?? [];
  list.push({ path, message });
  return list;
}

/** Adds an issue at the top-level field `name` when there is a problem. */
function blameField(
  issues: MessageIssue[] | undefined,
  name: string,
  problem: Problem,
): MessageIssue[] | undefined {
  return problem === undefined ? issues : blame(issues, [name], problem);
}

/** `value` must be a string, of at least one character if `nonEmpty`. */
function stringProblem(value: unknown, nonEmpty: boolean): Problem {
  if (typeof value !== 'string') return 'expected a string';
  if (nonEmpty && value.length === 0) return 'expected a non-empty string';
  return undefined;
}

/** `value` must be a safe integer, `minimum` or more if given. */
function integerProblem(value: unknown, minimum?: number): Problem {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'expected a number';
  if (!Number.isInteger(value)) return 'expected an integer';
  if (!Number.isSafeInteger(value)) return 'expected a safe integer';
  if (minimum !== undefined && value < minimum) return `expected ${minimum} or more`;
  return undefined;
}

/** `value` must be one of `allowed`. */
function oneOfProblem(value: unknown, allowed: ReadonlySet<unknown>): Problem {
  return allowed.has(value) ? undefined : `expected one of ${[...allowed].join(', ')}`;
}

/** Every enumerable key of `value` (inherited ones too) must be one of `known`. */
function blameUnknownKeys(
  issues: MessageIssue[] | undefined,
  value: Fields,
  path: readonly PropertyKey[],
  known: ReadonlySet<string>,
): MessageIssue[] | undefined {
  let found = issues;
  for (const key in value)
    if (!known.has(key)) found = blame(found, [...path, key], 'unknown field');
  return found;
}

/** A part's copy, or the issues that make it wrong. */
type PartCheck = { part: Part; issues?: undefined } | { part?: undefined; issues: MessageIssue[] };

/** Checks one part and returns its copy, or its issues. */
function checkPart(part: unknown, index: number): PartCheck {
  if (!isObject(part)) return { issues: blame(undefined, ['parts', index], 'expected an object') };
  let issues: MessageIssue[] | undefined;
  if (part.kind === 'text') {
    const text = part.text;
    const problem = stringProblem(text, false);
    if (problem !== undefined) issues = blame(issues, ['parts', index, 'text'], problem);
    issues = blameUnknownKeys(issues, part, ['parts', index], textPartFields);
    return issues === undefined ? { part: { kind: 'text', text: text as string } } : { issues };
  }
  if (part.kind === 'data') {
    const data = part.data;
    const copy: Record<string, unknown> = {};
    if (!isPlainObject(data))
      issues = blame(issues, ['parts', index, 'data'], 'expected a plain object');
    else {
      // As zod's record: own enumerable keys; `__proto__` is left out; a symbol key is refused.
      for (const key of Reflect.ownKeys(data)) {
        if (key === '__proto__' || !Object.prototype.propertyIsEnumerable.call(data, key)) continue;
        if (typeof key === 'symbol')
          issues = blame(issues, ['parts', index, 'data', key], 'expected a string key');
        else copy[key] = data[key];
      }
    }
    issues = blameUnknownKeys(issues, part, ['parts', index], dataPartFields);
    return issues === undefined ? { part: { kind: 'data', data: copy } } : { issues };
  }
  return { issues: blame(undefined, ['parts', index, 'kind'], 'expected "text" or "data"') };
}

/** The copy of `parts`, or its issues. */
function checkParts(parts: unknown): { parts: Part[]; issues?: MessageIssue[] } {
  const copies: Part[] = [];
  if (!Array.isArray(parts))
    return { parts: copies, issues: blame(undefined, ['parts'], 'expected an array') };
  let issues: MessageIssue[] | undefined;
  if (parts.length === 0) issues = blame(issues, ['parts'], 'expected at least one part');
  for (let index = 0; index < parts.length; index += 1) {
    const checked = checkPart(parts[index], index);
    if (checked.issues === undefined) copies.push(checked.part);
    else issues = [...(issues ?? []), ...checked.issues];
  }
  return issues === undefined ? { parts: copies } : { parts: copies, issues };
}

/** The copy of `tags` (absent or undefined: none), or its issues. */
function checkTags(tags: unknown): { tags: string[]; issues?: MessageIssue[] } {
  const copy: string[] = [];
  if (tags === undefined) return { tags: copy };
  if (!Array.isArray(tags))
    return { tags: copy, issues: blame(undefined, ['tags'], 'expected an array of strings') };
  let issues: MessageIssue[] | undefined;
  for (let index = 0; index < tags.length; index += 1) {
    const tag: unknown = tags[index];
    const problem = stringProblem(tag, false);
    if (problem !== undefined) issues = blame(issues, ['tags', index], problem);
    copy.push(tag as string);
  }
  return issues === undefined ? { tags: copy } : { tags: copy, issues };
}

/**
 * Checks an A2A message against the envelope without zod, for the memory bus's hot path: the
 * same verdict and the same output as `A2AMessage.safeParse` (the schema in `message.ts` stays
 * the source of truth; `test/a2a/check-message.test.ts` holds the two together on random
 * messages). The output is a fresh copy: new objects and arrays for the envelope, its parts,
 * tags and each data part's record, whose values are shared, not cloned; `severity` and `tags`
 * get their defaults.
 */
export function checkMessage(input: unknown): MessageCheck {
  if (!isObject(input)) return { ok: false, issues: blame(undefined, [], 'expected an object') };
  let issues: MessageIssue[] | undefined;
  if (input.schemaVersion !== messageSchemaVersion)
    issues = blame(issues, ['schemaVersion'], `expected ${messageSchemaVersion}`);
  issues = blameField(issues, 'messageId', stringProblem(input.messageId, true));
  issues = blameField(issues, 'contextId', stringProblem(input.contextId, true));
  issues = blameField(issues, 'taskId', stringProblem(input.taskId, true));
  issues = blameField(issues, 'role', oneOfProblem(input.role, roles));
  const parts = checkParts(input.parts);
  if (parts.issues !== undefined) issues = [...(issues ?? []), ...parts.issues];
  issues = blameField(issues, 'from', stringProblem(input.from, true));
  issues = blameField(issues, 'to', stringProblem(input.to, true));
  issues = blameField(issues, 'kind', oneOfProblem(input.kind, kinds));
  const severity = input.severity === undefined ? 'normal' : input.severity;
  issues = blameField(issues, 'severity', oneOfProblem(severity, severities));
  const tags = checkTags(input.tags);
  if (tags.issues !== undefined) issues = [...(issues ?? []), ...tags.issues];
  const hasInReplyTo = 'inReplyTo' in input;
  if (input.inReplyTo !== undefined)
    issues = blameField(issues, 'inReplyTo', stringProblem(input.inReplyTo, false));
  const hasDeadline = 'deadline' in input;
  if (input.deadline !== undefined)
    issues = blameField(issues, 'deadline', integerProblem(input.deadline));
  issues = blameField(issues, 'hop', integerProblem(input.hop, 0));
  issues = blameField(issues, 'sentAt', integerProblem(input.sentAt));
  issues = blameUnknownKeys(issues, input, [], fields);
  if (issues !== undefined) return { ok: false, issues };

  // Every field is checked: build the copy in the schema's order, as zod does.
  const message = {
    schemaVersion: messageSchemaVersion,
    messageId: input.messageId,
    contextId: input.contextId,
    taskId: input.taskId,
    role: input.role,
    parts: parts.parts,
    from: input.from,
    to: input.to,
    kind: input.kind,
    severity,
    tags: tags.tags,
  } as A2AMessage;
  if (hasInReplyTo) message.inReplyTo = input.inReplyTo as string | undefined;
  if (hasDeadline) message.deadline = input.deadline as number | undefined;
  message.hop = input.hop as number;
  message.sentAt = input.sentAt as number;
  return { ok: true, message };
}
