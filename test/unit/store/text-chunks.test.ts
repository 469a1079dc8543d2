import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TextChunks } from '../../../src/main/store/column-collector';
import { TextColumn } from '../../../src/main/store/match-cache';

/**
 * `TextChunks.permuted` (runs of consecutive values taken as one substring) must give exactly what
 * the general path gives: `TextColumn.from` of one string per value in the permutation's order.
 */

function chunksOf(values: readonly string[]): TextChunks {
  const chunks = new TextChunks();
  for (const v of values) chunks.push(v);
  chunks.seal();
  return chunks;
}

function general(chunks: TextChunks, perm: Uint32Array): TextColumn {
  return TextColumn.from(Array.from(perm, (i) => chunks.get(i)));
}

function expectSame(values: readonly string[], perm: Uint32Array): void {
  const chunks = chunksOf(values);
  const fast = chunks.permuted(perm);
  const slow = general(chunks, perm);
  expect(fast.text).toBe(slow.text);
  expect(Array.from(fast.offsets)).toEqual(Array.from(slow.offsets));
}

const value = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('', '[0,0]', 'USD') },
  { weight: 5, arbitrary: fc.string({ maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 4, unit: 'binary' }) },
);

/** A permutation of 0…n-1 shaped like the matcher's order: sorted, reversed, shuffled, or sorted with moved blocks. */
const permutation = (n: number) =>
  fc.oneof(
    fc.constant(Uint32Array.from({ length: n }, (_, i) => i)),
    fc.constant(Uint32Array.from({ length: n }, (_, i) => n - 1 - i)),
    fc.array(fc.nat(), { minLength: n, maxLength: n }).map((keys) => {
      const perm = Uint32Array.from({ length: n }, (_, i) => i);
      return perm.sort((a, b) => keys[a]! - keys[b]! || a - b);
    }),
    fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat({ max: 50 })), { maxLength: 6 }).map((moves) => {
      const perm = Array.from({ length: n }, (_, i) => i);
      for (const [a, b, len] of moves) {
        if (n === 0) break;
        const from = a % n;
        const block = perm.splice(from, Math.min(len, n - from));
        perm.splice(b % (perm.length + 1), 0, ...block);
      }
      return Uint32Array.from(perm);
    }),
  );

describe('TextChunks.permuted', () => {
  it('equals TextColumn.from of the values in the permutation order (small columns)', () => {
    fc.assert(
      fc.property(
        fc.array(value, { maxLength: 60 }).chain((values) => fc.tuple(fc.constant(values), permutation(values.length))),
        ([values, perm]) => expectSame(values, perm),
      ),
      { numRuns: 300 },
    );
  });

  it('equals it across chunk ends (more than 4,096 values, runs crossing a chunk)', () => {
    fc.assert(
      fc.property(
        fc
          .tuple(fc.integer({ min: 4090, max: 12_400 }), fc.integer({ min: 0, max: 1000 }))
          .chain(([n, seed]) =>
            fc.tuple(
              fc.constant(
                Array.from({ length: n }, (_, i) => ((i * 7919 + seed) % 13 === 0 ? '' : `v${(i + seed) % 997}`)),
              ),
              permutation(n),
            ),
          ),
        ([values, perm]) => expectSame(values, perm),
      ),
      { numRuns: 30 },
    );
  });

  it('gives an empty column for no values and refuses a permutation of another length', () => {
    expectSame([], new Uint32Array(0));
    expect(() => chunksOf(['a', 'b']).permuted(new Uint32Array([0]))).toThrow(/permutation/);
  });
});

describe('TextChunks.column', () => {
  const expectInOrder = (values: readonly string[]) => {
    const column = chunksOf(values).column();
    const slow = TextColumn.from(values);
    expect(column.text).toBe(slow.text);
    expect(Array.from(column.offsets)).toEqual(Array.from(slow.offsets));
  };

  it('equals TextColumn.from of the values in import order, within and across chunk ends', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 60 }), (values) => expectInOrder(values)),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 4090, max: 12_400 }), fc.integer({ min: 0, max: 1000 }), (n, seed) =>
        expectInOrder(
          Array.from({ length: n }, (_, i) => ((i * 7919 + seed) % 13 === 0 ? '' : `v${(i + seed) % 997}`)),
        ),
      ),
      { numRuns: 30 },
    );
    expectInOrder([]);
    expectInOrder(Array.from({ length: 4096 }, () => ''));
  });
});
