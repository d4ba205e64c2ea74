import type { ContentBlock, ModelMessage, ModelTool } from './model.js';

/** The Messages API's marker for a prompt-cache breakpoint. */
export const ephemeral = { type: 'ephemeral' } as const;

type WithCache<T> = T & { cache_control?: typeof ephemeral };

/**
 * Places prompt-cache breakpoints on the stable prefix of a request: the last tool, the system
 * prompt, and the last block of the conversation so far. Each later turn of a session repeats
 * that prefix byte for byte, so it is read from the cache. Inputs are not modified.
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
  const messages = request.messages.map((message, messageIndex) => {
    const blocks: ContentBlock[] =
      typeof message.content === 'string'
        ? [{ type: 'text', text: message.content }]
        : message.content;
    const last = messageIndex === request.messages.length - 1;
    return {
      role: message.role,
      content: blocks.map((block, blockIndex) =>
        last && blockIndex === blocks.length - 1 ? { ...block, cache_control: ephemeral } : block,
      ),
    };
  });
  return { system, tools, messages };
}
