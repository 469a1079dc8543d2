import path from 'node:path';
import { importFile } from '../../../src/main/importers/import-file';
import { openWorkspace } from '../../../src/main/store/open';
import { readSnapshotRefunds } from '../../../src/main/store/refunds';
import type { CanonicalRefund, CanonicalRefundInput } from '../../../src/shared/model';
import {
  GENERIC_ITEM,
  type NetsuiteData,
  NS_CURRENCIES,
  NS_PAYMENT_METHODS,
  type NsItem,
  type NsLine,
  type NsTransaction,
  oracleNumber,
  SHIPPING_ITEM,
} from './dataset';

/**
 * NetSuite refund records from canonical refunds — the demo workspace's saved-search CSV
 * (`resources/demo/netsuite-refunds.csv`) read by the saved-search importer — as the SuiteQL tables
 * the emulator serves, so `npm run emulators` + a pull reproduces the demo's NetSuite side.
 *
 * What a SuiteQL pull cannot carry over from a saved search (the two exports differ, not the data):
 * per-line tax (SuiteQL has tax lines, summed into the refund's tax) and the saved search's
 * "adjustment" of general records (SuiteQL: 0). `expected` is what the pull yields under those rules;
 * every other field (ids, document numbers, types, order refs, created-from, dates, currencies,
 * totals, tax, shipping, lines' SKU, quantity and amount, external ids, memos, voided) is the demo's.
 */

const TYPE_CODES: Record<string, [string, string]> = {
  cashRefund: ['CashRfnd', 'cashrefund'],
  creditMemo: ['CustCred', 'creditmemo'],
  customerRefund: ['CustRfnd', 'customerrefund'],
};
const SOURCE_CODES: Record<string, [string, string]> = {
  cashSale: ['CashSale', 'cashsale'],
  invoice: ['CustInvc', 'invoice'],
  salesOrder: ['SalesOrd', 'salesorder'],
  returnAuthorization: ['RtnAuth', 'returnauthorization'],
  customerDeposit: ['CustDep', 'customerdeposit'],
};

