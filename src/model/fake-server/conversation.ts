import type { MessagesRequest, RequestMessage } from './request-body.js';

/** The system prompt as one text (blocks joined by blank lines). */
export function systemText(system: MessagesRequest['system']): string {
  if (system === undefined) return '';
  if (typeof system === 'string') return system;
  return system.map((block) => block.text).join('\n\n');
}

/** The text blocks of a message, joined by newlines. */
export function messageText(message: RequestMessage | undefined): string {
  if (!message) return '';
  if (typeof message.content === 'string') return message.content;
  return message.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('\n');
}

/** Whether a message is a person's or agent's words (text), not tool results. */
function isTextTurn(message: RequestMessage): boolean {
  return (
    message.role === 'user' &&
    (typeof message.content === 'string' || message.content.some((block) => block.type === 'text'))
  );
}

/** Where the current task starts: the last user message with text (earlier ones are chat history). */
function taskStart(messages: readonly RequestMessage[]): number {
  return Math.max(0, messages.findLastIndex(isTextTurn));
}

/** The text of the current task: the last user message that holds text, not tool results. */
export function taskText(messages: readonly RequestMessage[]): string {
  return messageText(messages[taskStart(messages)]);
}

/**
 * The text contents of the tool_result blocks of the last user message, in order
 * (a result made of blocks contributes its text blocks joined by newlines).
 */
export function lastToolResults(messages: readonly RequestMessage[]): string[] {
  const last = messages.findLast((message) => message.role === 'user');
  if (!last || typeof last.content === 'string') return [];
  return last.content.flatMap((block) => {
    if (block.type !== 'tool_result') return [];
    if (block.content === undefined) return [''];
    if (typeof block.content === 'string') return [block.content];
    return [
      block.content
        .flatMap((part) =>
          part.type === 'text' && typeof part.text === 'string' ? [part.text] : [],
        )
        .join('\n'),
    ];
  });
}

/**
 * How many assistant messages answer the current task: the 0-based index of this turn. Earlier
 * exchanges of a chat (before the last text message) do not count.
 */
export function assistantTurns(messages: readonly RequestMessage[]): number {
  return messages.slice(taskStart(messages)).filter((message) => message.role === 'assistant')
    .length;
}
