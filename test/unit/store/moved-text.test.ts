import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TextColumn } from '../../../src/main/store/match-cache';
import { arrivedText, moveText } from '../../../src/main/store/moved-text';

/** A text column crosses threads as bytes (moved-text.ts): it must arrive exactly as it left. */
describe('moved text columns', () => {
  const column = (values: string[]) => TextColumn.from(values);
  const roundTrip = (values: string[], transfer: boolean) => {
    const moved = moveText(column(values));
    const cloned = structuredClone(moved, transfer ? { transfer: [moved.bytes.buffer as ArrayBuffer] } : undefined);
    return { moved, arrived: arrivedText(cloned) };
  };

  it('arrives with the same text and offsets, whatever the characters (lone surrogates too)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string({ maxLength: 8 }),
            fc.string({ unit: 'binary', maxLength: 4 }),
            fc.string({ unit: 'grapheme', maxLength: 3 }),
            fc.constantFrom('\ud800', 'a\udfff', 'é', '\u00ff', '\u0100', ''),
          ),
          { maxLength: 40 },
        ),
        fc.boolean(),
        (values, transfer) => {
          const { moved, arrived } = roundTrip(values, transfer);
          const sent = column(values);
          expect(arrived.text).toBe(sent.text);
          expect(Array.from(arrived.offsets)).toEqual(Array.from(sent.offsets));
          const ascii = [...sent.text].every((ch) => ch.charCodeAt(0) < 0x80);
          expect(moved.utf16).toBe(!ascii);
          expect(moved.bytes.byteLength).toBe(ascii ? sent.text.length : 2 * sent.text.length);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('moves a large ASCII column at one byte a character, its buffer detached after the transfer', () => {
    const values = Array.from({ length: 20_000 }, (_, i) => `#${1000 + i}-${'x'.repeat(i % 7)}`);
    const { moved, arrived } = roundTrip(values, true);
    expect(moved.utf16).toBe(false);
    expect(moved.bytes.byteLength).toBe(0); // detached: moved, not copied
    expect(arrived.toArray()).toEqual(values);
  });
});
