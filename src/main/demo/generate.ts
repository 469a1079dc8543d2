import fs from 'node:fs';
import path from 'node:path';
import type { ResultCode } from '../../shared/codes';
import type { CanonicalRefund } from '../../shared/model';
import { CaseFactory, type CaseKind, rng } from './cases';
import {
  canonicalNetsuite,
  canonicalStorefront,
  NETSUITE_CSV_HEADER,
  type NsRecord,
  netsuiteCsvRows,
  type ShopOrder,
  shopifyOrderJson,
} from './model';

/**
 * The demo data (issue 2 item 6): one Shopify store and one NetSuite account, USD/EUR/GBP/JPY,
 * line-item, partial, shipping and general refunds, and at least one case of every result code
 * of spec §5. Deterministic for a seed; `scripts/gen-demo.ts` writes the files under resources/demo/.
 */

export const DEMO_SEED = 20260105;
export const DEMO_FILES = { storefront: 'shopify-orders.json', netsuite: 'netsuite-refunds.csv' } as const;

export interface DemoData {
  orders: ShopOrder[];
  netsuite: NsRecord[];
  expected: Map<string, ResultCode | 'not_compared'>;
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
  const factory = new CaseFactory(seed);
  const shuffle = rng(seed ^ 0x5eed);
  const kinds: CaseKind[] = [];
  for (const [kind, n] of DEMO_PLAN) for (let i = 0; i < n; i++) kinds.push(kind);
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(shuffle() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }
  const data: DemoData = { orders: [], netsuite: [], expected: new Map() };
  kinds.forEach((kind, index) => {
    const generated = factory.make(kind, CURRENCIES[index % CURRENCIES.length]);
    data.orders.push(generated.order);
    data.netsuite.push(...generated.netsuite);
    for (const [k, v] of generated.expected) data.expected.set(k, v);
  });
  return data;
}

export function shopifyOrdersText(orders: ShopOrder[]): string {
  return `{\n  "orders": [\n${orders.map((o) => `    ${shopifyOrderJson(o)}`).join(',\n')}\n  ]\n}\n`;
}

export function netsuiteCsvText(records: NsRecord[]): string {
  const rows = records.map((r, i) => netsuiteCsvRows(r, i % 3 === 0, r.currency === 'JPY'));
  return `${NETSUITE_CSV_HEADER.join(',')}\r\n${rows.join('\r\n')}\r\n`;
}

export function demoCanonical(data: DemoData): { storefront: CanonicalRefund[]; netsuite: CanonicalRefund[] } {
  return {
    storefront: data.orders.flatMap(canonicalStorefront),
    netsuite: data.netsuite.map(canonicalNetsuite),
  };
}

/** Writes the two export files; returns their paths. */
export function writeDemoFiles(dir: string, seed = DEMO_SEED): { storefront: string; netsuite: string } {
  const data = generateDemo(seed);
  fs.mkdirSync(dir, { recursive: true });
  const storefront = path.join(dir, DEMO_FILES.storefront);
  const netsuite = path.join(dir, DEMO_FILES.netsuite);
  fs.writeFileSync(storefront, shopifyOrdersText(data.orders));
  fs.writeFileSync(netsuite, netsuiteCsvText(data.netsuite));
  return { storefront, netsuite };
}
