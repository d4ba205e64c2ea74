import { createHash } from 'node:crypto';

/**
 * An id made from its parts, the same every time: a message a resumed run sends again (a
 * reply, a delegation of a turn it replays) gets the id it had, so the store keeps it once
 * and its recipient handles it once. Shaped like a UUID.
 */
export function stableId(...parts: readonly string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
