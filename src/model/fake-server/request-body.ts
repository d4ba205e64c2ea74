import { z } from 'zod';

/** A prompt-caching breakpoint on a block: `{ type: 'ephemeral', ttl?: '5m' | '1h' }`. */
export const CacheControl = z.looseObject({
  type: z.literal('ephemeral'),
  ttl: z.enum(['5m', '1h']).optional(),
});
/** A prompt-caching breakpoint on a block. */
export type CacheControl = z.infer<typeof CacheControl>;

const cacheControl = CacheControl.nullish();

/** A text block of a request (system or message). */
export const RequestTextBlock = z.looseObject({
  type: z.literal('text'),
  text: z.string(),
  cache_control: cacheControl,
});
/** A text block of a request. */
export type RequestTextBlock = z.infer<typeof RequestTextBlock>;

/** A tool call the assistant made, sent back as history. */
export const RequestToolUseBlock = z.looseObject({
  type: z.literal('tool_use'),
  id: z.string(),
  name: z.string(),
  input: z.unknown(),
  cache_control: cacheControl,
});
/** A tool call sent back as history. */
export type RequestToolUseBlock = z.infer<typeof RequestToolUseBlock>;

/** The answer to a tool call: text, or a list of blocks (text, images). */
export const RequestToolResultBlock = z.looseObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string(),
  content: z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]).optional(),
  is_error: z.boolean().optional(),
  cache_control: cacheControl,
});
/** The answer to a tool call. */
export type RequestToolResultBlock = z.infer<typeof RequestToolResultBlock>;

/** Blocks the fake server accepts but does not read (images, documents, thinking). */
const OtherBlock = <T extends string>(type: T) =>
  z.looseObject({ type: z.literal(type), cache_control: cacheControl });

/** Any block of a request message. */
export const RequestBlock = z.discriminatedUnion('type', [
  RequestTextBlock,
  RequestToolUseBlock,
  RequestToolResultBlock,
  OtherBlock('image'),
  OtherBlock('document'),
  OtherBlock('search_result'),
  OtherBlock('thinking'),
  OtherBlock('redacted_thinking'),
]);
/** Any block of a request message. */
export type RequestBlock = z.infer<typeof RequestBlock>;

/** One message of the request's conversation. */
export const RequestMessage = z.looseObject({
  role: z.enum(['user', 'assistant']),
  content: z.union([z.string(), z.array(RequestBlock)]),
});
/** One message of the request's conversation. */
export type RequestMessage = z.infer<typeof RequestMessage>;

/** A tool offered to the model (custom tools carry `input_schema`; server tools need not). */
export const RequestTool = z.looseObject({
  name: z.string().min(1),
  description: z.string().optional(),
  input_schema: z.record(z.string(), z.unknown()).optional(),
  cache_control: cacheControl,
});
/** A tool offered to the model. */
export type RequestTool = z.infer<typeof RequestTool>;

/** The body of `POST /v1/messages`, as far as the fake server reads it. */
export const MessagesRequest = z.looseObject({
  model: z.string().min(1),
  max_tokens: z.int().positive(),
  system: z.union([z.string(), z.array(RequestTextBlock)]).optional(),
  messages: z.array(RequestMessage).min(1, { error: 'at least one message is required' }),
  tools: z.array(RequestTool).optional(),
  stream: z.boolean().optional(),
});
/** The body of `POST /v1/messages`. */
export type MessagesRequest = z.infer<typeof MessagesRequest>;

/**
 * The message of a 400 for a body that fails the schema, worded like the real API's
 * (`max_tokens: Field required`).
 */
export function requestProblem(body: unknown, issues: readonly z.core.$ZodIssue[]): string {
  const issue = issues[0];
  if (!issue) return 'invalid request';
  const path = issue.path.map(String).join('.');
  const where = path === '' ? '' : `${path}: `;
  if (issue.code === 'invalid_type' && valueAt(body, issue.path) === undefined) {
    return `${where}Field required`;
  }
  return `${where}${issue.message}`;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const step of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[step];
  }
  return current;
}