export function netsuiteDataFromRefunds(refunds: readonly CanonicalRefund[]): NetsuiteData {
  const items: NsItem[] = [
    { id: 90, itemid: SHIPPING_ITEM, displayname: 'Shipping', itemtype: 'OthCharge' },
    { id: 91, itemid: GENERIC_ITEM, displayname: 'Refund Adjustment', itemtype: 'OthCharge' },
  ];
  const itemFor = (sku: string): NsItem => {
    let item = items.find((i) => i.itemid === sku);
    if (!item) {
      item = { id: 100 + items.length, itemid: sku, displayname: sku, itemtype: 'InvtPart' };
      items.push(item);
    }
    return item;
  };
  const transactions: NsTransaction[] = [];
  const lines: NsLine[] = [];
  const expected: CanonicalRefundInput[] = [];
  const sources = new Map<string, number>();
  let nextSource = Math.max(0, ...refunds.map((r) => Number(r.id))) + 1000;
  let nextLine = 1;
  const sorted = [...refunds].sort((a, b) => Number(a.id) - Number(b.id));
  for (const r of sorted) {
    if (!/^\d+$/.test(r.id)) throw new Error(`NetSuite internal ids are numbers; found ${r.id}`);
    const currency = NS_CURRENCIES.find((c) => c.symbol === r.currency);
    const code = TYPE_CODES[r.recordType];
    if (!currency || !code) throw new Error(`refund ${r.id}: ${r.currency} / ${r.recordType} not served`);
    const date = r.date;
    const header = (id: number, type: string, recordtype: string, tranid: string, total: number): NsTransaction => ({
      id,
      tranid,
      type,
      recordtype,
      trandate: date,
      entity: 500,
      currency: currency.id,
      exchangerate: '1',
      foreigntotal: oracleNumber(-total, currency.exponent),
      externalid: null,
      memo: null,
      otherrefnum: null,
      voided: 'F',
      createddate: `${date} 10:00:00`,
      lastmodifieddate: `${date} 10:05:00`,
    });
    let sourceId: number | null = null;
    if (r.createdFrom) {
      const src = SOURCE_CODES[r.createdFrom.type];
      if (!src) throw new Error(`refund ${r.id}: created from a ${r.createdFrom.type} is not served`);
      const key = `${src[0]}:${r.createdFrom.ref}`;
      sourceId = sources.get(key) ?? null;
      if (sourceId === null) {
        sourceId = nextSource++;
        sources.set(key, sourceId);
        transactions.push(header(sourceId, src[0], src[1], r.createdFrom.ref, 0));
      }
    }
    const id = Number(r.id);
    transactions.push({
      ...header(id, code[0], code[1], r.documentNumber, r.total),
      externalid: r.externalId || null,
      memo: r.memo || null,
      otherrefnum: r.orderRef || null,
      voided: r.status === 'voided' ? 'T' : 'F',
      status: memoStatusCode(r),
      // The saved search's Payment Method column (a Cash Refund's or a Customer Refund's method,
      // tenders.md §1.4) is the record's `paymentmethod`, by the method's name.
      paymentmethod: paymentMethodId(r),
    });
    let seq = 0;
    const row = (l: Omit<NsLine, 'id' | 'transaction' | 'linesequencenumber'>) =>
      lines.push({ id: nextLine++, transaction: id, linesequencenumber: seq++, ...l });
    row({
      mainline: 'T',
      taxline: 'F',
      item: null,
      itemtype: null,
      quantity: null,
      rate: null,
      foreignamount: oracleNumber(-r.total, currency.exponent),
      memo: null,
      createdfrom: sourceId,
    });
    const pulledLines = r.lines.map((l) => {
      const sku = l.role === 'shipping' ? SHIPPING_ITEM : l.role === 'generic' ? GENERIC_ITEM : l.sku;
      const item = itemFor(sku);
      row({
        mainline: 'F',
        taxline: 'F',
        item: item.id,
        itemtype: item.itemtype,
        quantity: String(-l.quantity),
        rate: l.quantity ? oracleNumber(-Math.round(l.amount / l.quantity), currency.exponent) : null,
        foreignamount: oracleNumber(-l.amount, currency.exponent),
        memo: l.description || null,
        createdfrom: null,
      });
      return { ...l, sku, tax: 0, role: l.role === 'tax' ? ('item' as const) : l.role };
    });
    if (r.tax > 0) {
      row({
        mainline: 'F',
        taxline: 'T',
        item: null,
        itemtype: 'TaxItem',
        quantity: null,
        rate: null,
        foreignamount: oracleNumber(-r.tax, currency.exponent),
        memo: null,
        createdfrom: null,
      });
    }
    const status = memoStatusCode(r);
    expected.push({
      ...r,
      // The pull knows a memo's balance from its status and links (none here): what its open parts hold.
      ...(status
        ? { amountRemaining: r.tenders.filter((t) => t.state === 'open').reduce((n, t) => n + t.amount, 0) }
        : {}),
      lines: pulledLines,
      adjustment: 0,
      kind: pulledLines.some((l) => l.role === 'item') ? 'line_item' : 'general',
      appliesTo: '',
      moneyMoved: true,
      presentment: null,
    });
  }
  return {
    currencies: NS_CURRENCIES,
    items,
    transactions,
    lines,
    links: [],
    expected,
    paymentMethods: NS_PAYMENT_METHODS,
  };
}

function paymentMethodId(r: CanonicalRefund): number | null {
  // Credit Memos have no payment method (their tenders name the state: open, applied).
  if (r.recordType === 'creditMemo') return null;
  const named = r.tenders.find((t) => t.gateway !== '');
  if (!named) return null;
  const method = NS_PAYMENT_METHODS.find((m) => m.name === named.gateway);
  if (!method) throw new Error(`refund ${r.id}: payment method ${named.gateway} is not served`);
  return method.id;
}

/**
 * A memo's SuiteQL status from what the saved search said (its tenders, tenders.md §1.4): an open
 * part → `CustCred:A` Open; parts applied or paid out → `CustCred:B` Fully Applied; else unknown.
 */
function memoStatusCode(r: CanonicalRefund): string | null {
  if (r.recordType !== 'creditMemo') return null;
  if (r.status === 'voided') return 'CustCred:V';
  if (r.tenders.some((t) => t.state === 'open')) return 'CustCred:A';
  if (r.tenders.some((t) => t.state === 'applied' || t.state === 'paid_out')) return 'CustCred:B';
  return null;
}

export function demoNetsuiteCsv(): string {
  return path.resolve(__dirname, '../../../resources/demo/netsuite-refunds.csv');
}

/** The demo workspace's NetSuite refunds (its saved-search CSV through the importer) as emulator data. */
export async function demoNetsuiteData(
  file = demoNetsuiteCsv(),
): Promise<{ data: NetsuiteData; imported: CanonicalRefund[] }> {
  const db = openWorkspace(':memory:');
  try {
    const result = await importFile(db, { file, side: 'netsuite' });
    const imported = readSnapshotRefunds(db, result.snapshotId);
    return { data: netsuiteDataFromRefunds(imported), imported };
  } finally {
    db.close();
  }
}
