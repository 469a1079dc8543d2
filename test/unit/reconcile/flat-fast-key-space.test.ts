import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeySpace } from '../../../src/main/reconcile/flat-fast/key-space';

// Keys near one another (the dense window), far away, with leading zeros, long, and not digits:
// the dense table, NumberKeys and ByteKeys must together give each distinct key one id.
const key = fc.oneof(
  fc.integer({ min: 100000, max: 100300 }).map(String),
  fc.integer({ min: 0, max: 999 }).map(String),
  fc.integer({ min: 0, max: 999 }).map((n) => `0${n}`),
  fc.constantFrom('0', '00', '999999999999999', '1000000000000000', '12345678901234567'),
  fc.stringMatching(/^[0-9A-Za-z#-]{1,8}$/),
);

describe('flat-fast KeySpace', () => {
  it('gives equal keys the same id and distinct keys distinct ids, by bytes or by text', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(key, fc.boolean()), { maxLength: 300 }),
        fc.array(key, { maxLength: 50 }),
        (adds, probes) => {
          const bytes = Buffer.from(adds.map(([k]) => k).join('|'), 'latin1');
          const space = new KeySpace([bytes], 16);
          const reference = new Map<string, number>();
          let at = 0;
          for (const [k, asText] of adds) {
            const id = asText ? space.addText(k) : space.add(0, at, at + k.length);
            at += k.length + 1;
            const known = reference.get(k);
            expect(space.added).toBe(known === undefined);
            if (known === undefined) reference.set(k, id);
            else expect(id).toBe(known);
          }
          expect(space.size).toBe(reference.size);
          expect(new Set(reference.values()).size).toBe(reference.size);
          at = 0;
          for (const [k] of adds) {
            expect(space.get(0, at, at + k.length)).toBe(reference.get(k));
            at += k.length + 1;
          }
          for (const k of probes) expect(space.getText(k)).toBe(reference.get(k) ?? -1);
        },
      ),
      { numRuns: 300 },
    );
  });
});
