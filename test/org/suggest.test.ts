import { describe, expect, it } from 'vitest';
import { closest, editDistance, suggestion } from '../../src/org/suggest.js';

describe('suggestions', () => {
  it('measures edits between words', () => {
    expect(editDistance('chief-2', 'chief-1')).toBe(1);
    expect(editDistance('reprots_to', 'reports_to')).toBe(2);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('proposes the nearest candidate only when it is a likely typo', () => {
    expect(closest('chief-2', ['ceo', 'chief-1', 'domain-1'])).toBe('chief-1');
    expect(closest('zzz', ['ceo', 'chief-1'])).toBeUndefined();
  });

  it('lists what is allowed when nothing is close', () => {
    expect(suggestion('reprots_to', ['id', 'reports_to'], 'allowed keys')).toBe(
      "did you mean 'reports_to'?",
    );
    expect(suggestion('qqqq', ['id', 'name'], 'allowed keys')).toBe("allowed keys: 'id', 'name'");
  });
});
