import { CadreError } from '../errors.js';

/**
 * A clock for drills: epoch milliseconds that run `timeScale` times faster than `realNow`
 * from `origin` on (`origin` itself reads the same on both clocks). Anchor `origin` at the
 * run's start and keep it across a resume, so that deadlines stored in scaled time stay
 * meaningful: the time the process was down counts, scaled, and what fell due meanwhile
 * fires at once.
 */
export function scaledClock(options: {
  timeScale: number;
  origin?: number;
  realNow?: () => number;
}): () => number {
  const realNow = options.realNow ?? Date.now;
  const origin = options.origin ?? realNow();
  const { timeScale } = options;
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) {
    throw new CadreError({
      code: 'time-scale-invalid',
      message: `time scale must be a positive number; got ${timeScale}`,
      hint: 'use 1 for real time, or 1000 to run a drill 1000 times faster',
    });
  }
  return () => origin + (realNow() - origin) * timeScale;
}
