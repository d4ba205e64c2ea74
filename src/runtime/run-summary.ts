import type { RunTotals } from './run-event.js';

/** The closing summary: model calls, tokens, cache-read share, cost (estimated in a rehearsal), wall time. */
export function summaryLine(totals: RunTotals, rehearsal = false): string {
  const input = totals.inputTokens + totals.cacheReadTokens + totals.cacheWriteTokens;
  const share = input === 0 ? 0 : Math.round((totals.cacheReadTokens / input) * 100);
  const tokens = (input + totals.outputTokens).toLocaleString('en-US');
  return `${totals.modelCalls} model calls · ${tokens} tokens (${share}% read from cache) · ${totals.toolCalls} tool calls · ${totals.messages} messages · ${rehearsal ? `nothing spent (would be $${totals.costUsd.toFixed(4)})` : `$${totals.costUsd.toFixed(4)}`} · ${(totals.wallMs / 1000).toFixed(1)} s`;
}
