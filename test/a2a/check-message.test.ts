import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ZodError } from 'zod';
import { checkMessage } from '../../src/a2a/check-message.js';
import { A2AMessage } from '../../src/a2a/message.js';
import { makeMessage } from '../helpers/a2a-message.js';

/** Values near every boundary of the schema's fields, and of the wrong types. */
const oddValue = fc.constantFrom<unknown>(
  undefined,
  null,
  '',
  'x',
  'task',
  'reply',
  'agent',
  'user',
  'normal',
  'critical',
  'text',
  'data',
  0,
  -0,
  1,
  -1,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 1,
  -(2 ** 60),
  true,
  [],
  [''],
  ['a', 'b'],
  [1],
  {},
  { kind: 'text', text: 'hi' },
  new Date(0),
);

const nonEmpty = fc.string({ minLength: 1, maxLength: 8 });
const integer = fc.oneof(fc.integer(), fc.maxSafeInteger());

/** A record for a data part: plain, null-prototype, with `__proto__` or symbol keys, or not plain. */
const dataRecord = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.dictionary(fc.string({ maxLength: 6 }), fc.anything(), { maxKeys: 4 }),
  },
  {
    weight: 4,
    arbitrary: fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue(), {
      maxKeys: 4,
      noNullPrototype: false,
    }),
  },
  fc.constant(JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as unknown),
  fc.constant({ [Symbol('key')]: 1, a: 2 } as unknown),
  fc.constant(Object.create(null) as unknown),
  fc.constant(new Map([['a', 1]]) as unknown),
  fc.constant([1, 2] as unknown),
  oddValue,
);

/** A part: mostly well formed, sometimes with a wrong kind, a missing field or an extra one. */
const part = fc.oneof(
  { weight: 12, arbitrary: fc.record({ kind: fc.constant('text'), text: fc.string() }) },
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('data'), data: dataRecord }) },
  {
    weight: 1,
    arbitrary: fc.record(
      { kind: fc.oneof(fc.constantFrom('text', 'data'), oddValue), text: oddValue, data: oddValue },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: oddValue },
);

/** Mostly null, sometimes a value of `arbitrary`. */
function rarely<T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: 12, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });
}

/** A message that is valid except, often, for a few of its fields. */
const nearlyValid = fc
  .record(
    {
      schemaVersion: fc.oneof({ weight: 19, arbitrary: fc.constant(1) }, oddValue),
      messageId: fc.oneof({ weight: 19, arbitrary: nonEmpty }, oddValue),
      contextId: fc.oneof({ weight: 19, arbitrary: nonEmpty }, oddValue),
      taskId: fc.oneof({ weight: 19, arbitrary: nonEmpty }, oddValue),
      role: fc.oneof({ weight: 19, arbitrary: fc.constantFrom('user', 'agent') }, oddValue),
      parts: fc.oneof(
        { weight: 19, arbitrary: fc.array(part, { minLength: 1, maxLength: 3 }) },
        oddValue,
      ),
      from: fc.oneof({ weight: 19, arbitrary: nonEmpty }, oddValue),
      to: fc.oneof({ weight: 19, arbitrary: nonEmpty }, oddValue),
      kind: fc.oneof(
        {
          weight: 9,
          arbitrary: fc.constantFrom('task', 'reply', 'question', 'escalation', 'report', 'notice'),
        },
        oddValue,
      ),
      severity: fc.oneof(
        { weight: 19, arbitrary: fc.constantFrom('low', 'normal', 'high', 'critical') },
        oddValue,
      ),
      tags: fc.oneof(
        { weight: 19, arbitrary: fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }) },
        oddValue,
      ),
      inReplyTo: fc.oneof({ weight: 19, arbitrary: fc.string() }, oddValue),
      deadline: fc.oneof({ weight: 19, arbitrary: integer }, oddValue),
      hop: fc.oneof({ weight: 19, arbitrary: fc.nat() }, oddValue),
      sentAt: fc.oneof({ weight: 19, arbitrary: integer }, oddValue),
    },
    {
      requiredKeys: [
        'schemaVersion',
        'messageId',
        'contextId',
        'taskId',
        'role',
        'parts',
        'from',
        'to',
        'kind',
        'hop',
        'sentAt',
      ],
    },
  )
  .chain((message) =>
    fc
      .tuple(
        // Sometimes a required field goes missing, or a field the schema does not know appears.
        rarely(fc.constantFrom(...Object.keys(message))),
        rarely(fc.tuple(fc.constantFrom('priority', '__proto__', 'constructor', 'x'), oddValue)),
      )
      .map(([missing, extra]) => {
        const copy: Record<string, unknown> = Object.fromEntries(
          Object.entries(message).filter(([key]) => key !== missing),
        );
        if (extra !== null)
          Object.defineProperty(copy, extra[0], {
            value: extra[1],
            enumerable: true,
            writable: true,
            configurable: true,
          });
        return copy as unknown;
      }),
  );

