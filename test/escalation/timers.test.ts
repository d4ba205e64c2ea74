import { describe, expect, it } from 'vitest';
import { createTimers, defaultSchedule, maxTimerDelay } from '../../src/escalation/timers.js';
import { CadreError } from '../../src/errors.js';
import { fakeScheduler } from './fake-scheduler.js';

const minute = 60_000;
const day = 24 * 60 * minute;

/** Timers on a fake scheduler whose clock `now` runs `timeScale` times faster than its real one. */
function setup(timeScale = 1) {
  const scheduler = fakeScheduler();
  const origin = 1_700_000_000_000;
  const now = () => origin + scheduler.realNow() * timeScale;
  const fired: string[] = [];
  const timers = createTimers({ now, schedule: scheduler.schedule, timeScale });
  const fire = (id: string) => {
    fired.push(id);
  };
  return { scheduler, origin, now, timers, fired, fire };
}

describe('createTimers', () => {
  it('fires a timer at its due time, not before', () => {
    const { scheduler, origin, timers, fired, fire } = setup();
    timers.arm('a', origin + 30 * minute, fire);
    scheduler.advance(30 * minute - 1);
    expect(fired).toEqual([]);
    scheduler.advance(1);
    expect(fired).toEqual(['a']);
    expect(timers.pending()).toEqual([]);
  });

  it('fires timers in due order, whatever order they were armed in', () => {
    const { scheduler, origin, timers, fired, fire } = setup();
    timers.arm('late', origin + 3 * minute, fire);
    timers.arm('early', origin + minute, fire);
    timers.arm('middle', origin + 2 * minute, fire);
    timers.arm('also-middle', origin + 2 * minute, fire);
    scheduler.advance(10 * minute);
    expect(fired).toEqual(['early', 'middle', 'also-middle', 'late']);
  });

  it('lists what is pending, soonest first', () => {
    const { origin, timers, fire } = setup();
    timers.arm('b', origin + 2 * minute, fire);
    timers.arm('a', origin + minute, fire);
    expect(timers.pending()).toEqual([
      { id: 'a', dueAt: origin + minute },
      { id: 'b', dueAt: origin + 2 * minute },
    ]);
  });

  it('cancels a timer, and says whether there was one', () => {
    const { scheduler, origin, timers, fired, fire } = setup();
    timers.arm('a', origin + minute, fire);
    timers.arm('b', origin + 2 * minute, fire);
    expect(timers.cancel('a')).toBe(true);
    expect(timers.cancel('a')).toBe(false);
    expect(timers.cancel('nobody')).toBe(false);
    scheduler.advance(10 * minute);
    expect(fired).toEqual(['b']);
  });

  it('re-arming an id replaces its earlier deadline', () => {
    const { scheduler, origin, timers, fired, fire } = setup();
    timers.arm('a', origin + minute, fire);
    timers.arm('a', origin + 5 * minute, fire);
    scheduler.advance(4 * minute);
    expect(fired).toEqual([]);
    scheduler.advance(minute);
    expect(fired).toEqual(['a']);
  });

  it('fires a timer armed in the past on the next tick', () => {
    const { scheduler, origin, timers, fired, fire } = setup();
    timers.arm('a', origin - minute, fire);
    expect(fired).toEqual([]);
    expect(scheduler.delays).toEqual([0]);
    scheduler.advance(0);
    expect(fired).toEqual(['a']);
  });

  it('lets a timer re-arm itself from its callback', () => {
    const { scheduler, origin, timers } = setup();
    const fired: number[] = [];
    const fire = (id: string) => {
      fired.push(scheduler.realNow());
      if (fired.length < 3) timers.arm(id, origin + (fired.length + 1) * minute, fire);
    };
    timers.arm('a', origin + minute, fire);
    scheduler.advance(10 * minute);
    expect(fired).toEqual([minute, 2 * minute, 3 * minute]);
  });

  it('keeps one real timer for the soonest deadline, however many are armed', () => {
    const { scheduler, origin, timers } = setup();
    for (let index = 0; index < 100; index += 1)
      timers.arm(`t${index}`, origin + (100 - index) * minute, () => undefined);
    expect(scheduler.waiting()).toBe(1);
    expect(timers.pending()).toHaveLength(100);
  });

  it('schedules a 30-minute timer 1800 ms ahead at time scale 1000', () => {
    const { scheduler, origin, timers, fired, fire } = setup(1000);
    timers.arm('chief', origin + 30 * minute, fire);
    expect(scheduler.delays).toEqual([1800]);
    scheduler.advance(1799);
    expect(fired).toEqual([]);
    scheduler.advance(1);
    expect(fired).toEqual(['chief']);
  });

  it('waits 30 days by chaining real timers past setTimeout’s limit', () => {
    const { scheduler, origin, timers, fired, fire } = setup();
    timers.arm('month', origin + 30 * day, fire);
    expect(scheduler.delays).toEqual([maxTimerDelay]);
    scheduler.advance(maxTimerDelay);
    expect(fired).toEqual([]);
    expect(scheduler.delays).toEqual([maxTimerDelay, 30 * day - maxTimerDelay]);
    scheduler.advance(30 * day - maxTimerDelay - 1);
    expect(fired).toEqual([]);
    scheduler.advance(1);
    expect(fired).toEqual(['month']);
  });

  it('close disarms everything', () => {
    const { scheduler, origin, timers, fired, fire } = setup();
    timers.arm('a', origin + minute, fire);
    timers.close();
    scheduler.advance(10 * minute);
    expect(fired).toEqual([]);
    expect(timers.pending()).toEqual([]);
    expect(scheduler.waiting()).toBe(0);
  });

  it('refuses a time scale that is not a positive number', () => {
    for (const timeScale of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => createTimers({ now: () => 0, timeScale })).toThrow(CadreError);
    }
  });
});

