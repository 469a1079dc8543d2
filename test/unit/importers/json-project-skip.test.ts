import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LEAF, projectJson, skipValueForTest } from '../../../src/main/importers/json-project';

/**
 * skipFlat (the byte reader's and the projection's skipper, without recursion) against the
 * recursive skipValue it replaced: on generated JSON values — nested objects and arrays, strings
 * with escapes, braces, brackets, quotes and commas inside, numbers of every form, literals,
 * whitespace — and on those texts mutated (a byte changed, dropped or cut off, so most are not
 * JSON), both give up on the same inputs and otherwise stop at the same byte, at any starting depth
 * (the nesting limit).
 */

const piece = fc.constantFrom(
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '"',
  '\\',
  '\\"',
  '\\u00e9',
  '\\u12',
  '\\x',
  'true',
  'tru',
  'null',
  'false',
  '-',
  '0',
  '01',
  '1.',
  '1.5',
  '1e',
  '2E+3',
  '-0.0e-1',
  ' ',
  '\n',
  '\t',
  '\u0001',
  'é',
  'a',
  '{}',
  '[]',
);

const jsonText = fc
  .jsonValue({ maxDepth: 6 })
  .chain((value) =>
    fc.record({
      value: fc.constant(value),
      spaced: fc.boolean(),
    }),
  )
  .map(({ value, spaced }) => JSON.stringify(value, null, spaced ? 1 : undefined) ?? 'null');

/** Strings whose content looks like JSON structure: the skipper must not count what is inside quotes. */
const trickyString = fc
  .array(piece, { maxLength: 12 })
  .map((parts) => JSON.stringify({ a: parts.join(''), b: [parts.join(''), { c: parts.join('') }] }));

function same(text: string, depth: number): void {
  const bytes = Buffer.from(`${text} ,tail`, 'utf8');
  const end = Buffer.byteLength(text, 'utf8');
  for (const e of [end, bytes.length]) {
    expect(skipValueForTest(bytes, 0, e, depth, true)).toBe(skipValueForTest(bytes, 0, e, depth, false));
  }
}

describe('skipFlat', () => {
  it('stops where skipValue stops on JSON values', () => {
    fc.assert(
      fc.property(fc.oneof(jsonText, trickyString), fc.integer({ min: 0, max: 64 }), (text, depth) => {
        same(text, depth);
        expect(skipValueForTest(Buffer.from(text), 0, Buffer.byteLength(text), 0, true)).toBe(Buffer.byteLength(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('gives up exactly where skipValue gives up on mutated texts', () => {
    fc.assert(
      fc.property(
        fc.oneof(jsonText, trickyString),
        fc.nat(),
        piece,
        fc.constantFrom('replace', 'insert', 'drop', 'cut'),
        fc.integer({ min: 0, max: 64 }),
        (text, at, with_, how, depth) => {
          const k = text.length === 0 ? 0 : at % text.length;
          const mutated =
            how === 'replace'
              ? text.slice(0, k) + with_ + text.slice(k + 1)
              : how === 'insert'
                ? text.slice(0, k) + with_ + text.slice(k)
                : how === 'drop'
                  ? text.slice(0, k) + text.slice(k + 1)
                  : text.slice(0, k);
          same(mutated, depth);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('gives up on nesting beyond the limit as skipValue does', () => {
    for (let n = 55; n <= 70; n++) {
      for (const open of ['[', '{"k":']) {
        const close = open === '[' ? ']' : '}';
        const text = `${open.repeat(n)}1${close.repeat(n)}`;
        for (const depth of [0, 1, 2, 5]) same(text, depth);
      }
    }
  });
});

describe('short strings seen before (readString)', () => {
  it('gives back each string JSON.parse gives, through hash collisions and repeats', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('TEE-CLS-L', 'Classic Tee - L', 'shopify_payments')),
          {
            minLength: 1,
            maxLength: 200,
          },
        ),
        (texts) => {
          for (const text of [...texts, ...texts.reverse()]) {
            const line = Buffer.from(JSON.stringify({ s: text, t: [text] }), 'utf8');
            expect(projectJson(line, 0, line.length, { s: LEAF })).toEqual({ value: { s: text } });
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
