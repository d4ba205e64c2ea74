import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { Bus } from '../../src/a2a/bus.js';
import type { A2AMessage } from '../../src/a2a/message.js';
import { makeMessage } from '../helpers/a2a-message.js';

/** A promise with its resolve function outside, to let one handler release another. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/**
 * The behaviour every {@link Bus} promises, as a vitest suite: call it from a test file with a
 * factory for a fresh bus (each bus is closed after its test). Tests only what the Bus interface
 * promises, so the memory bus and a durable bus pass the same suite.
 */
export function busContract(name: string, createBus: () => Promise<Bus> | Bus): void {
  describe(`Bus contract: ${name}`, () => {
    const opened: Bus[] = [];

    async function openBus(): Promise<Bus> {
      const bus = await createBus();
      opened.push(bus);
      return bus;
    }

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((bus) => bus.close()));
    });

    it('delivers a message to the addressed agent only', async () => {
      const bus = await openBus();
      const received: Record<string, string[]> = { 'chief-1': [], 'chief-2': [] };
      bus.subscribe('chief-1', async (message) => {
        received['chief-1']?.push(message.messageId);
      });
      bus.subscribe('chief-2', async (message) => {
        received['chief-2']?.push(message.messageId);
      });
      const message = makeMessage({ to: 'chief-1' });

      await bus.send(message);
      await bus.idle();

      expect(received).toEqual({ 'chief-1': [message.messageId], 'chief-2': [] });
    });

    it('delivers the message as sent', async () => {
      const bus = await openBus();
      const received: A2AMessage[] = [];
      bus.subscribe('chief-1', async (message) => {
        received.push(message);
      });
      const message = makeMessage({
        parts: [
          { kind: 'text', text: 'check the replica lag' },
          { kind: 'data', data: { replica: 'db-2', lagSeconds: 12 } },
        ],
        severity: 'high',
        tags: ['replication'],
        inReplyTo: 'message-0',
        deadline: 1_700_000_000_000,
        hop: 3,
        sentAt: 1_699_999_999_000,
      });

      await bus.send(message);
      await bus.idle();

      expect(received).toEqual([message]);
    });

    it('accepts a message without waiting for its handler to finish', async () => {
      const bus = await openBus();
      const release = gate();
      const handled: string[] = [];
      bus.subscribe('chief-1', async (message) => {
        await release.promise;
        handled.push(message.messageId);
      });
      const message = makeMessage({});

      await bus.send(message);
      expect(handled).toEqual([]);
      release.open();
      await bus.idle();

      expect(handled).toEqual([message.messageId]);
    });

    it('preserves send order within a conversation even when handlers take different times', async () => {
      const bus = await openBus();
      const messages = [20, 0, 10, 5, 0].map((waitMs) =>
        makeMessage({ parts: [{ kind: 'data', data: { waitMs } }] }),
      );
      const handled: string[] = [];
      let running = 0;
      let mostRunning = 0;
      bus.subscribe('chief-1', async (message) => {
        running += 1;
        mostRunning = Math.max(mostRunning, running);
        const part = message.parts[0];
        await delay(part?.kind === 'data' ? Number(part.data.waitMs) : 0);
        handled.push(message.messageId);
        running -= 1;
      });

      for (const message of messages) await bus.send(message);
      await bus.idle();

      expect(handled).toEqual(messages.map((message) => message.messageId));
      expect(mostRunning).toBe(1);
    });

    it('handles conversations of different runs concurrently, even for the same agent', async () => {
      const bus = await openBus();
      const started = { 'run-1': gate(), 'run-2': gate() };
      const handled: string[] = [];
      bus.subscribe('chief-1', async (message) => {
        const mine = message.contextId === 'run-1' ? started['run-1'] : started['run-2'];
        const theirs = message.contextId === 'run-1' ? started['run-2'] : started['run-1'];
        mine.open();
        await theirs.promise;
        handled.push(message.contextId);
      });

      await bus.send(makeMessage({ contextId: 'run-1' }));
      await bus.send(makeMessage({ contextId: 'run-2' }));
      await bus.idle();

      expect(handled.sort()).toEqual(['run-1', 'run-2']);
    });

    it('handles conversations of different agents concurrently', async () => {
      const bus = await openBus();
      const started = { 'chief-1': gate(), 'chief-2': gate() };
      const handled: string[] = [];
      bus.subscribe('chief-1', async () => {
        started['chief-1'].open();
        await started['chief-2'].promise;
        handled.push('chief-1');
      });
      bus.subscribe('chief-2', async () => {
        started['chief-2'].open();
        await started['chief-1'].promise;
        handled.push('chief-2');
      });

      await bus.send(makeMessage({ to: 'chief-1' }));
      await bus.send(makeMessage({ to: 'chief-2' }));
      await bus.idle();

      expect(handled.sort()).toEqual(['chief-1', 'chief-2']);
    });

    it('delivers again, with the same messageId, a message whose handler threw', async () => {
      const bus = await openBus();
      const deliveries: string[] = [];
      bus.subscribe('chief-1', async (message) => {
        deliveries.push(message.messageId);
        if (deliveries.length === 1) throw new Error('database unreachable');
      });
      const message = makeMessage({});

      await bus.send(message);
      await bus.idle();

      expect(deliveries).toEqual([message.messageId, message.messageId]);
    });

    it('keeps a message sent before anyone subscribes and delivers it, in order, once a handler subscribes', async () => {
      const bus = await openBus();
      const first = makeMessage({});
      const second = makeMessage({});
      await bus.send(first);
      await bus.send(second);
      const handled: string[] = [];

      bus.subscribe('chief-1', async (message) => {
        handled.push(message.messageId);
      });
      await bus.idle();

      expect(handled).toEqual([first.messageId, second.messageId]);
    });

    it.each([
      ['messageId', { messageId: '' }],
      ['hop', { hop: -1 }],
      ['parts', { parts: [] }],
      ['kind', { kind: 'gossip' as A2AMessage['kind'] }],
    ])(
      'refuses a message with a bad %s, with an error naming that field, and delivers nothing',
      async (field, overrides) => {
        const bus = await openBus();
        const handled: string[] = [];
        bus.subscribe('chief-1', async (message) => {
          handled.push(message.messageId);
        });

        await expect(bus.send(makeMessage(overrides))).rejects.toThrow(field);
        await bus.idle();

        expect(handled).toEqual([]);
      },
    );

    it('refuses a message with a field the schema does not know', async () => {
      const bus = await openBus();
      const message = { ...makeMessage({}), priority: 'urgent' } as A2AMessage;

      await expect(bus.send(message)).rejects.toThrow('priority');
    });

    it('resolves idle() only after every message, including those sent by handlers, is handled', async () => {
      const bus = await openBus();
      const handled: string[] = [];
      bus.subscribe('chief-1', async (message) => {
        await delay(5);
        handled.push(`chief-1 ${message.contextId}`);
        await bus.send(
          makeMessage({
            from: 'chief-1',
            to: 'ceo',
            contextId: message.contextId,
            kind: 'reply',
            role: 'agent',
            inReplyTo: message.messageId,
            hop: message.hop + 1,
          }),
        );
      });
      bus.subscribe('ceo', async (message) => {
        await delay(1);
        handled.push(`ceo ${message.contextId}`);
      });

      await bus.send(makeMessage({ contextId: 'run-1' }));
      await bus.send(makeMessage({ contextId: 'run-2' }));
      await bus.idle();

      expect(handled.filter((entry) => entry.startsWith('ceo')).sort()).toEqual([
        'ceo run-1',
        'ceo run-2',
      ]);
      expect(handled).toHaveLength(4);
    });

    it('refuses to send once closed', async () => {
      const bus = await openBus();
      await bus.close();

      await expect(bus.send(makeMessage({}))).rejects.toThrow(/closed/);
    });

    it('stops delivering to a handler once it unsubscribes, and keeps later messages for the next subscriber', async () => {
      const bus = await openBus();
      const byFirst: string[] = [];
      const bySecond: string[] = [];
      const unsubscribe = bus.subscribe('chief-1', async (message) => {
        byFirst.push(message.messageId);
      });
      const before = makeMessage({});
      await bus.send(before);
      await bus.idle();

      unsubscribe();
      const after = makeMessage({});
      await bus.send(after);
      bus.subscribe('chief-1', async (message) => {
        bySecond.push(message.messageId);
      });
      await bus.idle();

      expect(byFirst).toEqual([before.messageId]);
      expect(bySecond).toEqual([after.messageId]);
    });
  });
}
