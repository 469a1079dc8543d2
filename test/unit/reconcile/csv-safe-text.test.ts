import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvSafeText } from '../../../src/main/reconcile/output';
import { safeText, startsWithFormulaTrigger } from '../../../src/main/reports/cells';
import { csvField } from '../../../src/shared/csv-field';

describe('CLI CSV cells (reconcile --format csv)', () => {
  it.each([
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    [' =1+1', "' =1+1"],
    ['\u200B=1+1', "'\u200B=1+1"],
    ['＝1+1', "'＝1+1"],
    ['-1006', "'-1006"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['#1001', '#1001'],
    ['a,b', '"a,b"'],
  ])('%j → %j', (input, expected) => {
    expect(csvSafeText(input)).toBe(expected);
  });

  it('uses the same trigger rule as the app exports', () => {
    for (const text of ['=1', ' +1', '\t-1', '＠x', 'plain', '1.00']) {
      expect(csvSafeText(text).replace(/^"/, '').startsWith("'")).toBe(startsWithFormulaTrigger(text));
    }
  });
});

describe('csvSafeText fast path (printable ASCII) against the general rule', () => {
  const general = (text: string) => csvField(safeText(text));
  // Mostly the characters that matter: blanks, triggers, quotes and separators, plus any other.
  const tricky = fc.constantFrom(
    ' ',
    '=',
    '+',
    '-',
    '@',
    '"',
    ',',
    ';',
    '\t',
    '\r',
    '\n',
    '\u0000',
    '\u007f',
    'a',
    '1',
    '＝',
    '\u200B',
    '\uD800',
    '\uDC00',
    'é',
  );
  const texts = fc.oneof(
    fc.string({ unit: 'binary-ascii', maxLength: 40 }),
    fc.string({
      unit: fc.oneof(tricky, fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 })),
      maxLength: 12,
    }),
    fc.string({ unit: 'binary', maxLength: 20 }),
  );

  it('gives what cleanText, the formula rule and csvField give', () => {
    fc.assert(
      fc.property(texts, (text) => {
        expect(csvSafeText(text)).toBe(general(text));
      }),
      { numRuns: 20_000 },
    );
  });

  it.each(['', ' ', '  =x', ' a ', 'a ', '"', '=,', "'=", 'x;y', '-', ' -1'])('%j', (text) => {
    expect(csvSafeText(text)).toBe(general(text));
  });
});