/** Anything at all, including messages whose every field is random. */
const anyInput = fc.oneof(
  { weight: 8, arbitrary: nearlyValid },
  { weight: 1, arbitrary: fc.anything({ withNullPrototype: true, withObjectString: true }) },
  { weight: 1, arbitrary: oddValue },
);

/** The top-level fields an outcome blames ('' for the message itself), as a sorted list. */
function blamedFields(paths: readonly (readonly PropertyKey[])[]): string[] {
  return [...new Set(paths.map((path) => String(path[0] ?? '')))].sort();
}

/** Zod's blamed fields: an unknown key is reported on its parent, so name the key itself. */
function zodBlamedFields(error: ZodError): string[] {
  return blamedFields(
    error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys' && issue.path.length === 0
        ? issue.keys.map((key) => [key])
        : [issue.path],
    ),
  );
}

/** Own keys in order, recursively through plain objects and arrays: the shape of an output. */
function keyOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(keyOrder);
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).map(([key, item]) => [key, keyOrder(item)]);
  return null;
}

describe('checkMessage agrees with the A2AMessage zod schema', () => {
  it('accepts a valid message and returns a fresh copy equal to the input with defaults filled in', () => {
    const input = makeMessage({
      parts: [
        { kind: 'text', text: 'check the lag' },
        { kind: 'data', data: { replica: 'db-2', nested: { lag: 12 } } },
      ],
      tags: ['replication'],
    });
    const checked = checkMessage(input);

    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.message).toEqual(input);
    expect(checked.message).not.toBe(input);
    expect(checked.message.parts).not.toBe(input.parts);
    expect(checked.message.tags).not.toBe(input.tags);
    expect(checked.message.parts[1]).not.toBe(input.parts[1]);
  });

  it('fills in severity "normal" and no tags when they are left out', () => {
    const input: Record<string, unknown> = { ...makeMessage() };
    delete input.severity;
    delete input.tags;
    const checked = checkMessage(input);

    expect(checked.ok && [checked.message.severity, checked.message.tags]).toEqual(['normal', []]);
  });

  it('names each bad field, and a field the schema does not know', () => {
    const checked = checkMessage({ ...makeMessage({ messageId: '', hop: -1 }), priority: 'high' });

    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(blamedFields(checked.issues.map((issue) => issue.path))).toEqual([
      'hop',
      'messageId',
      'priority',
    ]);
  });

  it('gives the same verdict, output and blamed fields as zod on random messages', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const zod = A2AMessage.safeParse(input);
        const checked = checkMessage(input);
        expect(checked.ok).toBe(zod.success);
        if (checked.ok && zod.success) {
          expect(isDeepStrictEqual(checked.message, zod.data)).toBe(true);
          expect(keyOrder(checked.message)).toEqual(keyOrder(zod.data));
          expect(checked.message).not.toBe(input);
        } else if (!checked.ok && !zod.success) {
          expect(blamedFields(checked.issues.map((issue) => issue.path))).toEqual(
            zodBlamedFields(zod.error),
          );
        }
      }),
      { numRuns: 5_000 },
    );
  });

  it('accepts about as many random messages as it refuses (the generator reaches both sides)', () => {
    const verdicts = fc
      .sample(nearlyValid, { numRuns: 2_000, seed: 42 })
      .map((input) => checkMessage(input).ok);
    const accepted = verdicts.filter(Boolean).length;

    expect(accepted).toBeGreaterThan(200);
    expect(verdicts.length - accepted).toBeGreaterThan(200);
  });
});
