import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { digitKey } from '../../../src/main/reconcile/digit-key';
import { compareCodePoints } from '../../../src/main/store/column-collector';
import { orderKeyOf } from '../../../src/main/store/memory-snapshot';
import { normaliseOrderRef } from '../../../src/shared/model';

const wellFormed = (s: string) => Buffer.from(s, 'utf8').toString('utf8') === s;

/** The orders the one-shot reconcile computes without SQLite (issue 15). */
describe('one-shot orderings', () => {
  it('compareCodePoints orders as SQLite BINARY (UTF-8 bytes)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
        // Lone surrogates have no UTF-8 form: only well-formed strings are compared.
        fc.pre(wellFormed(a) && wellFormed(b));
        const bytes = Math.sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
        expect(Math.sign(compareCodePoints(a, b))).toBe(bytes);
      }),
      { numRuns: 2000 },
    );
    expect(compareCodePoints('\u{1F600}', '\uFFFD')).toBeGreaterThan(0);
    expect('\u{1F600}' < '\uFFFD').toBe(true); // what plain `<` would get wrong
  });

  it('digitKey keeps the string order of digit strings', () => {
    const digits = fc.stringMatching(/^[0-9]{1,15}$/);
    fc.assert(
      fc.property(digits, digits, (a, b) => {
        const s = a < b ? -1 : a > b ? 1 : 0;
        expect(Math.sign(digitKey(a) - digitKey(b))).toBe(s);
      }),
      { numRuns: 3000 },
    );
    expect(digitKey('12a')).toBe(-1);
    expect(digitKey('1234567890123456')).toBe(-1);
    expect(digitKey('')).toBe(-1);
  });

  it('orderKeyOf is normaliseOrderRef', () => {
    const ref = fc.oneof(
      fc.string(),
      fc.stringMatching(/^#?[0-9A-Za-z #_.-]{0,8}$/),
      fc.constantFrom('#1001', '1001', 'SO-5', '#SO-5', 'ORD5', 'ORDER 5', 'order 5', '#ORDER5', 'Ord9', '#', ''),
    );
    fc.assert(
      fc.property(ref, (r) => {
        expect(orderKeyOf(r)).toBe(normaliseOrderRef(r));
      }),
      { numRuns: 3000 },
    );
  });
});
