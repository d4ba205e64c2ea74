import { describe, expect, it } from 'vitest';
import { repairMojibake } from '../../src/org/mojibake.js';

describe('repairMojibake', () => {
  it('recovers an emoji that was read as Mac Roman', () => {
    expect(repairMojibake('\uf8ffüèóÔ∏è infrastructure-platform')).toEqual({
      repaired: '🏗️ infrastructure-platform',
      encoding: 'Mac Roman',
    });
  });

  it('recovers text that was read as Latin-1', () => {
    expect(repairMojibake('cafÃ©')).toEqual({ repaired: 'café', encoding: 'Latin-1' });
  });

  it('leaves plain and correctly encoded text alone', () => {
    expect(repairMojibake('database-administrator')).toBeUndefined();
    expect(repairMojibake('café ≤ 100ms')).toBeUndefined();
  });
});
