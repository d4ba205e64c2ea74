import type { A2AMessage } from './message.js';

/** Handles one delivered message. Throwing means "not handled": the bus delivers it again. */
export type MessageHandler = (message: A2AMessage) => Promise<void>;

/** Stops a subscription. */
export type Unsubscribe = () => void;

/**
 * The Bus seam: carries A2A messages between agents' inboxes.
 * - `send` validates the message and accepts it for delivery (a durable bus persists it first);
 * - each agent has one inbox: `subscribe(agent, handler)`;
 * - delivery is ordered per conversation (same `to` and `contextId`: one at a time, in send
 *   order) and concurrent across conversations;
 * - at-least-once: a handler that throws gets the message again (up to `maxDeliveries`),
 *   so handlers are idempotent on `messageId`.
 */
export interface Bus {
  send(message: A2AMessage): Promise<void>;
  subscribe(agent: string, handler: MessageHandler): Unsubscribe;
  /** Resolves when nothing is queued or being handled. */
  idle(): Promise<void>;
  close(): Promise<void>;
}
