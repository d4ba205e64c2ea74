import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** A successful tool result: readable text, plus the same data as JSON for programs. */
export function textResult(text: string, data?: unknown): CallToolResult {
  const result: CallToolResult = { content: [{ type: 'text', text }] };
  if (data !== undefined) result.structuredContent = { result: data };
  return result;
}

/** A refused or failed call: `isError`, with a message that says what was wrong and what to do. */
export function errorResult(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}
