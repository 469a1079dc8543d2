import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineSummary } from '../../../src/main/store/line-summary';
import type { RefundLine } from '../../../src/shared/model';

/**
 * lineSummary writes its JSON by hand: it must be exactly JSON.stringify of the array it stands
 * for (`[shippingFromLines, shipping, sku, quantity, amount, …]`), for lines of any values.
 */
function reference(refund: { lines: RefundLine[]; shipping: number }): string {
  const out: Array<string | number> = [0, 0];
  let shipping = 0;
  let shippingLines = false;
  for (const line of refund.lines) {
    if (line.role === 'item') {
      const sku = line.sku.trim();
      out.push(sku === '' ? '(no SKU)' : sku, line.quantity, line.amount);
    } else if (line.role === 'shipping') {
      shipping += line.amount;
      shippingLines = true;
    }
  }
  out[0] = shippingLines ? 1 : 0;
  out[1] = shippingLines ? shipping : refund.shipping;
  return JSON.stringify(out);
}

const number = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.maxSafeInteger(),
  fc.double(),
  fc.constantFrom(-0, 0.1, 1e21, 1e-7, Number.NaN, Number.POSITIVE_INFINITY),
);
const sku = fc.oneof(
  fc.constantFrom('TEE-CLS-L', '', '  ', ' SKU ', 'a"b', 'a\\b', 'é', '\u0007', '\u2028', '\ud800'),
  fc.string({ maxLength: 10 }),
  fc.string({ unit: 'grapheme', maxLength: 4 }),
);
const line = fc.record({
  sku,
  description: fc.constant(''),
  quantity: number,
  amount: number,
  tax: fc.constant(0),
  role: fc.constantFrom<RefundLine['role']>('item', 'item', 'shipping', 'generic', 'tax'),
});

describe('lineSummary', () => {
  it('writes exactly what JSON.stringify writes for the summary array', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 6 }), number, (lines, shipping) => {
        const refund = { lines: lines as RefundLine[], shipping };
        expect(lineSummary(refund)).toBe(reference(refund));
      }),
      { numRuns: 3000 },
    );
  });
});
