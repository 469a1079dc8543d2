import fs from 'node:fs';
import path from 'node:path';
import type { ResultCode } from '../../shared/codes';
import type { CanonicalRefund } from '../../shared/model';
import { type CaseKind, rng } from './cases';
import { shopifyDisputesText } from './disputes';
import {
  canonicalNetsuite,
  canonicalStorefront,
  NETSUITE_TENDER_CSV_HEADER,
  type NsRecord,
  netsuiteCsvRows,
  type ShopOrder,
  shopifyOrderJson,
} from './model';
import { DEMO_ORDER_CONTEXT_FILE, generateOrderContext, markDemoTestOrders, orderContextText } from './order-context';
import { type DemoDispute, TENDER_CASE_KINDS, TenderCaseFactory, type TenderCaseKind } from './tender-cases';

/**
 * The demo data (issue 2 item 6): one Shopify store and one NetSuite account, USD/EUR/GBP/JPY,
 * line-item, partial, shipping and general refunds, and at least one case of every result code
 * of spec §5 and tenders.md §3 (the tender codes need the disputes file for `chargeback`).
 * Deterministic for a seed; `scripts/gen-demo.ts` writes the files under resources/demo/.
 */

export const DEMO_SEED = 20260105;
export const DEMO_FILES = {
  storefront: 'shopify-orders.json',
  netsuite: 'netsuite-refunds.csv',
  /** Shopify Payments disputes (tenders.md §3.1), stored with the storefront snapshot. */
  disputes: 'shopify-disputes.json',
} as const;
/** Sync data of the demo (issue 6): how NetSuite and the storefront hold each order. */
export { DEMO_ORDER_CONTEXT_FILE } from './order-context';

export interface DemoData {
  orders: ShopOrder[];
  netsuite: NsRecord[];
  expected: Map<string, ResultCode | 'not_compared'>;
  /** The case planted on each order (parallel to `orders`). */
  kinds: Array<CaseKind | TenderCaseKind>;
  /** Disputes of the demo's orders (the chargeback case). */
  disputes: DemoDispute[];
  /** References of the orders flagged as test orders (for test-order dry runs). */
  testOrders: string[];
}

const DEMO_PLAN: Array<[CaseKind, number]> = [
  ['matched_full', 6],
  ['matched_partial', 9],
  ['matched_shipping', 5],
  ['matched_general', 3],
  ['matched_rollup', 2],
  ['rounding', 2],
  ['amount_mismatch', 2],
  ['line_mismatch', 2],
  ['general_refund', 2],
  ['missing_in_netsuite', 2],
  ['missing_in_storefront', 2],
  ['duplicate', 2],
  ['currency_mismatch', 1],
  ['record_type_mismatch', 2],
  ['no_order_reference', 1],
  ['no_money_moved', 2],
  ['voided', 1],
];

const CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY'];

export function generateDemo(seed = DEMO_SEED): DemoData {
  const factory = new TenderCaseFactory(seed);
  const shuffle = rng(seed ^ 0x5eed);
  const kinds: CaseKind[] = [];
  for (const [kind, n] of DEMO_PLAN) for (let i = 0; i < n; i++) kinds.push(kind);
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(shuffle() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }
  const data: DemoData = { orders: [], netsuite: [], expected: new Map(), kinds, disputes: [], testOrders: [] };
  kinds.forEach((kind, index) => {
    const generated = factory.make(kind, CURRENCIES[index % CURRENCIES.length]);
    data.orders.push(generated.order);
    data.netsuite.push(...generated.netsuite);
    for (const [k, v] of generated.expected) data.expected.set(k, v);
  });
  // After the cases, so the seeded sequence (and every amount and id) is what it always was.
  data.testOrders = markDemoTestOrders(data.orders, kinds, data.netsuite);
  // The tender cases come last (issue 18), for the same reason: the earlier orders are unchanged.
  for (const kind of TENDER_CASE_KINDS) {
    const generated = factory.makeTender(kind);
    data.orders.push(generated.order);
    data.kinds.push(kind);
    data.netsuite.push(...generated.netsuite);
    data.disputes.push(...generated.disputes);
    for (const [k, v] of generated.expected) data.expected.set(k, v);
  }
  return data;
}

export function shopifyOrdersText(orders: ShopOrder[]): string {
  return `{\n  "orders": [\n${orders.map((o) => `    ${shopifyOrderJson(o)}`).join(',\n')}\n  ]\n}\n`;
}

export function netsuiteCsvText(records: NsRecord[]): string {
  const rows = records.map((r, i) => netsuiteCsvRows(r, i % 3 === 0, r.currency === 'JPY', true));
  return `${NETSUITE_TENDER_CSV_HEADER.join(',')}\r\n${rows.join('\r\n')}\r\n`;
}

export function demoCanonical(data: DemoData): { storefront: CanonicalRefund[]; netsuite: CanonicalRefund[] } {
  return {
    storefront: data.orders.flatMap(canonicalStorefront),
    netsuite: data.netsuite.map(canonicalNetsuite),
  };
}

export function demoOrderContextText(data: DemoData, seed = DEMO_SEED): string {
  return orderContextText(generateOrderContext(data.orders, data.netsuite, seed));
}

/** Writes the export files, the disputes file and the order-context file; returns their paths. */
export function writeDemoFiles(
  dir: string,
  seed = DEMO_SEED,
): { storefront: string; netsuite: string; disputes: string; orderContext: string } {
  const data = generateDemo(seed);
  fs.mkdirSync(dir, { recursive: true });
  const storefront = path.join(dir, DEMO_FILES.storefront);
  const netsuite = path.join(dir, DEMO_FILES.netsuite);
  const disputes = path.join(dir, DEMO_FILES.disputes);
  const orderContext = path.join(dir, DEMO_ORDER_CONTEXT_FILE);
  fs.writeFileSync(storefront, shopifyOrdersText(data.orders));
  fs.writeFileSync(netsuite, netsuiteCsvText(data.netsuite));
  fs.writeFileSync(disputes, shopifyDisputesText(data.disputes));
  fs.writeFileSync(orderContext, demoOrderContextText(data, seed));
  return { storefront, netsuite, disputes, orderContext };
}