describe('rearm', () => {
  it('fires the past-due timers at once, in due order, and arms the rest', () => {
    const { scheduler, origin, timers, fired, fire } = setup();
    timers.rearm(
      [
        { id: 'future-2', dueAt: origin + 2 * minute },
        { id: 'past-1', dueAt: origin - minute },
        { id: 'future-1', dueAt: origin + minute },
        { id: 'past-3', dueAt: origin - 3 * minute },
        { id: 'now', dueAt: origin },
      ],
      fire,
    );
    expect(fired).toEqual(['past-3', 'past-1', 'now']);
    expect(timers.pending().map((timer) => timer.id)).toEqual(['future-1', 'future-2']);
    scheduler.advance(2 * minute);
    expect(fired).toEqual(['past-3', 'past-1', 'now', 'future-1', 'future-2']);
  });

  it('re-arms 10,000 timers with one real timer', () => {
    const { scheduler, origin, timers } = setup();
    const list = Array.from({ length: 10_000 }, (_, index) => ({
      id: `request-${index}`,
      dueAt: origin + ((index * 7919) % 10_000) * 1000 + 1,
    }));
    let count = 0;
    timers.rearm(list, () => {
      count += 1;
    });
    expect(scheduler.delays).toHaveLength(1);
    expect(timers.pending()).toHaveLength(10_000);
    scheduler.advance(10_000 * 1000);
    expect(count).toBe(10_000);
  });

  it('replaces a timer already armed under the same id', () => {
    const { scheduler, origin, timers, fired, fire } = setup();
    timers.arm('a', origin + minute, fire);
    timers.rearm([{ id: 'a', dueAt: origin - minute }], fire);
    expect(fired).toEqual(['a']);
    scheduler.advance(10 * minute);
    expect(fired).toEqual(['a']);
  });
});

describe('timer errors', () => {
  it('go to onError, thrown or rejected, and the other timers still fire', async () => {
    const scheduler = fakeScheduler();
    const errors: string[] = [];
    const fired: string[] = [];
    const timers = createTimers({
      now: scheduler.realNow,
      schedule: scheduler.schedule,
      onError: (error, id) => errors.push(`${id}: ${String(error)}`),
    });
    const fire = (id: string) => {
      fired.push(id);
      if (id === 'throws') throw new Error('boom');
      if (id === 'rejects') return Promise.reject(new Error('later'));
      return undefined;
    };
    timers.arm('throws', 1, fire);
    timers.arm('rejects', 2, fire);
    timers.arm('fine', 3, fire);
    scheduler.advance(5);
    await Promise.resolve();
    expect(fired).toEqual(['throws', 'rejects', 'fine']);
    expect(errors).toEqual(['throws: Error: boom', 'rejects: Error: later']);
  });

  it('propagate without onError, and the timers left are still armed', () => {
    const scheduler = fakeScheduler();
    const fired: string[] = [];
    const timers = createTimers({ now: scheduler.realNow, schedule: scheduler.schedule });
    const fire = (id: string) => {
      fired.push(id);
      if (id === 'throws') throw new Error('boom');
    };
    timers.arm('throws', 1, fire);
    timers.arm('fine', 2, fire);
    expect(() => scheduler.advance(1)).toThrow('boom');
    scheduler.advance(5);
    expect(fired).toEqual(['throws', 'fine']);
  });
});

describe('defaultSchedule', () => {
  it('runs the callback through setTimeout and can cancel it', async () => {
    const schedule = defaultSchedule(true);
    const ran: string[] = [];
    const cancel = schedule(() => ran.push('cancelled'), 0);
    cancel();
    await new Promise<void>((resolve) => schedule(resolve, 0));
    expect(ran).toEqual([]);
  });
});
