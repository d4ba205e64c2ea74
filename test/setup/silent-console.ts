import { afterEach, beforeEach } from 'vitest';

/**
 * Fails any test that writes to the console: product code reports through its
 * own outputs (return values, events, the CLI's streams), never stray logging.
 */
const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
let printed: string[] = [];
const originals = new Map<(typeof methods)[number], (...args: unknown[]) => void>();

beforeEach(() => {
  printed = [];
  for (const method of methods) {
    originals.set(method, console[method]);
    console[method] = (...args: unknown[]) => {
      printed.push(`console.${method}: ${args.map(String).join(' ')}`);
    };
  }
});

afterEach(() => {
  for (const method of methods) {
    const original = originals.get(method);
    if (original) console[method] = original;
  }
  if (printed.length > 0) {
    throw new Error(`test printed to the console:\n${printed.join('\n')}`);
  }
});
