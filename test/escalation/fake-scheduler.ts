import type { Schedule } from '../../src/escalation/timers.js';

/** A scheduler on a fake real-time clock: callbacks run only when the test advances it. */
export interface FakeScheduler {
  schedule: Schedule;
  /** Fake real milliseconds since the start. */
  realNow: () => number;
  /** Moves the fake real clock on by `milliseconds`, running what falls due, in order. */
  advance: (milliseconds: number) => void;
  /** The delays `schedule` was called with, in order. */
  delays: number[];
  /** How many scheduled callbacks are waiting (not run, not cancelled). */
  waiting: () => number;
}

/** Creates a fake scheduler whose real clock starts at 0. */
export function fakeScheduler(): FakeScheduler {
  let real = 0;
  let sequence = 0;
  const delays: number[] = [];
  const queue: { at: number; sequence: number; callback: () => void; cancelled: boolean }[] = [];
  const next = (until: number) =>
    queue
      .filter((entry) => !entry.cancelled && entry.at <= until)
      .sort((a, b) => a.at - b.at || a.sequence - b.sequence)[0];
  return {
    schedule(callback, delayMs) {
      delays.push(delayMs);
      const entry = { at: real + delayMs, sequence: sequence++, callback, cancelled: false };
      queue.push(entry);
      return () => {
        entry.cancelled = true;
      };
    },
    realNow: () => real,
    advance(milliseconds) {
      const until = real + milliseconds;
      for (let entry = next(until); entry; entry = next(until)) {
        entry.cancelled = true;
        real = entry.at;
        entry.callback();
      }
      real = until;
    },
    delays,
    waiting: () => queue.filter((entry) => !entry.cancelled).length,
  };
}
