import { InvalidArgumentError } from 'commander';

/** Parses `--time-scale`: a positive number (1 is real time, 1000 a thousand times faster). */
export function parseTimeScale(value: string): number {
  const scale = Number(value);
  if (!Number.isFinite(scale) || scale <= 0) {
    throw new InvalidArgumentError(
      `'${value}' is not a time scale: give a positive number, such as 1000`,
    );
  }
  return scale;
}
