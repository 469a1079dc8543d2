import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareLines } from '../../../src/main/reconcile/lines';
import { lineSummary, linesFromSummary } from '../../../src/main/store/line-summary';
import { type CanonicalRefund, LineRole } from '../../../src/shared/model';
import { ns, sf } from './helpers';

/**
 * Records read from a snapshot carry their line summary, and compareLines decides from the two
 * summaries when they agree (shipping-from-lines flag aside). That verdict must be the one the
 * full comparison gives on the same records, whose lines are rebuilt from the summary (as
 * `ColumnRecord.lines` does: item SKU, quantity and amount; a blank SKU is "(no SKU)", descriptions
 * are not kept — the snapshot matcher never compared them).
 */
const line = fc.record({
  sku: fc.constantFrom('A', 'B', ' A ', ''),
  description: fc.constantFrom('', 'Tee'),
  quantity: fc.integer({ min: 1, max: 2 }),
  amount: fc.constantFrom(500, 1000),
  tax: fc.constant(0),
  role: fc.constantFrom(...LineRole.options, 'item', 'item'),
});
const side = fc.record({ lines: fc.array(line, { maxLength: 3 }), shipping: fc.constantFrom(0, 500) });

/** The record as read from a snapshot, without its summary: lines rebuilt from it. */
const asRead = (r: CanonicalRefund) => ({ ...r, lines: linesFromSummary(lineSummary(r)).lines });
/** The same record carrying its summary, as `ColumnRecord` does. */
const withSummary = (r: CanonicalRefund) => Object.assign(asRead(r), { lineSummary: lineSummary(r) });

describe('compareLines from line summaries', () => {
  it('gives the verdict of the full line comparison (equal, or equal but for where shipping is recorded)', () => {
    fc.assert(
      fc.property(side, side, fc.boolean(), (a, b, mirror) => {
        const s = sf({ id: '1', ...a });
        const n = ns({ id: '2', ...(mirror ? a : b) });
        const full = compareLines([asRead(s)], [asRead(n)], {}, 0, false);
        const fast = compareLines([withSummary(s)], [withSummary(n)], {}, 0, false);
        expect(fast).toEqual(full);
      }),
      { numRuns: 5000 },
    );
  });

  it('takes shipping as a line on one side and as the refund field on the other as the same lines', () => {
    const item = { sku: 'A', description: '', quantity: 1, amount: 1000, tax: 0, role: 'item' as const };
    const s = sf({ id: '1', shipping: 500, lines: [item] });
    const n = ns({ id: '2', shipping: 0, lines: [item, { ...item, sku: 'Shipping', amount: 500, role: 'shipping' }] });
    expect(lineSummary(s)).not.toBe(lineSummary(n));
    const fast = compareLines([withSummary(s)], [withSummary(n)], {}, 0, false);
    expect(fast).toEqual(compareLines([asRead(s)], [asRead(n)], {}, 0, false));
    expect(fast).toEqual(compareLines([s], [n], {}, 0, false)); // SKUs present: descriptions play no part
    expect(fast.differs).toBe(false);
  });

  it('gives the verdict of the full comparison for roll-ups, from summary values or from lines', () => {
    // A record read from a snapshot also hands over its summary's values while its lines are not
    // rebuilt (`ColumnRecord.summaryValues`): compareLines then decides without rows or lines.
    const withValues = (r: CanonicalRefund) =>
      Object.assign(asRead(r), { summaryValues: () => JSON.parse(lineSummary(r)) as Array<string | number> });
    const records = fc.array(side, { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(
        records,
        records,
        fc.boolean(),
        fc.constantFrom<Record<string, string>>({}, { A: 'B' }, { A: 'X', '(no SKU)': 'A' }),
        fc.constantFrom(0, 1, 500),
        (a, b, mirror, mapping, tolerance) => {
          const sfs = a.map((x, i) => sf({ id: `s${i}`, ...x }));
          const nss = (mirror ? a : b).map((x, i) => ns({ id: `n${i}`, ...x }));
          const full = compareLines(sfs.map(asRead), nss.map(asRead), mapping, tolerance, true);
          const verdict = { ...full, lines: full.differs ? full.lines : [] };
          expect(compareLines(sfs.map(asRead), nss.map(asRead), mapping, tolerance, false)).toEqual(verdict);
          expect(compareLines(sfs.map(withValues), nss.map(withValues), mapping, tolerance, false)).toEqual(verdict);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
