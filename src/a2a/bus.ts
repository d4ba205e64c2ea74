import type { A2AMessage } from './message.js';

/** Handles one delivered message. Throwing means "not handled": the bus delivers it again. */
export type MessageHandler = (message: A2AMessage) => Promise<void>;

/** Stops a subscription. */
export type Unsubscribe = () => void;

/**
 * The Bus seam: carries A2A messages between agents' inboxes.
 * - Delivery is ordered per conversation (same `to` and `contextId`: one at a time, in send
 *   order) and concurrent across conversations.
 * - At-least-once: a handler that throws gets the message again, up to the bus's
 *   `maxDeliveries`, after which the message is dead-lettered; later messages of the same
 *   conversation wait behind a message awaiting redelivery. Handlers are idempotent on
 *   `messageId`.
 */
export interface Bus {
  /**
   * Validates the message (rejecting, before anything is queued, with an error that names each
   * bad field) and resolves once it is accepted, without waiting for any handler. Rejects once
   * the bus is closed.
   */
  send(message: A2AMessage): Promise<void>;
  /**
   * An agent has at most one subscriber; subscribing again before unsubscribing throws. Messages
   * sent before anyone subscribes wait in the agent's inbox and are delivered, in order, once a
   * handler subscribes. Unsubscribing stops further deliveries to that handler (a delivery in
   * progress finishes); messages not yet handled wait for the next subscriber.
   */
  subscribe(agent: string, handler: MessageHandler): Unsubscribe;
  /**
   * Resolves when every message that can be delivered has been handled or dead-lettered
   * (including messages sent by handlers meanwhile) and no handler is running. Messages waiting
   * for an agent that has no subscriber do not keep it pending.
   */
  idle(): Promise<void>;
  /**
   * Stops delivery: no handler is called after `close` starts, redeliveries are cancelled, and
   * further sends are refused. Resolves once the handlers in flight have finished. Messages not
   * yet handled are kept by a durable bus and dropped by the memory bus. Calling it again is
   * harmless.
   */
  close(): Promise<void>;
}
