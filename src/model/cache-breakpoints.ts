import type { ContentBlock, ModelMessage, ModelTool } from './model.js';

/** The Messages API's marker for a prompt-cache breakpoint. */
export const ephemeral = { type: 'ephemeral' } as const;

type WithCache<T> = T & { cache_control?: typeof ephemeral };

/**
 * Places prompt-cache breakpoints on the stable prefix of a request (four at most, the API's
 * limit): the last tool, the system prompt, the last block of the conversation so far, and the
 * last block of the previous turn's final user message. A session's next request repeats this
 * request's conversation as its prefix, with a breakpoint at its end, so it is read from the
 * cache. Inputs are not modified.
 */
export function withCacheBreakpoints(request: {
  system: string;
  tools: ModelTool[];
  messages: ModelMessage[];
}): {
  system: WithCache<{ type: 'text'; text: string }>[];
  tools: WithCache<ModelTool>[];
  messages: { role: ModelMessage['role']; content: WithCache<ContentBlock>[] }[];
} {
  const tools: WithCache<ModelTool>[] = request.tools.map((tool, index) =>
    index === request.tools.length - 1 ? { ...tool, cache_control: ephemeral } : tool,
  );
  const system = [{ type: 'text' as const, text: request.system, cache_control: ephemeral }];
  const last = request.messages.length - 1;
  const marked = new Set([last, last - 2]);
  const messages = request.messages.map((message, messageIndex) => {
    const blocks: ContentBlock[] =
      typeof message.content === 'string'
        ? [{ type: 'text', text: message.content }]
        : message.content;
    const mark = marked.has(messageIndex) && message.role === 'user';
    return {
      role: message.role,
      content: blocks.map((block, blockIndex) =>
        mark && blockIndex === blocks.length - 1 ? { ...block, cache_control: ephemeral } : block,
      ),
    };
  });
  return { system, tools, messages };
}
