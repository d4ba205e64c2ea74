import { z } from 'zod';
import { parseDuration } from './duration.js';

/** A duration as written in YAML: `30m`, `1h`, `90s`, `immediate`. */
export const Duration = z
  .string({ error: 'a duration is text such as 30m, 1h, 90s or immediate' })
  .refine((text) => parseDuration(text) !== undefined, {
    error: (issue) =>
      /^\s*-/.test(String(issue.input))
        ? `'${String(issue.input)}' is a negative wait: a wait runs forward from when the request was sent; write 0 or more, such as 30m, or immediate`
        : `'${String(issue.input)}' is not a duration: write a number and a unit (ms, s, m, h, d), such as 30m, 1h, 90s, 1h30m, or immediate`,
  });
/** A duration as written in YAML. */
export type Duration = z.infer<typeof Duration>;
