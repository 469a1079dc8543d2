import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdAlphabet } from '../../../src/main/reconcile/id-alphabet';

const text = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.stringMatching(/^[0-9]{1,6}$/),
  fc.constantFrom('', 'sr-12', 'shopify-refund-12', 'ß', '🙂', '\u0080', '\u007f'),
);

describe('IdAlphabet (keys the id index need not be probed for)', () => {
  it('never rules out an id it was given, and rules out only keys no id equals', () => {
    fc.assert(
      fc.property(fc.array(text, { maxLength: 20 }), fc.array(text, { maxLength: 20 }), (ids, keys) => {
        const alphabet = new IdAlphabet();
        for (const id of ids) alphabet.add(id);
        for (const id of ids) expect(alphabet.mayBeId(id)).toBe(true);
        for (const key of keys) if (!alphabet.mayBeId(key)) expect(ids).not.toContain(key);
        // Exactly: a key is ruled out when one of its code units is ASCII and in no id, or beyond
        // ASCII while no id goes beyond it.
        const idUnits = new Set(ids.flatMap((id) => Array.from({ length: id.length }, (_, k) => id.charCodeAt(k))));
        const beyond = [...idUnits].some((c) => c >= 128);
        for (const key of keys) {
          const codes = Array.from({ length: key.length }, (_, k) => key.charCodeAt(k));
          expect(alphabet.mayBeId(key)).toBe(codes.every((c) => (c < 128 ? idUnits.has(c) : beyond)));
        }
      }),
      { numRuns: 5_000 },
    );
  });

  it('rules out the prefixed keys of numeric ids, and not the ids', () => {
    const alphabet = new IdAlphabet();
    alphabet.add('908000123');
    alphabet.add('5551');
    expect(alphabet.mayBeId('sr-908000123')).toBe(false);
    expect(alphabet.mayBeId('shopify-refund-908000123')).toBe(false);
    expect(alphabet.mayBeId('908000123')).toBe(true);
    expect(alphabet.mayBeId('')).toBe(true);
  });
});
