import { CadreError } from '../errors.js';
import { MinHeap } from './timer-heap.js';

/** Runs `callback` after `delayMs` real milliseconds; returns a function that cancels it. */
export type Schedule = (callback: () => void, delayMs: number) => () => void;

/** What a timer does when it goes off; a rejected promise goes to `onError`. */
export type FireTimer = (id: string) => void | Promise<void>;

/** A timer as `pending()` lists it. */
export interface PendingTimer {
  id: string;
  /** Epoch milliseconds on the `now` clock (scaled time in a drill). */
  dueAt: number;
}

/** How timers tell time and wait. */
export interface TimersOptions {
  /**
   * The clock deadlines are written in: epoch milliseconds, scaled in a drill (see
   * `scaledClock`, which runs `timeScale` times faster than the real clock).
   */
  now: () => number;
  /** How to wait in real time; `setTimeout` by default. Tests pass a fake. */
  schedule?: Schedule;
  /** How many times faster than real time `now` runs: a wait of D ms of `now` takes D / timeScale real ms. */
  timeScale?: number;
  /** Where a timer's error (thrown or rejected) goes; without it, a throw propagates. */
  onError?: (error: unknown, id: string) => void;
  /** Whether the default `setTimeout` keeps the process alive; it is unref'd by default. */
  keepAlive?: boolean;
}

/** Deadlines held in memory: one real timer for the soonest, whatever their number. */
export interface Timers {
  /** Arms (or re-arms) timer `id` to call `fire(id)` at `dueAt`; a past `dueAt` fires on the next tick. */
  arm(id: string, dueAt: number, fire: FireTimer): void;
  /** Disarms timer `id`; `false` when it was not armed. */
  cancel(id: string): boolean;
  /**
   * Arms many timers at once (on start, from the store): those already past due fire now,
   * synchronously and in due order; the rest are armed.
   */
  rearm(list: readonly PendingTimer[], fire: FireTimer): void;
  /** The armed timers, soonest first. */
  pending(): PendingTimer[];
  /** Disarms every timer. */
  close(): void;
}

/** The longest delay `setTimeout` accepts (about 24.8 days); longer waits are chained. */
export const maxTimerDelay = 2 ** 31 - 1;

/** `setTimeout`, unref'd unless `keepAlive` (then the timer holds the process open). */
export function defaultSchedule(keepAlive = false): Schedule {
  return (callback, delayMs) => {
    const handle = setTimeout(callback, delayMs);
    if (!keepAlive) handle.unref();
    return () => clearTimeout(handle);
  };
}

interface Entry {
  id: string;
  dueAt: number;
  /** Arming order, so timers due at the same time fire in the order they were armed. */
  sequence: number;
  fire: FireTimer;
  live: boolean;
}

const before = (a: Entry, b: Entry) =>
  a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.sequence < b.sequence);

/**
 * Timers on an injected clock. They hold one real timer, for the soonest deadline, in a heap
 * of all of them: re-arming 10,000 costs one `schedule` call. Durability is the caller's:
 * deadlines live in the store, and on start `rearm` takes them all back.
 */
export function createTimers(options: TimersOptions): Timers {
  const { now, onError } = options;
  const timeScale = options.timeScale ?? 1;
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) {
    throw new CadreError({
      code: 'time-scale-invalid',
      message: `time scale must be a positive number; got ${timeScale}`,
      hint: 'use 1 for real time, or 1000 to run a drill 1000 times faster',
    });
  }
  const schedule = options.schedule ?? defaultSchedule(options.keepAlive);
  const entries = new Map<string, Entry>();
  const heap = new MinHeap<Entry>(before);
  let sequence = 0;
  let dead = 0;
  let firing = false;
  let real: { target: number; cancel: () => void } | undefined;

  const retire = (entry: Entry) => {
    entry.live = false;
    dead += 1;
    if (dead > 1024 && dead > heap.size / 2) {
      heap.retain((item) => item.live);
      dead = 0;
    }
  };

  const soonest = (): Entry | undefined => {
    let top = heap.peek();
    while (top && !top.live) {
      heap.pop();
      dead -= 1;
      top = heap.peek();
    }
    return top;
  };

  const fireOne = (entry: Entry) => {
    try {
      const result = entry.fire(entry.id);
      if (result && onError) result.catch((error: unknown) => onError(error, entry.id));
    } catch (error) {
      if (!onError) throw error;
      onError(error, entry.id);
    }
  };

  const wake = () => {
    real = undefined;
    firing = true;
    try {
      for (let top = soonest(); top && top.dueAt <= now(); top = soonest()) {
        heap.pop();
        top.live = false;
        entries.delete(top.id);
        fireOne(top);
      }
    } finally {
      firing = false;
      reschedule();
    }
  };

  /** Points the one real timer at the soonest deadline (chaining waits past setTimeout's limit). */
  const reschedule = () => {
    if (firing) return;
    const top = soonest();
    if (real && top && real.target === top.dueAt) return;
    real?.cancel();
    real = undefined;
    if (!top) return;
    const delay = Math.max(0, Math.ceil((top.dueAt - now()) / timeScale));
    real = { target: top.dueAt, cancel: schedule(wake, Math.min(delay, maxTimerDelay)) };
  };

  const add = (id: string, dueAt: number, fire: FireTimer) => {
    const existing = entries.get(id);
    if (existing) retire(existing);
    const entry: Entry = { id, dueAt, sequence: sequence++, fire, live: true };
    entries.set(id, entry);
    heap.push(entry);
  };

  return {
    arm(id, dueAt, fire) {
      add(id, dueAt, fire);
      reschedule();
    },
    cancel(id) {
      const existing = entries.get(id);
      if (!existing) return false;
      entries.delete(id);
      retire(existing);
      reschedule();
      return true;
    },
    rearm(list, fire) {
      const at = now();
      const due: PendingTimer[] = [];
      for (const timer of list) {
        if (timer.dueAt <= at) due.push(timer);
        else add(timer.id, timer.dueAt, fire);
      }
      due.sort((a, b) => a.dueAt - b.dueAt);
      firing = true;
      try {
        for (const timer of due) {
          const existing = entries.get(timer.id);
          if (existing) {
            entries.delete(timer.id);
            retire(existing);
          }
          fireOne({ ...timer, sequence: 0, fire, live: false });
        }
      } finally {
        firing = false;
        reschedule();
      }
    },
    pending() {
      return [...entries.values()]
        .sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0))
        .map((entry) => ({ id: entry.id, dueAt: entry.dueAt }));
    },
    close() {
      real?.cancel();
      real = undefined;
      entries.clear();
      heap.retain(() => false);
      dead = 0;
    },
  };
}
