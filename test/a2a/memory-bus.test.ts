import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryBus, redeliveryDelay } from '../../src/a2a/memory-bus.js';
import type { MemoryBus, MemoryBusOptions } from '../../src/a2a/memory-bus.js';
import { CadreError } from '../../src/errors.js';
import { busContract } from '../contracts/bus.contract.js';
import { makeMessage } from '../helpers/a2a-message.js';

busContract('memory', () => createMemoryBus({ redeliveryDelayMs: 1 }));

/** A promise with its resolve function outside, to let the test release a handler. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** Lets every pending timer-free callback and microtask run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

describe('createMemoryBus', () => {
  const opened: MemoryBus[] = [];

  function openBus(options: MemoryBusOptions = {}): MemoryBus {
    const bus = createMemoryBus({ redeliveryDelayMs: 1, ...options });
    opened.push(bus);
    return bus;
  }

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((bus) => bus.close()));
  });

  it('dead-letters a message after maxDeliveries failed deliveries, calling onDeadLetter once', async () => {
    const onDeadLetter = vi.fn();
    const bus = openBus({ maxDeliveries: 3, onDeadLetter, now: () => 1_234 });
    const failure = new Error('table is locked');
    const doomed = makeMessage({});
    const next = makeMessage({});
    const deliveries: string[] = [];
    bus.subscribe('chief-1', async (message) => {
      deliveries.push(message.messageId);
      if (message.messageId === doomed.messageId) throw failure;
    });

    await bus.send(doomed);
    await bus.send(next);
    await bus.idle();

    expect(deliveries).toEqual([
      doomed.messageId,
      doomed.messageId,
      doomed.messageId,
      next.messageId,
    ]);
    expect(onDeadLetter).toHaveBeenCalledTimes(1);
    expect(onDeadLetter).toHaveBeenCalledWith(doomed, failure);
    expect(bus.deadLetters()).toEqual([
      { message: doomed, error: failure, deliveries: 3, deadLetteredAt: 1_234 },
    ]);
  });

  it('keeps delivering the rest of the conversation when onDeadLetter throws', async () => {
    const bus = openBus({
      maxDeliveries: 1,
      onDeadLetter: () => {
        throw new Error('alerting is down');
      },
    });
    const doomed = makeMessage({});
    const next = makeMessage({});
    const handled: string[] = [];
    bus.subscribe('chief-1', async (message) => {
      if (message.messageId === doomed.messageId) throw new Error('no');
      handled.push(message.messageId);
    });

    await bus.send(doomed);
    await bus.send(next);
    await bus.idle();

    expect(handled).toEqual([next.messageId]);
    expect(bus.deadLetters().map((letter) => letter.message.messageId)).toEqual([doomed.messageId]);
  });

  it('holds back the later messages of a conversation while one is retried, but not other conversations', async () => {
    const bus = openBus();
    const events: string[] = [];
    const otherHandled = gate();
    const retried = makeMessage({ contextId: 'run-1' });
    const later = makeMessage({ contextId: 'run-1' });
    const other = makeMessage({ contextId: 'run-2' });
    let attempts = 0;
    bus.subscribe('chief-1', async (message) => {
      if (message.messageId === retried.messageId) {
        attempts += 1;
        if (attempts === 1) {
          events.push('retried failed');
          await bus.send(other);
          throw new Error('try again');
        }
        await otherHandled.promise;
        events.push('retried handled');
      } else if (message.messageId === other.messageId) {
        events.push('other handled');
        otherHandled.open();
      } else {
        events.push('later handled');
      }
    });

    await bus.send(retried);
    await bus.send(later);
    await bus.idle();

    expect(events).toEqual(['retried failed', 'other handled', 'retried handled', 'later handled']);
  });

  it('resolves idle() while messages wait for an agent that has no subscriber, and delivers them in order later', async () => {
    const bus = openBus();
    const handledByChief: string[] = [];
    bus.subscribe('chief-1', async (message) => {
      handledByChief.push(message.messageId);
    });
    const forChief = makeMessage({ to: 'chief-1' });
    const waiting = [makeMessage({ to: 'domain-1' }), makeMessage({ to: 'domain-1' })];

    await bus.send(waiting[0] ?? makeMessage({}));
    await bus.send(forChief);
    await bus.send(waiting[1] ?? makeMessage({}));
    await bus.idle();
    expect(handledByChief).toEqual([forChief.messageId]);

    const handledByDomain: string[] = [];
    bus.subscribe('domain-1', async (message) => {
      handledByDomain.push(message.messageId);
    });
    await bus.idle();

    expect(handledByDomain).toEqual(waiting.map((message) => message.messageId));
  });

  it('keeps idle() pending while a handler runs, even after its agent unsubscribed', async () => {
    const bus = openBus();
    const events: string[] = [];
    const started = gate();
    const release = gate();
    const unsubscribe = bus.subscribe('chief-1', async () => {
      unsubscribe();
      started.open();
      await release.promise;
      events.push('handled');
    });
    await bus.send(makeMessage({}));
    await started.promise;

    const idle = bus.idle().then(() => events.push('idle'));
    await settle();
    release.open();
    await idle;

    expect(events).toEqual(['handled', 'idle']);
  });

  it('gives a message whose handler unsubscribed after throwing to the next subscriber', async () => {
    const bus = openBus();
    const message = makeMessage({});
    const unsubscribe = bus.subscribe('chief-1', async () => {
      unsubscribe();
      throw new Error('shutting down');
    });

    await bus.send(message);
    await bus.idle();
    const handled: string[] = [];
    bus.subscribe('chief-1', async (delivered) => {
      handled.push(delivered.messageId);
    });
    await bus.idle();

    expect(handled).toEqual([message.messageId]);
  });

  it('resolves close() only once the handler in flight has finished, and delivers nothing after', async () => {
    const bus = openBus();
    const events: string[] = [];
    const started = gate();
    const release = gate();
    bus.subscribe('chief-1', async (message) => {
      events.push(`handling ${message.messageId}`);
      started.open();
      await release.promise;
      events.push(`handled ${message.messageId}`);
    });
    const inFlight = makeMessage({});
    const queued = makeMessage({});
    await bus.send(inFlight);
    await bus.send(queued);
    await started.promise;

    const closing = bus.close().then(() => events.push('closed'));
    await settle();
    release.open();
    await closing;

    expect(events).toEqual([
      `handling ${inFlight.messageId}`,
      `handled ${inFlight.messageId}`,
      'closed',
    ]);
  });

  it('cancels a pending redelivery on close', async () => {
    const bus = openBus({ redeliveryDelayMs: 60_000, maxRedeliveryDelayMs: 60_000 });
    const failed = gate();
    let deliveries = 0;
    bus.subscribe('chief-1', async () => {
      deliveries += 1;
      failed.open();
      throw new Error('not yet');
    });

    await bus.send(makeMessage({}));
    await failed.promise;
    await bus.close();
    await bus.idle();

    expect(deliveries).toBe(1);
  });

  it('refuses to subscribe once closed', async () => {
    const bus = openBus();
    await bus.close();

    expect(() => bus.subscribe('chief-1', async () => undefined)).toThrow(/closed/);
  });

  it('refuses a second subscriber for the same agent, accepts one after unsubscribing, and ignores a stale unsubscribe', async () => {
    const bus = openBus();
    const unsubscribe = bus.subscribe('chief-1', async () => undefined);

    expect(() => bus.subscribe('chief-1', async () => undefined)).toThrow(
      /already has a subscriber/,
    );
    unsubscribe();
    const handled: string[] = [];
    bus.subscribe('chief-1', async (message) => {
      handled.push(message.messageId);
    });
    unsubscribe();
    const message = makeMessage({});
    await bus.send(message);
    await bus.idle();

    expect(handled).toEqual([message.messageId]);
  });

  it('waits a doubling delay between deliveries, capped by maxRedeliveryDelayMs', () => {
    const options = { redeliveryDelayMs: 100, maxRedeliveryDelayMs: 300 };

    expect([1, 2, 3, 4].map((deliveries) => redeliveryDelay(deliveries, options))).toEqual([
      100, 200, 300, 300,
    ]);
  });

  it('hands handlers a frozen copy: none can change what a later delivery or the sender sees', async () => {
    const bus = openBus();
    const seen: string[] = [];
    const refused: boolean[] = [];
    bus.subscribe('chief-1', async (message) => {
      seen.push(message.tags.join(','));
      try {
        message.tags.push('mutated');
        refused.push(false);
      } catch {
        refused.push(true);
      }
      if (seen.length === 1) throw new Error('again');
    });
    const message = makeMessage({ tags: ['original'] });

    await bus.send(message);
    message.tags.push('changed after send');
    await bus.idle();

    expect(seen).toEqual(['original', 'original']);
    expect(refused).toEqual([true, true]);
  });

  it('refuses options that cannot work', () => {
    expect(() => createMemoryBus({ maxDeliveries: 0 })).toThrow(CadreError);
    expect(() => createMemoryBus({ redeliveryDelayMs: -1 })).toThrow(/redeliveryDelayMs/);
  });
});
