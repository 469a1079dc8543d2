import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  amountNumber,
  cleanText,
  currencyNumFmt,
  displayAmount,
  groupDigits,
  MAX_EXACT_MINOR,
  neutraliseFormula,
  startsWithFormulaTrigger,
} from '../../../src/main/reports/cells';
import { describeTolerance } from '../../../src/main/reports/report-model';
import { CURRENCY_CODES, formatAmount, minorFromApiNumber } from '../../../src/shared/money';
import { HOSTILE_TEXT } from './helpers';

describe('neutraliseFormula (OWASP CSV injection)', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ['\n=1', "'\n=1"],
    ['  =1+1', "'  =1+1"],
    ['\u00a0 -1', "'\u00a0 -1"],
    ['\u200b=1', "'\u200b=1"],
    ['\uFEFF@x', "'\uFEFF@x"],
    ['\uFF1D1', "'\uFF1D1"],
    ['#1001', '#1001'],
    ['CR1001, CUSTREF7', 'CR1001, CUSTREF7'],
    ['a=b', 'a=b'],
    ['', ''],
    ['   ', '   '],
    ["'=already", "'=already"],
  ])('%j → %j', (input, expected) => {
    expect(neutraliseFormula(input)).toBe(expected);
  });

  it('neutralises every hostile sample that starts with a trigger', () => {
    for (const text of HOSTILE_TEXT) {
      const out = neutraliseFormula(cleanText(text));
      expect(startsWithFormulaTrigger(out)).toBe(false);
    }
  });

  it('property: no string ever leaves it starting with a formula trigger', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        const out = neutraliseFormula(cleanText(s));
        expect(startsWithFormulaTrigger(out)).toBe(false);
        // Only ever a prefix: the text itself is kept.
        expect(out === cleanText(s) || out === `'${cleanText(s)}`).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: trigger characters after arbitrary leading blanks are caught', () => {
    const blank = fc.constantFrom(' ', '\u00a0', '\u2003', '\u3000', '\u200b', '\uFEFF');
    const trigger = fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n');
    fc.assert(
      fc.property(fc.array(blank, { maxLength: 5 }), trigger, fc.string(), (blanks, t, rest) => {
        const out = neutraliseFormula(blanks.join('') + t + rest);
        expect(out.startsWith("'")).toBe(true);
      }),
    );
  });
});

describe('cleanText', () => {
  it('replaces characters no spreadsheet or XML file can carry', () => {
    expect(cleanText('a\u0000b\u0007c\u001Fd')).toBe('a\uFFFDb\uFFFDc\uFFFDd');
    expect(cleanText('tab\tcr\rlf\n')).toBe('tab\tcr\rlf\n');
    expect(cleanText('x\uD800y')).toBe('x\uFFFDy');
    expect(cleanText('x\uDC00y')).toBe('x\uFFFDy');
    expect(cleanText('emoji 😀 ok')).toBe('emoji 😀 ok');
    expect(cleanText('\uFFFE\uFFFF')).toBe('\uFFFD\uFFFD');
  });
  it('property: output is well-formed UTF-16 that survives UTF-8', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (s) => {
        const out = cleanText(s);
        expect(Buffer.from(out, 'utf8').toString('utf8')).toBe(out);
      }),
    );
  });
});

describe('amounts', () => {
  it('converts minor units through the exact decimal string', () => {
    expect(amountNumber(-1, 'USD')).toBe(-0.01);
    expect(amountNumber(123456, 'USD')).toBe(1234.56);
    expect(amountNumber(1200, 'JPY')).toBe(1200);
    expect(amountNumber(1005, 'BHD')).toBe(1.005);
    expect(amountNumber(12345, 'CLF')).toBe(1.2345);
    expect(amountNumber(MAX_EXACT_MINOR + 1, 'USD')).toBeNull();
  });

  it('property: every amount a spreadsheet receives reads back as the same minor units', () => {
    const currency = fc.constantFrom(...CURRENCY_CODES);
    const minor = fc.integer({ min: -MAX_EXACT_MINOR, max: MAX_EXACT_MINOR });
    fc.assert(
      fc.property(minor, currency, (m, c) => {
        const n = amountNumber(m, c)!;
        // What Excel shows and CSV readers parse is the shortest decimal of the double.
        const back = minorFromApiNumber(n, c);
        expect(back).toEqual({ ok: true, minor: m === 0 ? 0 : m });
        expect(String(n) === formatAmount(m, c) || Number(formatAmount(m, c)) === n).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('writes one number format per currency exponent', () => {
    expect(currencyNumFmt('USD')).toBe('"USD "#,##0.00;[Red]-"USD "#,##0.00');
    expect(currencyNumFmt('JPY')).toBe('"JPY "#,##0;[Red]-"JPY "#,##0');
    expect(currencyNumFmt('BHD')).toBe('"BHD "#,##0.000;[Red]-"BHD "#,##0.000');
  });

  it('groups digits for display without touching the decimals', () => {
    expect(groupDigits('1234567.89')).toBe('1,234,567.89');
    expect(groupDigits('-1000')).toBe('-1,000');
    expect(groupDigits('0.001')).toBe('0.001');
    expect(displayAmount(-123456, 'USD')).toBe('USD -1,234.56');
  });
});

describe('describeTolerance', () => {
  it('prints the stored tolerance rule', () => {
    expect(describeTolerance({ default: null, byCurrency: {} })).toBe('one minor unit');
    expect(describeTolerance({ default: '0.01', byCurrency: { USD: '0.05', JPY: '1' } })).toBe('0.01; JPY 1, USD 0.05');
  });
});
