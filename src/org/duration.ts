const unitMilliseconds = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const wholePattern = /^(?:\d+(?:ms|s|m|h|d))+$/;
const partPattern = /(\d+)(ms|s|m|h|d)/g;

/**
 * Milliseconds of a duration such as `30m`, `1h`, `90s`, `1h30m`, `250ms`, `2d`, or
 * `immediate` (0); `undefined` when the text is not a duration.
 */
export function parseDuration(text: string): number | undefined {
  if (text === 'immediate') return 0;
  if (!wholePattern.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(partPattern)) {
    total += Number(amount) * unitMilliseconds[unit as keyof typeof unitMilliseconds];
  }
  return total;
}

/** Formats milliseconds as the shortest duration text (`90000` → `1m30s`, `0` → `immediate`). */
export function formatDuration(milliseconds: number): string {
  if (milliseconds === 0) return 'immediate';
  let rest = milliseconds;
  let text = '';
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
    ['ms', 1],
  ] as const) {
    const count = Math.floor(rest / size);
    if (count > 0) {
      text += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return text;
}
