import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reconcile } from '../../../src/main/reconcile/engine';
import type { CanonicalRefund } from '../../../src/shared/model';
import { ns, sf } from './helpers';

const SKUS = ['TEE-CLS-M', 'CAP-WOOL', 'SOCK-3PK'];

const line = fc.record({
  sku: fc.constantFrom(...SKUS),
  description: fc.constant(''),
  quantity: fc.integer({ min: 1, max: 3 }),
  amount: fc.constantFrom(500, 1000, 1001, 2400),
  tax: fc.constantFrom(0, 41),
  role: fc.constant('item' as const),
});

const base = fc.record({
  orderRef: fc.constantFrom('#1001', '#1002', '1003', 'Order #1004', ''),
  date: fc.constantFrom('2026-01-01', '2026-01-03', '2026-01-09', '2026-02-20'),
  currency: fc.constantFrom('USD', 'EUR', 'JPY'),
  total: fc.constantFrom(0, 999, 1000, 1001, 1500, 2500),
  lines: fc.array(line, { maxLength: 2 }),
  moneyMoved: fc.boolean(),
});

const storefrontArb = fc
  .array(base, { maxLength: 14 })
  .map((items) =>
    items.map((b, i) =>
      sf({ id: `90${i}`, ...b, kind: b.lines.length > 0 ? 'line_item' : 'general', total: b.moneyMoved ? b.total : 0 }),
    ),
  );

const netsuiteArb = (sfCount: number) =>
  fc
    .array(
      fc.record({
        b: base,
        type: fc.constantFrom('cashRefund', 'creditMemo', 'customerRefund') as fc.Arbitrary<
          CanonicalRefund['recordType']
        >,
        key: fc.option(fc.integer({ min: 0, max: Math.max(0, sfCount + 2) }), { nil: null }),
        keyForm: fc.constantFrom('', 'shopify-refund-', 'SR-'),
        status: fc.constantFrom('ok', 'ok', 'ok', 'voided') as fc.Arbitrary<CanonicalRefund['status']>,
        from: fc.constantFrom('cashSale', 'invoice', 'salesOrder') as fc.Arbitrary<
          'cashSale' | 'invoice' | 'salesOrder'
        >,
        applies: fc.option(fc.integer({ min: 0, max: 15 }), { nil: null }),
      }),
      { maxLength: 16 },
    )
    .map((items) =>
      items.map((x, i) =>
        ns({
          id: String(4000 + i),
          ...x.b,
          recordType: x.type,
          kind: x.b.lines.length > 0 ? 'line_item' : 'general',
          externalId: x.key === null ? '' : `${x.keyForm}90${x.key}`,
          status: x.status,
          createdFrom: x.type === 'customerRefund' ? null : { type: x.from, ref: 'X1' },
          appliesTo: x.type === 'customerRefund' && x.applies !== null ? String(4000 + x.applies) : '',
          moneyMoved: true,
        }),
      ),
    );

const inputs = storefrontArb.chain((storefront) =>
  netsuiteArb(storefront.length).map((netsuite) => ({ storefront, netsuite })),
);

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function canonicalForm(out: ReturnType<typeof reconcile>): string[] {
  return out.results
    .map((r) =>
      JSON.stringify([
        r.key,
        r.code,
        r.severity,
        r.storefront.map((s) => s.id).sort(),
        r.netsuite.map((n) => n.id).sort(),
        r.difference,
      ]),
    )
    .sort();
}

describe('reconcile properties', () => {
  it('every input record appears in exactly one result (voided NetSuite records: in notCompared)', () => {
    fc.assert(
      fc.property(inputs, ({ storefront, netsuite }) => {
        const out = reconcile(storefront, netsuite);
        const seen = new Map<CanonicalRefund, number>();
        for (const r of out.results)
          for (const x of [...r.storefront, ...r.netsuite]) seen.set(x, (seen.get(x) ?? 0) + 1);
        for (const x of out.notCompared) seen.set(x, (seen.get(x) ?? 0) + 1);
        for (const x of [...storefront, ...netsuite]) expect(seen.get(x)).toBe(1);
        expect(seen.size).toBe(storefront.length + netsuite.length);
        const counted = Object.values(out.summary.byCode).reduce((a, b) => a + b, 0);
        expect(counted).toBe(out.results.length);
      }),
      { numRuns: 400 },
    );
  });

  it('the order of the input records (and files) changes nothing', () => {
    fc.assert(
      fc.property(inputs, fc.integer(), ({ storefront, netsuite }, seed) => {
        const a = reconcile(storefront, netsuite);
        const b = reconcile(shuffled(storefront, seed), shuffled(netsuite, seed ^ 0x9e3779b9));
        expect(canonicalForm(b)).toEqual(canonicalForm(a));
        expect(b.results.map((r) => r.key)).toEqual(a.results.map((r) => r.key));
        expect(b.summary).toEqual(a.summary);
      }),
      { numRuns: 300 },
    );
  });

  it('a run on identical sides gives only matched', () => {
    fc.assert(
      fc.property(storefrontArb, (refunds) => {
        const storefront = refunds
          .filter((r) => r.orderRef !== '')
          .map((r) => ({ ...r, moneyMoved: true, total: r.total === 0 ? 700 : r.total }));
        const netsuite = storefront.map((r, i) =>
          ns({
            ...r,
            id: String(7000 + i),
            documentNumber: `CR${7000 + i}`,
            createdFrom: { type: 'cashSale', ref: 'CS1' },
          }),
        );
        const out = reconcile(storefront, netsuite);
        expect(out.results.every((r) => r.code === 'matched')).toBe(true);
        expect(out.results.length).toBeLessThanOrEqual(storefront.length);
      }),
      { numRuns: 300 },
    );
  });
});
