import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { CadreError } from '../errors.js';

/** A result a person reads (the text) and a program reads (the same facts as structured data). */
export function structuredResult(
  text: string,
  data: Record<string, unknown>,
  isError = false,
): CallToolResult {
  return {
    content: [{ type: 'text', text }],
    structuredContent: data,
    ...(isError ? { isError: true } : {}),
  };
}

/**
 * A refused call: `isError`, naming the tool and the field that was wrong, with a hint. The
 * client's model reads it and can correct the call; the server goes on serving.
 */
export function inputError(
  tool: string,
  field: string,
  message: string,
  hint?: string,
): CallToolResult {
  return {
    content: [{ type: 'text', text: `${tool}: ${field}: ${message}${hint ? `\n${hint}` : ''}` }],
    isError: true,
  };
}

/** A call that failed: a CadreError's message and hint, or an unexpected error's message. */
export function failure(tool: string, error: unknown): CallToolResult {
  const text =
    error instanceof CadreError
      ? `${tool}: ${error.message}${error.hint ? `\n${error.hint}` : ''}`
      : `${tool} failed: ${error instanceof Error ? error.message : String(error)}`;
  return { content: [{ type: 'text', text }], isError: true };
}
