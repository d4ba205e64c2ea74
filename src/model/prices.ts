import type { ModelUsage } from './model.js';

/** Prices of a model in US dollars per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
  /** Writing the prompt cache (5-minute lifetime): 1.25 × input. */
  cacheWrite: number;
  /** Reading from the prompt cache: 0.1 × input. */
  cacheRead: number;
}

function price(input: number, output: number): ModelPrice {
  return { input, output, cacheWrite: input * 1.25, cacheRead: input * 0.1 };
}

/**
 * The one price table, by model family; a dated id (`claude-sonnet-4-5-20250929`) is priced as
 * its family. Public list prices in USD per million tokens.
 */
export const modelPrices: Readonly<Record<string, ModelPrice>> = {
  'claude-opus-4-5': price(5, 25),
  'claude-opus-4-1': price(15, 75),
  'claude-opus-4': price(15, 75),
  'claude-sonnet-4-6': price(3, 15),
  'claude-sonnet-4-5': price(3, 15),
  'claude-sonnet-4': price(3, 15),
  'claude-3-7-sonnet': price(3, 15),
  'claude-haiku-4-5': price(1, 5),
  'claude-3-5-haiku': price(0.8, 4),
  'claude-3-haiku': price(0.25, 1.25),
};

/** The price of a model id: its own entry, or the longest family prefix; `undefined` when unknown. */
export function priceOf(model: string): ModelPrice | undefined {
  const family = Object.keys(modelPrices)
    .filter((name) => model === name || model.startsWith(`${name}-`))
    .sort((a, b) => b.length - a.length)[0];
  return family === undefined ? undefined : modelPrices[family];
}

/** The cost of one call in US dollars (0 for a model without a price). */
export function costOf(model: string, usage: ModelUsage): number {
  const prices = priceOf(model);
  if (!prices) return 0;
  return (
    (usage.input_tokens * prices.input +
      usage.output_tokens * prices.output +
      usage.cache_creation_input_tokens * prices.cacheWrite +
      usage.cache_read_input_tokens * prices.cacheRead) /
    1_000_000
  );
}
