import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FinishedIds } from '../../../src/main/importers/finished-ids';

describe('FinishedIds (the saved search’s finished internal ids)', () => {
  it('answers has() exactly as a Set of the same ids, in any order and spelling', () => {
    const id = fc.oneof(
      fc.integer({ min: 0, max: 200 }).map(String),
      fc.integer({ min: 0, max: 200 }).map((n) => `0${n}`),
      fc.constantFrom('', 'abc', '12a', '-1', ' 7', '1e3', '999999999999999', '1000000000000000', '9007199254740993'),
      fc.string({ maxLength: 4 }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), id), { maxLength: 300 }), (ops) => {
        const fast = new FinishedIds();
        const set = new Set<string>();
        for (const [add, value] of ops) {
          if (add) {
            fast.add(value);
            set.add(value);
          } else expect(fast.has(value)).toBe(set.has(value));
        }
        for (const value of set) expect(fast.has(value)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps increasing integer ids (the usual sort) out of the Set, and finds them', () => {
    const ids = new FinishedIds();
    for (let i = 1; i <= 10_000; i++) ids.add(String(i * 3));
    expect(ids.has('3')).toBe(true);
    expect(ids.has('30000')).toBe(true);
    expect(ids.has('4')).toBe(false);
    expect(ids.has('30003')).toBe(false);
    ids.add('4');
    expect(ids.has('4')).toBe(true);
  });
});
