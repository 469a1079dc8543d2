import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { MATCHED_KINDS, PLANTED_KINDS } from '../../../src/main/demo/cases';
import { demoCanonical, generateDemo } from '../../../src/main/demo/generate';
import { type ReconcileResult, reconcileColumns } from '../../../src/main/reconcile/engine';
import { readMatchColumns } from '../../../src/main/reconcile/match-columns';
import { openWorkspace } from '../../../src/main/store/open';
import { writeSnapshot } from '../../../src/main/store/snapshot-writer';
import { ReconcileRules, type ReconcileRulesInput } from '../../../src/shared/contract/run';
import type { CanonicalDispute, CanonicalRefund, Tender } from '../../../src/shared/model';
import { resultForm } from '../../unit/reconcile/forms';
import { fromCases, ns, sf } from '../../unit/reconcile/helpers';

/**
 * The plain block (reconcile/plain-pairs.ts) decides one-refund, one-record orders from the match
 * columns. Whatever it decides must be what the general path decides: the same results in the
 * same order (every field a result shows, hints included) and the same summary, whether the sink
 * takes plain pairs as batches or as results.
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-plain-block-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const meta = { label: 't', source: 'demo' as const, format: 'canonical-json', importerVersion: 'test' };
let fileNo = 0;
const DISPUTE_TYPE = 'chargeback' as const;
const DISPUTE_STATUS = 'lost' as const;

interface Run {
  results: ReturnType<typeof resultForm>[];
  summary: unknown;
  plain: number;
}

async function runAll(
  storefront: CanonicalRefund[],
  netsuite: CanonicalRefund[],
  rulesInput: ReconcileRulesInput,
  disputes?: CanonicalDispute[],
): Promise<{ general: Run; asResults: Run; asBatches: Run }> {
  const db = openWorkspace(path.join(tmp, `w${fileNo++}.sqlite`));
  try {
    const sfId = await writeSnapshot(db, { ...meta, side: 'storefront' }, storefront);
    const nsId = await writeSnapshot(db, { ...meta, side: 'netsuite' }, netsuite);
    const rules = ReconcileRules.parse(rulesInput);
    const run = (plainBlock: boolean, batches: boolean): Run => {
      // Fresh columns each run: records are read lazily, nothing is shared between runs.
      const sfc = readMatchColumns(db, [sfId], 'storefront', rules.refundKeyField, { persist: false });
      const nsc = readMatchColumns(db, [nsId], 'netsuite', rules.refundKeyField, { persist: false });
      const results: ReconcileResult[] = [];
      let plain = 0;
      const out = reconcileColumns(
        sfc,
        nsc,
        { ...rules },
        { plainBlock, ...(disputes ? { disputes } : {}) },
        {
          add: (r) => results.push(r),
          ...(batches
            ? {
                addPlain: (b) => {
                  plain += b.end - b.start;
                  for (let k = b.start; k < b.end; k++) results.push(b.result(k));
                },
              }
            : {}),
        },
      );
      return { results: results.map(resultForm), summary: out.summary, plain };
    };
    return { general: run(false, true), asResults: run(true, false), asBatches: run(true, true) };
  } finally {
    db.close();
  }
}

function expectSame(runs: { general: Run; asResults: Run; asBatches: Run }): void {
  expect(runs.general.plain).toBe(0);
  expect(runs.asResults.results).toEqual(runs.general.results);
  expect(runs.asResults.summary).toEqual(runs.general.summary);
  expect(runs.asBatches.results).toEqual(runs.general.results);
  expect(runs.asBatches.summary).toEqual(runs.general.summary);
}

describe('the plain block', () => {
  it('gives the general path results on the demo and on every case kind, under several rules', async () => {
    const demo = demoCanonical(generateDemo());
    const cases = fromCases([...MATCHED_KINDS, ...PLANTED_KINDS, ...PLANTED_KINDS], 13);
    const asOf = '2026-03-20';
    let plain = 0;
    for (const [sfs, nss] of [
      [demo.storefront, demo.netsuite],
      [cases.storefront, cases.netsuite],
    ] as const) {
      for (const rules of [
        { asOf },
        { asOf, tolerance: { default: '0.05', byCurrency: {} } },
        { asOf, tolerance: { default: '0', byCurrency: {} } },
        { asOf, storefrontLineItems: 'no' as const },
        { asOf, itemMapping: { 'TEE-CLS-M': 'TEE-CLS-M' } },
      ]) {
        const runs = await runAll([...sfs], [...nss], rules);
        expectSame(runs);
        plain += runs.asBatches.plain;
      }
    }
    // The block did decide pairs (else this test proves nothing).
    expect(plain).toBeGreaterThan(50);
  });

  // One order per case: one refund a side that agree, or differ in one thing the block must see.
  const tender = (kind: Tender['kind'], amount: number, state: Tender['state'] = 'settled'): Tender => ({
    kind,
    gateway: '',
    amount,
    presentmentAmount: null,
    state,
    ref: '',
  });
  const order = fc.record({
    total: fc.constantFrom(0, 1000, 2500),
    nsDelta: fc.constantFrom(0, 0, 0, 1, 7),
    nsCurrency: fc.constantFrom('USD', 'USD', 'USD', 'EUR'),
    sfTender: fc.constantFrom('default', 'card', 'store_credit', 'gift_card', 'exchange', 'other', 'split'),
    nsTender: fc.constantFrom('default', 'card', 'store_credit', 'cash', 'other', 'open'),
    sfLines: fc.constantFrom('none', 'tee', 'tee2', 'ship'),
    nsLines: fc.constantFrom('none', 'tee', 'tee2', 'ship'),
    nsType: fc.constantFrom('cashRefund', 'cashRefund', 'creditMemo'),
    from: fc.constantFrom('cashSale', 'invoice', 'salesOrder', null),
    keyed: fc.constantFrom('none', 'own', 'other'),
    disputed: fc.boolean(),
    day: fc.integer({ min: 1, max: 9 }),
    /** The NetSuite record mirrors the refund (then only the key and the dispute can differ). */
    agree: fc.boolean(),
  });
  const lines = (shape: string): CanonicalRefund['lines'] =>
    shape === 'none'
      ? []
      : shape === 'ship'
        ? [{ sku: '', description: 'Shipping', quantity: 0, amount: 500, tax: 0, role: 'shipping' }]
        : [{ sku: 'TEE', description: '', quantity: shape === 'tee2' ? 2 : 1, amount: 1000, tax: 0, role: 'item' }];
  const tenders = (shape: string, total: number, side: 'sf' | 'ns'): Tender[] | undefined => {
    if (shape === 'default' || total === 0) return undefined;
    if (shape === 'split') return total > 1 ? [tender('card', total - 1), tender('store_credit', 1)] : undefined;
    if (shape === 'open') return side === 'ns' ? [tender('store_credit', total, 'open')] : undefined;
    return [tender(shape as Tender['kind'], total)];
  };

  it('gives the general path results on random one-to-one orders (fast-check)', async () => {
    let plain = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(order, { minLength: 1, maxLength: 12 }), fc.boolean(), async (orders, withDisputes) => {
        const storefront: CanonicalRefund[] = [];
        const netsuite: CanonicalRefund[] = [];
        const disputes: CanonicalDispute[] = [];
        orders.forEach((drawn, k) => {
          const o = drawn.agree
            ? {
                ...drawn,
                nsDelta: 0,
                nsCurrency: 'USD',
                nsLines: drawn.sfLines,
                nsTender: ['card', 'store_credit', 'other'].includes(drawn.sfTender) ? drawn.sfTender : 'default',
                nsType: 'cashRefund',
                from: 'cashSale',
              }
            : drawn;
          const orderRef = `#${2000 + k}`;
          const date = `2026-01-0${o.day}`;
          const nsTotal = o.total === 0 ? 0 : o.total + o.nsDelta;
          const sfTenders = tenders(o.sfTender, o.total, 'sf');
          const nsTenders = tenders(o.nsTender, nsTotal, 'ns');
          storefront.push(
            sf({
              id: `${900 + k}`,
              orderRef,
              date,
              total: o.total,
              lines: lines(o.sfLines),
              ...(sfTenders ? { tenders: sfTenders } : {}),
            }),
          );
          const key =
            o.keyed === 'own' ? `${900 + k}` : o.keyed === 'other' ? `${900 + ((k + 1) % orders.length)}` : '';
          netsuite.push(
            ns({
              id: `${5000 + k}`,
              orderRef,
              date,
              currency: o.nsCurrency,
              total: nsTotal,
              recordType: o.nsType as CanonicalRefund['recordType'],
              createdFrom: o.from ? { type: o.from as 'cashSale', ref: 'X1' } : null,
              externalId: key,
              lines: lines(o.nsLines),
              ...(nsTenders ? { tenders: nsTenders } : {}),
            }),
          );
          if (o.disputed && withDisputes) {
            disputes.push({
              id: `d${k}`,
              orderRef,
              type: DISPUTE_TYPE,
              status: DISPUTE_STATUS,
              amount: o.total,
              currency: 'USD',
              initiatedAt: date,
              finalizedOn: date,
            });
          }
        });
        const runs = await runAll(storefront, netsuite, { asOf: '2026-03-01' }, withDisputes ? disputes : undefined);
        expectSame(runs);
        plain += runs.asBatches.plain;
      }),
      { numRuns: 150, seed: 20261207 },
    );
    expect(plain).toBeGreaterThan(100);
  }, 120_000);
});
