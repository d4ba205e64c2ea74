import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MinHeap } from '../../src/escalation/timer-heap.js';

const drain = (heap: MinHeap<number>): number[] => {
  const out: number[] = [];
  for (let item = heap.pop(); item !== undefined; item = heap.pop()) out.push(item);
  return out;
};

describe('MinHeap', () => {
  it('gives its items back least first, for any list', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), (items) => {
        const heap = new MinHeap<number>((a, b) => a < b);
        for (const item of items) heap.push(item);
        expect(heap.size).toBe(items.length);
        expect(drain(heap)).toEqual([...items].sort((a, b) => a - b));
      }),
    );
  });

  it('peeks without removing, and is empty at the end', () => {
    const heap = new MinHeap<number>((a, b) => a < b);
    expect(heap.peek()).toBeUndefined();
    heap.push(3);
    heap.push(1);
    expect(heap.peek()).toBe(1);
    expect(heap.size).toBe(2);
    expect(drain(heap)).toEqual([1, 3]);
    expect(heap.pop()).toBeUndefined();
  });

  it('keeps only what passes retain, still in order', () => {
    const heap = new MinHeap<number>((a, b) => a < b);
    for (const item of [5, 2, 8, 1, 9, 4]) heap.push(item);
    heap.retain((item) => item % 2 === 0);
    expect(drain(heap)).toEqual([2, 4, 8]);
  });
});
