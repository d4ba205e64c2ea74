import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/org/duration.js';

describe('durations', () => {
  it('reads the units the seeds use', () => {
    expect(parseDuration('30m')).toBe(30 * 60_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('2d')).toBe(172_800_000);
    expect(parseDuration('immediate')).toBe(0);
  });

  it('refuses text that is not a duration', () => {
    for (const text of ['30', '30 minutes', '1 hour', 'h1', '', '-5m', '1.5h', 'soon', '30M']) {
      expect(parseDuration(text), text).toBeUndefined();
    }
  });

  it('formats milliseconds back to the shortest text', () => {
    expect(formatDuration(0)).toBe('immediate');
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(3_600_000)).toBe('1h');
    expect(parseDuration(formatDuration(5_432_100))).toBe(5_432_100);
  });
});
