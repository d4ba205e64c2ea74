import { createHash } from 'node:crypto';
import type { CacheControl, MessagesRequest } from './request-body.js';

/** Tokens the fake server counts for a text of this many characters: a quarter, rounded up. */
export function estimateTokens(characters: number): number {
  return Math.ceil(characters / 4);
}

/** The input side of a response's usage. */
export interface InputUsage {
  /** Tokens neither read from nor written to the cache. */
  input_tokens: number;
  /** Tokens written to the cache (from the cached prefix to the last breakpoint). */
  cache_creation_input_tokens: number;
  /** Tokens of the longest cached prefix this request reused. */
  cache_read_input_tokens: number;
  /** The written tokens by lifetime. */
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
}

/** A request measured against the cache: its usage, and what answering it writes. */
export interface PromptMeasure {
  usage: InputUsage;
  /** Prefix hashes to remember, with their lifetime in milliseconds. */
  writes: { hash: string; ttlMs: number }[];
}

interface Block {
  /** Hash of the prompt up to and including this block. */
  hash: string;
  /** Tokens of the prompt up to and including this block. */
  tokens: number;
  /** The block's breakpoint lifetime in milliseconds, when it carries `cache_control`. */
  breakpointMs: number | undefined;
}

const fiveMinutes = 5 * 60 * 1000;
const oneHour = 60 * 60 * 1000;
/** How many blocks before a breakpoint the real API checks for an earlier cached prefix. */
const lookback = 20;

/**
 * Prompt caching as the Messages API does it, without the minimum cacheable length: the prompt
 * is read as blocks in the order tools → system → messages; a block with `cache_control` is a
 * breakpoint. A request reads the longest prefix that an earlier request wrote (ending at one
 * of the 20 blocks up to a breakpoint), writes everything from there to its last breakpoint,
 * and pays full price for the rest. Entries live 5 minutes (or 1 hour with `ttl: '1h'`) from
 * their last use, by the server's clock. Cached prefixes are kept per model.
 */
export class PromptCache {
  readonly #expiries = new Map<string, number>();

  /** Measures a request against what the cache holds at `now`; changes nothing. */
  measure(request: MessagesRequest, now: number): PromptMeasure {
    const blocks = promptBlocks(request);
    const total = blocks.at(-1)?.tokens ?? 0;
    const breakpoints = blocks.flatMap((block, index) =>
      block.breakpointMs === undefined ? [] : [index],
    );
    const last = breakpoints.at(-1);
    if (last === undefined) {
      return { usage: inputUsage(total, 0, 0, 0), writes: [] };
    }
    const candidates = new Set<number>();
    for (const breakpoint of breakpoints) {
      for (let index = breakpoint; index >= 0 && index > breakpoint - lookback; index--) {
        candidates.add(index);
      }
    }
    const hit = [...candidates]
      .sort((a, b) => b - a)
      .find((index) => (this.#expiries.get(blocks[index]?.hash ?? '') ?? -1) > now);
    const readTokens = hit === undefined ? 0 : (blocks[hit]?.tokens ?? 0);
    let fiveMinuteTokens = 0;
    let oneHourTokens = 0;
    let previous = readTokens;
    for (const index of breakpoints) {
      const block = blocks[index];
      if (!block || (hit !== undefined && index <= hit)) continue;
      if (block.breakpointMs === oneHour) oneHourTokens += block.tokens - previous;
      else fiveMinuteTokens += block.tokens - previous;
      previous = block.tokens;
    }
    const lastTokens = blocks[last]?.tokens ?? 0;
    const writes = breakpoints.flatMap((index) => {
      const block = blocks[index];
      return block ? [{ hash: block.hash, ttlMs: block.breakpointMs ?? fiveMinutes }] : [];
    });
    const hitBlock = hit === undefined ? undefined : blocks[hit];
    if (hitBlock && !breakpoints.includes(hit ?? -1)) {
      writes.push({ hash: hitBlock.hash, ttlMs: fiveMinutes });
    }
    return {
      usage: inputUsage(total - lastTokens, readTokens, fiveMinuteTokens, oneHourTokens),
      writes,
    };
  }

  /** Remembers (or refreshes) the prefixes of a request that was answered at `now`. */
  store(measure: PromptMeasure, now: number): void {
    for (const write of measure.writes) {
      const expiry = now + write.ttlMs;
      this.#expiries.set(write.hash, Math.max(expiry, this.#expiries.get(write.hash) ?? 0));
    }
  }
}

function inputUsage(
  uncached: number,
  read: number,
  fiveMinutes: number,
  oneHour: number,
): InputUsage {
  return {
    input_tokens: Math.max(0, uncached),
    cache_creation_input_tokens: fiveMinutes + oneHour,
    cache_read_input_tokens: read,
    cache_creation: { ephemeral_5m_input_tokens: fiveMinutes, ephemeral_1h_input_tokens: oneHour },
  };
}

/** The prompt as blocks in cache order, each with its running hash and token count. */
function promptBlocks(request: MessagesRequest): Block[] {
  const blocks: Block[] = [];
  let hash = createHash('sha256').update(request.model).digest('hex');
  let characters = 0;
  const add = (
    kind: string,
    block: unknown,
    text: string,
    control: CacheControl | null | undefined,
  ) => {
    hash = createHash('sha256')
      .update(`${hash}\u0000${kind}\u0000${JSON.stringify(withoutCacheControl(block))}`)
      .digest('hex');
    characters += text.length;
    const breakpointMs = control ? (control.ttl === '1h' ? oneHour : fiveMinutes) : undefined;
    blocks.push({ hash, tokens: estimateTokens(characters), breakpointMs });
  };
  for (const tool of request.tools ?? []) {
    add('tool', tool, JSON.stringify(withoutCacheControl(tool)), tool.cache_control);
  }
  if (typeof request.system === 'string') {
    add('system', request.system, request.system, undefined);
  } else {
    for (const block of request.system ?? []) add('system', block, block.text, block.cache_control);
  }
  for (const message of request.messages) {
    if (typeof message.content === 'string') {
      add(message.role, message.content, message.content, undefined);
      continue;
    }
    for (const block of message.content) {
      add(message.role, block, blockText(block), block.cache_control);
    }
  }
  return blocks;
}

/** The characters a message block counts for. */
function blockText(block: { type: string; [key: string]: unknown }): string {
  switch (block.type) {
    case 'text':
      return String(block.text);
    case 'tool_use':
      return `${String(block.name)}${JSON.stringify(block.input ?? {})}`;
    case 'tool_result':
      return typeof block.content === 'string'
        ? block.content
        : JSON.stringify(block.content ?? '');
    default:
      return JSON.stringify(withoutCacheControl(block));
  }
}

function withoutCacheControl(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'cache_control'));
}
