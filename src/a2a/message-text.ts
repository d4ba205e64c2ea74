import type { A2AMessage, Part } from './message.js';

/** The text of a message's text parts, joined with newlines. */
export function messageText(message: Pick<A2AMessage, 'parts'>): string {
  return message.parts
    .filter((part): part is Extract<Part, { kind: 'text' }> => part.kind === 'text')
    .map((part) => part.text)
    .join('\n');
}
