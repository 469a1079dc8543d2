import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addMinor,
  CURRENCY_CODES,
  currencyExponent,
  formatAmount,
  minorFromApiNumber,
  parseAmount,
  resolveCurrency,
  subtractMinor,
  sumMinor,
  toleranceMinor,
} from '../../../src/shared/money';

const ok = (raw: string, currency: string, options?: Parameters<typeof parseAmount>[2]) => {
  const result = parseAmount(raw, currency, options);
  if (!result.ok) throw new Error(result.message);
  return result.minor;
};

describe('currencies', () => {
  it('knows the exponent of every active currency', () => {
    expect(currencyExponent('USD')).toBe(2);
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('BHD')).toBe(3);
    expect(currencyExponent('CLF')).toBe(4);
    expect(CURRENCY_CODES.length).toBeGreaterThan(150);
  });
  it('resolves NetSuite currency names and ISO codes', () => {
    expect(resolveCurrency('US Dollar')).toBe('USD');
    expect(resolveCurrency('british pound')).toBe('GBP');
    expect(resolveCurrency(' eur ')).toBe('EUR');
    expect(resolveCurrency('Doubloon')).toBeUndefined();
  });
});

describe('parseAmount', () => {
  it.each([
    ['1234.56', 'USD', 123456],
    ['1,234.56', 'USD', 123456],
    ['(12.00)', 'USD', -1200],
    ['-12.5', 'USD', -1250],
    ['12.00-', 'USD', -1200],
    ['$19.99', 'USD', 1999],
    ['-$19.99', 'USD', -1999],
    ['USD 19.99', 'USD', 1999],
    ['19.99 USD', 'USD', 1999],
    ['£1,000', 'GBP', 100000],
    ['¥1,200', 'JPY', 1200],
    ['1200', 'JPY', 1200],
    ['1.250', 'BHD', 1250],
    ['0.5', 'USD', 50],
    ['.5', 'USD', 50],
    ['12.', 'USD', 1200],
    ['19.990000', 'USD', 1999],
    [' 7 ', 'EUR', 700],
  ])('%s %s → %i', (raw, currency, minor) => {
    expect(ok(raw, currency)).toBe(minor);
  });

  it('reads comma decimals when told', () => {
    expect(ok('1.234,56', 'EUR', { decimalComma: true })).toBe(123456);
    expect(ok('€12,50', 'EUR', { decimalComma: true })).toBe(1250);
    expect(ok('(3,10)', 'EUR', { decimalComma: true })).toBe(-310);
  });

  it('rounds excess decimals half-up only when asked', () => {
    expect(parseAmount('9.005', 'USD').ok).toBe(false);
    expect(ok('9.005', 'USD', { excessDecimals: 'half-up' })).toBe(901);
    expect(ok('9.004999', 'USD', { excessDecimals: 'half-up' })).toBe(900);
    expect(ok('-9.005', 'USD', { excessDecimals: 'half-up' })).toBe(-901);
  });

  it.each([
    ['', 'empty'],
    ['abc', 'expected digits'],
    ['12.34.56', 'expected digits'],
    ['1e3', 'expected digits'],
    ['--5', 'two minus signs'],
    ['(-5)', 'two minus signs'],
    ['12.345', 'at most 2 decimals'],
    ['EUR 12.00', 'names the currency EUR'],
    ['NaN', 'expected digits'],
    ['Infinity', 'expected digits'],
    ['12,34', 'expected digits'],
  ])('rejects %j with a message saying why (%s)', (raw, why) => {
    const result = parseAmount(raw, 'USD');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message).toContain(why);
      expect(result.message).toContain('USD');
    }
  });

  it('rejects decimals for a zero-exponent currency', () => {
    const result = parseAmount('12.50', 'JPY');
    expect(result).toMatchObject({ ok: false });
    if (!result.ok) expect(result.message).toContain('no decimals');
  });
});

const currencyArb = fc.constantFrom('USD', 'EUR', 'JPY', 'BHD', 'GBP', 'CLF', 'KWD');
const minorArb = fc.integer({ min: -999_999_999_999, max: 999_999_999_999 });

describe('money properties', () => {
  it('format then parse round-trips exactly for every currency', () => {
    fc.assert(
      fc.property(currencyArb, minorArb, (currency, minor) => {
        expect(ok(formatAmount(minor, currency), currency)).toBe(minor);
      }),
    );
  });

  it('thousands separators and parentheses parse to the same value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999_999 }), (minor) => {
        const plain = formatAmount(minor, 'USD');
        const [whole, fraction] = plain.split('.');
        const grouped = `${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}`;
        expect(ok(grouped, 'USD')).toBe(minor);
        // 0 - minor: never -0, which the parser deliberately does not produce.
        expect(ok(`(${grouped})`, 'USD')).toBe(0 - minor);
      }),
      { examples: [[0], [1], [100_000]] },
    );
  });

  it('never throws and never returns a non-integer on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), currencyArb, fc.boolean(), (raw, currency, decimalComma) => {
        const result = parseAmount(raw, currency, { decimalComma });
        if (result.ok) expect(Number.isSafeInteger(result.minor)).toBe(true);
        else expect(result.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('API decimal numbers convert exactly through their decimal string', () => {
    fc.assert(
      fc.property(fc.integer({ min: -99_999_999, max: 99_999_999 }), (minor) => {
        const asNumber = Number(formatAmount(minor, 'USD'));
        const parsed = minorFromApiNumber(asNumber, 'USD');
        expect(parsed).toEqual({ ok: true, minor });
      }),
    );
    expect(minorFromApiNumber(0.1 + 0.2, 'USD').ok).toBe(false);
  });

  it('add and subtract are exact and refuse unsafe results', () => {
    fc.assert(
      fc.property(minorArb, minorArb, (a, b) => {
        expect(subtractMinor(addMinor(a, b), b)).toBe(a);
      }),
    );
    expect(() => addMinor(Number.MAX_SAFE_INTEGER, 1)).toThrow(RangeError);
    expect(sumMinor([1999, 1, 500])).toBe(2500);
  });

  it('tolerance is in minor units of the currency', () => {
    expect(toleranceMinor('0.01', 'USD')).toBe(1);
    expect(toleranceMinor('0.05', 'EUR')).toBe(5);
    expect(toleranceMinor('1', 'JPY')).toBe(1);
    expect(toleranceMinor('0.001', 'BHD')).toBe(1);
  });
});
