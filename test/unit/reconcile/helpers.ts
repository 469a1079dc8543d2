import { CaseFactory, type CaseKind } from '../../../src/main/demo/cases';
import { canonicalNetsuite, canonicalStorefront, type NsRecord, type ShopOrder } from '../../../src/main/demo/model';
import type { ReconcileResult } from '../../../src/main/reconcile/engine';
import { type CanonicalRefund, defaultTenders } from '../../../src/shared/model';

/** Realistic inputs: Shopify REST orders and NetSuite saved-search records, viewed as canonical refunds. */
export function fromCases(kinds: Array<CaseKind | [CaseKind, string]>, seed = 7) {
  const factory = new CaseFactory(seed);
  const orders: ShopOrder[] = [];
  const records: NsRecord[] = [];
  const expected = new Map<string, string>();
  for (const k of kinds) {
    const c = Array.isArray(k) ? factory.make(k[0], k[1]) : factory.make(k);
    orders.push(c.order);
    records.push(...c.netsuite);
    for (const [key, code] of c.expected) expected.set(key, code);
  }
  return {
    orders,
    records,
    expected,
    storefront: orders.flatMap(canonicalStorefront),
    netsuite: records.map(canonicalNetsuite),
  };
}

/** Every input record's result code, keyed sf:<id> / ns:<id>. */
export function codesByRecord(results: ReconcileResult[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const r of results) {
    for (const s of r.storefront) map.set(`sf:${s.id}`, r.code);
    for (const n of r.netsuite) map.set(`ns:${n.id}`, r.code);
  }
  return map;
}

export function sf(over: Partial<CanonicalRefund> & { id: string }): CanonicalRefund {
  const merged = {
    side: 'storefront',
    documentNumber: over.id,
    recordType: 'refund',
    orderRef: '#1001',
    createdFrom: null,
    date: '2026-01-10',
    currency: 'USD',
    total: 1000,
    shipping: 0,
    tax: 0,
    adjustment: 0,
    lines: [],
    kind: 'general',
    externalId: '',
    memo: '',
    isTest: false,
    status: 'ok',
    appliesTo: '',
    moneyMoved: true,
    presentment: null,
    ...over,
  } as CanonicalRefund;
  return {
    ...merged,
    tenders: over.tenders ?? defaultTenders(merged),
    amountRemaining: over.amountRemaining ?? null,
    applications: over.applications ?? [],
    recordTotal: over.recordTotal !== undefined ? over.recordTotal : merged.side === 'netsuite' ? merged.total : null,
  };
}

export function ns(over: Partial<CanonicalRefund> & { id: string }): CanonicalRefund {
  return sf({
    side: 'netsuite',
    recordType: 'cashRefund',
    documentNumber: `CR${over.id}`,
    createdFrom: { type: 'cashSale', ref: 'CS1001' },
    ...over,
  });
}
