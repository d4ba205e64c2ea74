import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import type { Document, Node } from 'yaml';
import { diagnostic } from './diagnostic.js';
import type { Diagnostic, Location } from './diagnostic.js';

/** A path into a parsed YAML value: object keys and array indices. */
export type ValuePath = readonly (string | number)[];

/** Finds where a path's key or value sits in its file. */
export type Locator = (path: ValuePath, part?: 'key' | 'value') => Location;

/** A YAML file parsed to a plain value, with the positions of its nodes. */
export interface YamlSource {
  file: string;
  /** The plain value; `undefined` when the file could not be parsed. */
  value: unknown;
  locate: Locator;
  diagnostics: Diagnostic[];
}

/** The largest YAML or Markdown file cadre reads, in bytes. */
export const MAX_SOURCE_BYTES = 1024 * 1024;

const forbiddenKeys = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Parses YAML text with positions. Never throws: syntax errors, several documents,
 * forbidden keys (`__proto__`…) and non-string keys become diagnostics.
 * `lineOffset` shifts lines, for YAML embedded in another file (Markdown frontmatter).
 */
export function parseYamlSource(file: string, text: string, lineOffset = 0): YamlSource {
  const lineCounter = new LineCounter();
  const diagnostics: Diagnostic[] = [];
  const at = (offset: number): Location => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line: line + lineOffset, column: col };
  };
  const documents = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const list = Array.isArray(documents) ? documents : [];
  const document = list[0];
  const locate: Locator = (path, part = 'value') =>
    document ? locateNode(document, path, part, at) : at(0);

  if (!document) {
    return { file, value: undefined, locate, diagnostics };
  }
  for (const extra of list.slice(1)) {
    diagnostics.push(
      diagnostic(
        'error',
        'yaml-many-documents',
        at(extra.range[0]),
        'the file holds more than one YAML document',
        'remove the `---` separator: one file, one document',
      ),
    );
  }
  for (const error of [...document.errors, ...document.warnings]) {
    const position = error.linePos?.[0];
    const opening =
      error.code === 'MISSING_CHAR' ? unclosedQuote(text, error.message, error.pos[0]) : undefined;
    const location =
      opening !== undefined
        ? at(opening)
        : position
          ? { file, line: position.line + lineOffset, column: position.col }
          : at(error.pos[0]);
    const severity = document.errors.includes(error as never) ? 'error' : 'warning';
    diagnostics.push(
      diagnostic(
        severity,
        `yaml-${error.code.toLowerCase().replaceAll('_', '-')}`,
        location,
        `YAML: ${firstLine(error.message)}`,
      ),
    );
  }
  if (document.errors.length > 0 || diagnostics.some((entry) => entry.severity === 'error')) {
    return { file, value: undefined, locate, diagnostics };
  }
  const keyProblems = checkKeys(document.contents, at);
  diagnostics.push(...keyProblems);
  if (keyProblems.length > 0) return { file, value: undefined, locate, diagnostics };
  try {
    const value: unknown = document.toJS({ maxAliasCount: 100 });
    return { file, value, locate, diagnostics };
  } catch (error) {
    diagnostics.push(
      diagnostic(
        'error',
        'yaml-invalid',
        at(0),
        `YAML: ${firstLine(error instanceof Error ? error.message : String(error))}`,
      ),
    );
    return { file, value: undefined, locate, diagnostics };
  }
}

/** Where an unclosed quote opens: the last quote before `end` with no partner on its line. */
function unclosedQuote(text: string, message: string, end: number): number | undefined {
  const quote = /closing "quote/.test(message)
    ? '"'
    : /closing 'quote/.test(message)
      ? "'"
      : undefined;
  if (!quote) return undefined;
  let lineStart = text.lastIndexOf('\n', Math.max(0, end - 1));
  while (lineStart >= -1) {
    const from = lineStart + 1;
    const line = text.slice(
      from,
      text.indexOf('\n', from) < 0 ? undefined : text.indexOf('\n', from),
    );
    const count = line.split(quote).length - 1;
    if (count % 2 === 1) return from + line.lastIndexOf(quote);
    if (lineStart < 0) return undefined;
    // From the first character back there is no earlier line (lastIndexOf at -1 would look at 0 again).
    lineStart = lineStart === 0 ? -1 : text.lastIndexOf('\n', lineStart - 1);
  }
  return undefined;
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.trim() ?? message;
}

function checkKeys(node: unknown, at: (offset: number) => Location): Diagnostic[] {
  const found: Diagnostic[] = [];
  const visit = (current: unknown): void => {
    if (isMap(current)) {
      for (const pair of current.items) {
        const key = pair.key;
        const offset = (key as Node | null)?.range?.[0] ?? current.range?.[0] ?? 0;
        if (!isScalar(key) || (typeof key.value !== 'string' && typeof key.value !== 'number')) {
          found.push(
            diagnostic(
              'error',
              'yaml-key-not-string',
              at(offset),
              'a key must be a plain word',
              'write the key as text, such as `name:`',
            ),
          );
        } else if (forbiddenKeys.has(String(key.value))) {
          found.push(
            diagnostic(
              'error',
              'yaml-forbidden-key',
              at(offset),
              `the key '${String(key.value)}' is not allowed`,
              'remove it: keys such as __proto__ and constructor could change how cadre reads the file',
            ),
          );
        }
        visit(pair.value);
      }
    } else if (isSeq(current)) {
      for (const item of current.items) visit(item);
    }
  };
  visit(node);
  return found;
}

function locateNode(
  document: Document,
  path: ValuePath,
  part: 'key' | 'value',
  at: (offset: number) => Location,
): Location {
  let node: unknown = document.contents;
  let best = at((node as Node | null)?.range?.[0] ?? 0);
  for (let index = 0; index < path.length; index++) {
    const step = path[index];
    const last = index === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(step),
      );
      if (!pair) return best;
      const keyNode = pair.key as Node | null;
      const valueNode = pair.value as Node | null;
      if (last && part === 'key' && keyNode?.range) return at(keyNode.range[0]);
      best = at(valueNode?.range?.[0] ?? keyNode?.range?.[0] ?? 0);
      if (!valueNode?.range && keyNode?.range) best = at(keyNode.range[0]);
      node = valueNode;
    } else if (isSeq(node) && typeof step === 'number') {
      const item = node.items[step] as Node | undefined;
      if (!item?.range) return best;
      best = at(item.range[0]);
      node = item;
    } else {
      return best;
    }
  }
  return best;
}
