import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StringIndex } from '../../../src/main/reconcile/string-index';

describe('StringIndex (the matcher’s id index)', () => {
  it('behaves like a Map of first occurrences, including colliding and empty keys', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('', 'ß', '日本', '🙂')), { maxLength: 300 }),
        (keys) => {
          const index = new StringIndex(keys.length, (i) => keys[i]!);
          const map = new Map<string, number>();
          for (let i = 0; i < keys.length; i++) {
            const had = map.get(keys[i]!);
            expect(index.add(keys[i]!, i)).toBe(had ?? -1);
            if (had === undefined) map.set(keys[i]!, i);
          }
          for (const key of [...keys, 'absent', 'x'.repeat(9)]) expect(index.get(key)).toBe(map.get(key) ?? -1);
        },
      ),
    );
  });

  it('tells apart keys of equal hash (the slot keeps the hash, the key is still compared)', () => {
    // FNV-1a 32-bit collisions among decimal strings (found by search).
    const pairs = [
      ['40189', '797186'],
      ['40188', '797187'],
      ['40187', '797188'],
    ];
    for (const [a, b] of pairs) expect(StringIndex.hash(a!)).toBe(StringIndex.hash(b!));
    const keys = pairs.flat();
    const index = new StringIndex(keys.length, (i) => keys[i]!);
    for (const [i, k] of keys.entries()) expect(index.add(k, i)).toBe(-1);
    for (const [i, k] of keys.entries()) expect(index.get(k)).toBe(i);
    for (const [i, k] of keys.entries()) expect(index.add(k, 99)).toBe(i);
    expect(index.get('40186')).toBe(-1);
    expect(index.get('797189')).toBe(-1);
  });
});
