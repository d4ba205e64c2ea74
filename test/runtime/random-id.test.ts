import { describe, expect, it } from 'vitest';
import { randomId } from '../../src/runtime/random-id.js';

const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('randomId', () => {
  it('gives version 4 UUIDs, all different, across several refills of its random pool', () => {
    const ids = Array.from({ length: 5_000 }, () => randomId());

    for (const id of ids) expect(id).toMatch(uuidV4);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('uses every hex digit in every random position (no stuck or missing bits)', () => {
    const ids = Array.from({ length: 4_000 }, () => randomId());
    const randomPositions = [...Array(36).keys()].filter(
      // Dashes, the version digit, and the variant digit (only 8, 9, a, b) are fixed.
      (position) => ![8, 13, 14, 18, 19, 23].includes(position),
    );

    for (const position of randomPositions) {
      const digits = new Set(ids.map((id) => id[position]));
      expect(digits.size, `position ${position}`).toBe(16);
    }
    expect(new Set(ids.map((id) => id[19]))).toEqual(new Set(['8', '9', 'a', 'b']));
  });

  it('returns a string that stays the same when more ids are drawn', () => {
    const first = randomId();
    const copy = `${first}`;
    for (let index = 0; index < 600; index += 1) randomId();

    expect(first).toBe(copy);
    expect(first).toMatch(uuidV4);
  });
});
