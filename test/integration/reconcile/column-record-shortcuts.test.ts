import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { refundHasItemLines } from '../../../src/main/reconcile/lines';
import { readMatchColumns } from '../../../src/main/reconcile/match-columns';
import { openWorkspace } from '../../../src/main/store/open';
import { writeSnapshot } from '../../../src/main/store/snapshot-writer';
import { type CanonicalRefund, LineRole } from '../../../src/shared/model';
import { sf } from '../../unit/reconcile/helpers';

/**
 * A record read from a snapshot's match columns answers without its text: whether it has item
 * lines and its item lines' values (from its line summary, not the rebuilt lines) and its exchange
 * block (none without credit detail text, not parsed). Each must equal what the full path reads:
 * the lines rebuilt from the summary, and the credit detail parsed.
 */
const meta = { label: 't', source: 'demo' as const, format: 'canonical-json', importerVersion: 'test' };

const line = fc.record({
  sku: fc.constantFrom('A', 'B', ' A ', '', 'x,y'),
  description: fc.constantFrom('', 'Tee'),
  quantity: fc.integer({ min: 1, max: 2 }),
  amount: fc.constantFrom(500, 1000),
  tax: fc.constant(0),
  role: fc.constantFrom(...LineRole.options),
});
const exchange = fc.option(
  fc.record({
    returnId: fc.constantFrom('R1', 'R2'),
    returnedValue: fc.constantFrom(0, 1000),
    exchangeValue: fc.option(fc.constantFrom(0, 400, 1000), { nil: null }),
    balanceDue: fc.constant(null),
  }),
  { nil: null },
);
const refund = fc.record({
  lines: fc.array(line, { maxLength: 3 }),
  shipping: fc.constantFrom(0, 500),
  exchange,
  amountRemaining: fc.option(fc.constantFrom(0, 300), { nil: null }),
  /** Text the app would not write: parsed as the defaults (no exchange). */
  odd: fc.constantFrom(null, null, null, '{}', 'not json', '{"applications":[],"exchange":null}'),
});

/** The `credit_detail` text of a drawn record (null: the column's default). */
function creditText(d: { exchange: unknown; amountRemaining: number | null; odd: string | null }): string | null {
  if (d.odd !== null) return d.odd;
  if (d.exchange === null && d.amountRemaining === null) return null;
  return JSON.stringify({
    amountRemaining: d.amountRemaining,
    applications: [],
    recordTotal: null,
    ...(d.exchange ? { exchange: d.exchange } : {}),
  });
}

describe('match-column records read from a snapshot', () => {
  it('tell item lines and their exchange block as the full read does', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(refund, { minLength: 1, maxLength: 6 }), async (drawn) => {
        const refunds: CanonicalRefund[] = drawn.map((d, i) =>
          sf({ id: `r${i}`, lines: d.lines, shipping: d.shipping }),
        );
        const db = openWorkspace(':memory:');
        const id = await writeSnapshot(db, { ...meta, side: 'storefront' }, refunds);
        // The credit detail as a workspace may hold it (the exchange block rides in it).
        const update = db.prepare('UPDATE refunds SET credit_detail = ? WHERE snapshot_id = ? AND source_id = ?');
        for (const [i, d] of drawn.entries()) update.run(creditText(d), id, `r${i}`);
        const columns = readMatchColumns(db, [id], 'storefront', 'externalId', { persist: false, useCache: false });
        for (let i = 0; i < columns.n; i++) {
          const fast = columns.record(i) as CanonicalRefund & { hasItemLines(): boolean };
          const full = columns.record(i);
          // The full path: lines rebuilt, credit detail parsed (reading amountRemaining parses it).
          void full.amountRemaining;
          expect(fast.hasItemLines()).toBe(refundHasItemLines(full));
          expect(fast.exchange).toEqual(full.exchange);
          // And against what was written.
          const k = refunds.findIndex((r) => r.id === fast.id);
          expect(fast.hasItemLines()).toBe(refundHasItemLines(refunds[k]!));
          expect(fast.exchange ?? null).toEqual(drawn[k]!.odd === null ? drawn[k]!.exchange : null);
          // The summary's values hold the item lines the full read rebuilds, and its shipping.
          const values = (fast as unknown as { summaryValues(): Array<string | number> | null }).summaryValues()!;
          const items: unknown[] = [];
          for (let k = 2; k + 2 < values.length; k += 3) items.push([values[k], values[k + 1], values[k + 2]]);
          expect(items).toEqual(full.lines.filter((l) => l.role === 'item').map((l) => [l.sku, l.quantity, l.amount]));
          // Once the lines are rebuilt, it reads them.
          void fast.lines;
          expect(fast.hasItemLines()).toBe(refundHasItemLines(full));
          expect((fast as unknown as { summaryValues(): unknown }).summaryValues()).toBeNull();
        }
        db.close();
      }),
      { numRuns: 100 },
    );
  }, 120_000);
});
