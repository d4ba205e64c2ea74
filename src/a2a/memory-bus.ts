import { CadreError } from '../errors.js';
import type { Bus, MessageHandler, Unsubscribe } from './bus.js';
import { checkMessage } from './check-message.js';
import type { MessageIssue } from './check-message.js';
import type { A2AMessage } from './message.js';

/** A message the bus gave up on after `maxDeliveries` failed deliveries. */
export interface DeadLetter {
  /** The message, as it was delivered. */
  readonly message: A2AMessage;
  /** What the last delivery threw. */
  readonly error: unknown;
  /** How many times it was delivered. */
  readonly deliveries: number;
  /** When it was given up on, in epoch milliseconds (from `now`). */
  readonly deadLetteredAt: number;
}

/** Options of {@link createMemoryBus}. */
export interface MemoryBusOptions {
  /** How many times a message is delivered before it is dead-lettered; 5 unless told. */
  maxDeliveries?: number;
  /** The wait before the first redelivery, doubled for each further one; 10 ms unless told. */
  redeliveryDelayMs?: number;
  /** The longest wait between two deliveries; 1000 ms unless told. */
  maxRedeliveryDelayMs?: number;
  /** Called once for each dead-lettered message with what its last delivery threw; errors it throws are ignored. */
  onDeadLetter?: (message: A2AMessage, error: unknown) => void;
  /** The clock, in epoch milliseconds; `Date.now` unless told. */
  now?: () => number;
}

/** A {@link Bus} held in memory, which also tells which messages it gave up on. */
export interface MemoryBus extends Bus {
  /** The messages dead-lettered so far, oldest first. */
  deadLetters(): readonly DeadLetter[];
}

/** An agent's inbox: its subscriber and the counts that decide when the bus is idle. */
interface Inbox {
  /** The current subscription; a fresh object per `subscribe`, so a stale unsubscribe is harmless. */
  subscriber: { readonly handle: MessageHandler } | undefined;
  /** Deliveries waiting for a subscriber, woken on subscribe and on close. */
  readonly waiting: (() => void)[];
  /** Messages accepted and not yet handled, dead-lettered or dropped by close. */
  outstanding: number;
  /** Deliveries running a handler or waiting to redeliver (not those waiting for a subscriber). */
  active: number;
  /** The agent's conversations with messages not yet handled, by `contextId`. */
  readonly conversations: Map<string, Conversation>;
}

/** The messages of one `to` and `contextId`: handled one at a time, in send order. */
interface Conversation {
  /** The last delivery queued: each new one starts when it ends, so a conversation is ordered. */
  tail: Promise<void>;
  outstanding: number;
}

/** The tail of a conversation with nothing queued yet. */
const settled = Promise.resolve();

/**
 * Freezes a message and everything in it, so handlers share one copy that none can change.
 * Walks own enumerable properties (as `Object.values` would) without allocating a list of them.
 */
function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) deepFreeze(value[index]);
  } else {
    const fields = value as Record<string, unknown>;
    for (const key in fields) if (Object.hasOwn(fields, key)) deepFreeze(fields[key]);
  }
  return value;
}

/**
 * Creates a {@link Bus} held in memory, for tests and single-process runs: nothing survives the
 * process. One promise chain per conversation (`to` and `contextId`) keeps each conversation in
 * order while conversations run concurrently.
 *
 * - `send` validates, then queues and resolves without waiting for any handler.
 * - A message for an agent without a subscriber waits in its inbox, in order, until one subscribes;
 *   `unsubscribe` sends the messages not yet handled back to waiting for the next subscriber.
 * - A handler that throws gets the message again after `redeliveryDelayMs` (doubled per attempt,
 *   capped at `maxRedeliveryDelayMs`), up to `maxDeliveries`; then it is dead-lettered. Later
 *   messages of the same conversation wait behind a message being retried.
 * - `idle()` resolves when every message that can be delivered has been handled or dead-lettered:
 *   messages waiting for an agent that has no subscriber do not keep it pending.
 * - `close()` stops delivery (no handler is called after it; messages still queued are dropped,
 *   retries are cancelled), refuses further sends and subscriptions, and resolves once the handlers
 *   in flight have finished. It may be called more than once.
 * - An agent has at most one subscriber at a time: a second `subscribe` throws.
 */
