import { randomInt } from 'node:crypto';

const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * A fresh id shaped like the Messages API's: the prefix, `_01`, then 22 random base-62
 * characters (`msg_01…`, `toolu_01…`, `req_01…`).
 */
export function newId(prefix: 'msg' | 'toolu' | 'req'): string {
  let tail = '';
  for (let index = 0; index < 22; index++) tail += alphabet[randomInt(alphabet.length)];
  return `${prefix}_01${tail}`;
}
