import { describe, expect, it } from 'vitest';
import { meets, parseComparison } from '../../src/org/comparison.js';

describe('metric comparisons', () => {
  it('reads the operator, number and unit of a target', () => {
    expect(parseComparison('> 95%')).toEqual({ operator: '>', value: 95, unit: '%' });
    expect(parseComparison('<100ms avg')).toEqual({ operator: '<', value: 100, unit: 'ms' });
    expect(parseComparison('≤ 50ms')).toEqual({ operator: '<=', value: 50, unit: 'ms' });
    expect(parseComparison('99.9%')).toBeUndefined();
  });

  it('compares a measured value', () => {
    const target = parseComparison('> 95%');
    expect(target && meets(96, target)).toBe(true);
    expect(target && meets(95, target)).toBe(false);
  });
});