export function createMemoryBus(options: MemoryBusOptions = {}): MemoryBus {
  const maxDeliveries = options.maxDeliveries ?? 5;
  const redeliveryDelayMs = options.redeliveryDelayMs ?? 10;
  const maxRedeliveryDelayMs = options.maxRedeliveryDelayMs ?? 1000;
  const now = options.now ?? Date.now;
  if (!Number.isInteger(maxDeliveries) || maxDeliveries < 1) {
    throw invalidOption('maxDeliveries', maxDeliveries, 'a whole number of at least 1');
  }
  for (const [name, value] of [
    ['redeliveryDelayMs', redeliveryDelayMs],
    ['maxRedeliveryDelayMs', maxRedeliveryDelayMs],
  ] as const) {
    if (!Number.isFinite(value) || value < 0) {
      throw invalidOption(name, value, 'a number of milliseconds, 0 or more');
    }
  }

  const inboxes = new Map<string, Inbox>();
  const deadLetters: DeadLetter[] = [];
  const idleWaiters: (() => void)[] = [];
  /** Ends each pending redelivery wait at once; used by close. */
  const pendingPauses = new Set<() => void>();
  let closed = false;

  function inboxOf(agent: string): Inbox {
    let inbox = inboxes.get(agent);
    if (inbox === undefined) {
      inbox = {
        subscriber: undefined,
        waiting: [],
        outstanding: 0,
        active: 0,
        conversations: new Map(),
      };
      inboxes.set(agent, inbox);
    }
    return inbox;
  }

  function isIdle(): boolean {
    for (const inbox of inboxes.values()) {
      if (inbox.active > 0) return false;
      if (inbox.outstanding > 0 && inbox.subscriber !== undefined) return false;
    }
    return true;
  }

  function settleIdleWaiters(): void {
    if (idleWaiters.length === 0 || !isIdle()) return;
    for (const resolve of idleWaiters.splice(0)) resolve();
  }

  function wake(inbox: Inbox): void {
    for (const resolve of inbox.waiting.splice(0)) resolve();
  }

  /** The handler to deliver to, waiting for a subscriber if need be; undefined once closed. */
  async function subscriberOf(inbox: Inbox): Promise<MessageHandler | undefined> {
    while (!closed && inbox.subscriber === undefined) {
      inbox.active -= 1;
      settleIdleWaiters();
      await new Promise<void>((resolve) => inbox.waiting.push(resolve));
      inbox.active += 1;
    }
    return closed ? undefined : inbox.subscriber?.handle;
  }

  function pause(milliseconds: number): Promise<void> {
    return new Promise((resolve) => {
      const end = (): void => {
        clearTimeout(timer);
        pendingPauses.delete(end);
        resolve();
      };
      const timer = setTimeout(end, milliseconds);
      pendingPauses.add(end);
    });
  }

  function deadLetter(message: A2AMessage, error: unknown, deliveries: number): void {
    deadLetters.push({ message, error, deliveries, deadLetteredAt: now() });
    try {
      options.onDeadLetter?.(message, error);
    } catch {
      // Documented: a throwing onDeadLetter must not stall the conversation behind it.
    }
  }

  /** Delivers one message until it is handled, dead-lettered, or the bus closes. */
  async function deliver(
    message: A2AMessage,
    inbox: Inbox,
    conversation: Conversation,
  ): Promise<void> {
    inbox.active += 1;
    try {
      for (let deliveries = 1; ; deliveries += 1) {
        // With a subscriber there already (the usual case), no wait and no extra promise.
        const handle =
          !closed && inbox.subscriber !== undefined
            ? inbox.subscriber.handle
            : await subscriberOf(inbox);
        if (handle === undefined) return;
        try {
          await handle(message);
          return;
        } catch (error) {
          if (deliveries >= maxDeliveries) {
            deadLetter(message, error, deliveries);
            return;
          }
        }
        if (closed) return;
        await pause(redeliveryDelay(deliveries, { redeliveryDelayMs, maxRedeliveryDelayMs }));
      }
    } finally {
      inbox.active -= 1;
      inbox.outstanding -= 1;
      conversation.outstanding -= 1;
      if (conversation.outstanding === 0) inbox.conversations.delete(message.contextId);
      settleIdleWaiters();
    }
  }

  return {
    async send(message: A2AMessage): Promise<void> {
      if (closed) {
        throw new CadreError({
          code: 'bus-closed',
          message: `cannot send message "${String(message?.messageId)}": the bus is closed`,
          hint: 'send messages before closing the bus',
        });
      }
      // checkMessage agrees with the zod schema (a property test says so) without loading zod.
      const checked = checkMessage(message);
      if (!checked.ok) throw invalidMessage(checked.issues);
      // The checked message is already a copy of what was sent; freezing it lets every delivery share it safely.
      const accepted = deepFreeze(checked.message);
      const inbox = inboxOf(accepted.to);
      let conversation = inbox.conversations.get(accepted.contextId);
      if (conversation === undefined) {
        conversation = { tail: settled, outstanding: 0 };
        inbox.conversations.set(accepted.contextId, conversation);
      }
      const queued = conversation;
      queued.outstanding += 1;
      inbox.outstanding += 1;
      queued.tail = queued.tail.then(() => deliver(accepted, inbox, queued));
    },

    subscribe(agent: string, handle: MessageHandler): Unsubscribe {
      if (closed) {
        throw new CadreError({
          code: 'bus-closed',
          message: `cannot subscribe agent "${agent}": the bus is closed`,
        });
      }
      const inbox = inboxOf(agent);
      if (inbox.subscriber !== undefined) {
        throw new CadreError({
          code: 'agent-already-subscribed',
          message: `agent "${agent}" already has a subscriber: an agent has one inbox and one handler`,
          hint: 'call the unsubscribe function of the first subscription before subscribing again',
        });
      }
      const subscriber = { handle };
      inbox.subscriber = subscriber;
      wake(inbox);
      return () => {
        if (inbox.subscriber !== subscriber) return;
        inbox.subscriber = undefined;
        settleIdleWaiters();
      };
    },

    idle(): Promise<void> {
      return new Promise((resolve) => {
        idleWaiters.push(resolve);
        settleIdleWaiters();
      });
    },

    async close(): Promise<void> {
      if (!closed) {
        closed = true;
        for (const inbox of inboxes.values()) wake(inbox);
        for (const end of [...pendingPauses]) end();
      }
      const tails: Promise<void>[] = [];
      for (const inbox of inboxes.values())
        for (const conversation of inbox.conversations.values()) tails.push(conversation.tail);
      await Promise.all(tails);
    },

    deadLetters(): readonly DeadLetter[] {
      return [...deadLetters];
    },
  };
}

/** How long to wait after the given number of failed deliveries: the base delay, doubled per further one, capped. */
export function redeliveryDelay(
  deliveries: number,
  options: { redeliveryDelayMs: number; maxRedeliveryDelayMs: number },
): number {
  return Math.min(options.redeliveryDelayMs * 2 ** (deliveries - 1), options.maxRedeliveryDelayMs);
}

function invalidMessage(issues: readonly MessageIssue[]): CadreError {
  const problems = issues.map((issue) => {
    const field = issue.path.map(String).join('.') || '(the message itself)';
    return `${field}: ${issue.message}`;
  });
  return new CadreError({
    code: 'message-invalid',
    message: `invalid A2A message: ${problems.join('; ')}`,
    hint: 'build messages that match the A2AMessage schema in src/a2a/message.ts',
  });
}

function invalidOption(name: string, value: unknown, expected: string): CadreError {
  return new CadreError({
    code: 'bus-option-invalid',
    message: `createMemoryBus: ${name} must be ${expected}, got ${String(value)}`,
  });
}
