import { describe, expect, it } from 'vitest';
import { scaledClock } from '../../src/escalation/scaled-clock.js';
import { CadreError } from '../../src/errors.js';

describe('scaledClock', () => {
  it('runs time-scale times faster than the real clock from its origin', () => {
    let real = 1_000_000;
    const now = scaledClock({ timeScale: 1000, origin: 1_000_000, realNow: () => real });
    expect(now()).toBe(1_000_000);
    real += 1800;
    expect(now()).toBe(1_000_000 + 30 * 60_000);
  });

  it('keeps its timeline across a restart when given the same origin', () => {
    let real = 500;
    const before = scaledClock({ timeScale: 10, origin: 0, realNow: () => real });
    const reading = before();
    const after = scaledClock({ timeScale: 10, origin: 0, realNow: () => real });
    expect(after()).toBe(reading);
    real += 1;
    expect(after()).toBe(reading + 10);
  });

  it('starts at the real time when no origin is given', () => {
    const now = scaledClock({ timeScale: 1, realNow: () => 42 });
    expect(now()).toBe(42);
  });

  it('refuses a time scale that is not a positive number', () => {
    expect(() => scaledClock({ timeScale: 0 })).toThrow(CadreError);
    expect(() => scaledClock({ timeScale: -2 })).toThrow('time scale must be a positive number');
  });
});
