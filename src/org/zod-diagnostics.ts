import type { z } from 'zod';
import { diagnostic } from './diagnostic.js';
import type { Diagnostic } from './diagnostic.js';
import { suggestion } from './suggest.js';
import type { Locator, ValuePath } from './yaml-source.js';

interface SchemaDefinition {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  out?: z.ZodType;
  options?: z.ZodType[];
  valueType?: z.ZodType;
}

function definitionOf(schema: z.ZodType): SchemaDefinition {
  return (schema as unknown as { _zod: { def: SchemaDefinition } })._zod.def;
}

/** Unwraps optional, nullable, default and pipe wrappers down to the schema that holds the shape. */
function unwrap(schema: z.ZodType): z.ZodType[] {
  const definition = definitionOf(schema);
  switch (definition.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'readonly':
      return definition.innerType ? unwrap(definition.innerType) : [schema];
    case 'pipe':
      return definition.out ? unwrap(definition.out) : [schema];
    case 'union':
      return (definition.options ?? []).flatMap(unwrap);
    default:
      return [schema];
  }
}

/** The keys an object schema at `path` allows (empty when unknown). */
export function allowedKeysAt(schema: z.ZodType, path: ValuePath): string[] {
  let current = unwrap(schema);
  for (const step of path) {
    const next: z.ZodType[] = [];
    for (const candidate of current) {
      const definition = definitionOf(candidate);
      const shape = definition.shape;
      if (
        definition.type === 'object' &&
        typeof step === 'string' &&
        shape &&
        Object.hasOwn(shape, step)
      ) {
        next.push(...unwrap(shape[step] as z.ZodType));
      } else if (definition.type === 'array' && typeof step === 'number' && definition.element) {
        next.push(...unwrap(definition.element));
      } else if (definition.type === 'record' && definition.valueType) {
        next.push(...unwrap(definition.valueType));
      }
    }
    current = next;
  }
  return current.flatMap((candidate) => {
    const definition = definitionOf(candidate);
    return definition.type === 'object' ? Object.keys(definition.shape ?? {}) : [];
  });
}

const typeNouns: Record<string, { noun: string; hint: string }> = {
  array: { noun: 'a list', hint: 'write a YAML list: one `- item` per line, or [a, b]' },
  object: { noun: 'a map of keys', hint: 'write its keys on the lines below it, indented' },
  string: {
    noun: 'text',
    hint: 'write text; quote it if it starts with a character YAML treats specially',
  },
  number: { noun: 'a number', hint: 'write a number such as 20' },
  int: { noun: 'a whole number', hint: 'write a whole number such as 20' },
  boolean: { noun: 'true or false', hint: 'write true or false' },
};

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map of keys';
  if (typeof value === 'string')
    return `the text '${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  return `the ${typeof value} ${String(value)}`;
}

function valueAt(value: unknown, path: ValuePath): unknown {
  let current = value;
  for (const step of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}

/**
 * Turns zod issues into located diagnostics: unknown keys get a "did you mean", missing keys
 * point at the object that lacks them, everything else points at the offending value.
 */
export function diagnosticsFromIssues(
  issues: readonly z.core.$ZodIssue[],
  schema: z.ZodType,
  input: unknown,
  locate: Locator,
  what: string,
): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const issue of issues) {
    const path = issue.path as (string | number)[];
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeysAt(schema, path);
      for (const key of issue.keys) {
        const where = path.length > 0 ? ` in ${path.join('.')}` : '';
        found.push(
          diagnostic(
            'error',
            'unknown-key',
            locate([...path, key], 'key'),
            `unknown key '${key}'${where} of ${what}`,
            suggestion(key, allowed, 'allowed keys'),
          ),
        );
      }
      continue;
    }
    const parentPath = path.slice(0, -1);
    const last = path[path.length - 1];
    const parent = valueAt(input, parentPath);
    const missing =
      typeof last === 'string' &&
      parent !== null &&
      typeof parent === 'object' &&
      !Array.isArray(parent) &&
      !(last in parent);
    if (missing) {
      const detail = issue.message.startsWith('Invalid input') ? '' : `: ${issue.message}`;
      found.push(
        diagnostic(
          'error',
          'missing-key',
          locate(parentPath),
          `missing required key '${String(last)}' in ${what}${detail}`,
          `add ${String(last)}: to ${parentPath.length > 0 ? parentPath.join('.') : what}`,
        ),
      );
      continue;
    }
    const where = path.length > 0 ? `${path.join('.')}: ` : '';
    if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid input')) {
      const expected = typeNouns[issue.expected] ?? {
        noun: issue.expected,
        hint: 'see the YAML reference in README.md',
      };
      found.push(
        diagnostic(
          'error',
          'invalid-value',
          locate(path),
          `${where}expected ${expected.noun}, got ${describeValue(valueAt(input, path))}`,
          expected.hint,
        ),
      );
      continue;
    }
    found.push(diagnostic('error', 'invalid-value', locate(path), `${where}${issue.message}`));
  }
  return found;
}
