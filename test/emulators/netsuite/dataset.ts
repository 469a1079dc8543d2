import { defaultPaymentMethodKind } from '../../../src/main/tenders/netsuite-tenders';
import type { CanonicalRefundInput, RefundLine, Tender } from '../../../src/shared/model';
import { decimal, int, isoDay, pick, rng, SKUS } from '../common/random';

/**
 * A NetSuite account's refund records as SuiteQL tables (transaction, transactionline, item,
 * currency, previoustransactionlink), generated deterministically, together with the canonical
 * refunds (spec §3) a correct pull must produce from them: the ground truth for the tests.
 */

export interface NsCurrency {
  id: number;
  symbol: string;
  name: string;
  exponent: number;
}
export interface NsItem {
  id: number;
  itemid: string;
  displayname: string;
  itemtype: string;
}
export interface NsTransaction {
  id: number;
  tranid: string;
  type: string;
  recordtype: string;
  trandate: string;
  entity: number;
  currency: number;
  exchangerate: string;
  foreigntotal: string;
  externalid: string | null;
  memo: string | null;
  otherrefnum: string | null;
  voided: 'T' | 'F';
  createddate: string;
  lastmodifieddate: string;
  /**
   * Status code as SuiteQL's `t.status` gives it with its type (`CustCred:A` Open, `CustCred:B`
   * Fully Applied, `CustCred:V` Voided [code S15 of tenders.md]); null where not modelled.
   */
  status?: string | null;
  /** Internal id of the payment method (Cash Refund, Customer Refund), or null. */
  paymentmethod?: number | null;
}
export interface NsLine {
  id: number;
  transaction: number;
  linesequencenumber: number;
  mainline: 'T' | 'F';
  taxline: 'T' | 'F';
  item: number | null;
  itemtype: string | null;
  quantity: string | null;
  rate: string | null;
  foreignamount: string;
  memo: string | null;
  createdfrom: number | null;
}
export interface NsLink {
  previousdoc: number;
  nextdoc: number;
  linktype: string;
  /** The amount the link carries (a memo's payment or application), positive, as SuiteQL prints it. */
  foreignamount?: string | null;
}

/** A payment method record (Setup > Accounting > Accounting Lists): what `BUILTIN.DF(t.paymentmethod)` shows. */
export interface NsPaymentMethod {
  id: number;
  name: string;
}

/** Payment methods every emulated account has (names are per account in NetSuite). */
export const NS_PAYMENT_METHODS: NsPaymentMethod[] = [
  { id: 1, name: 'VISA' },
  { id: 2, name: 'MasterCard' },
  { id: 3, name: 'Cash' },
  { id: 4, name: 'Check' },
  { id: 5, name: 'Store Credit' },
  { id: 6, name: 'Shopify Gift Card' },
];

export interface NetsuiteData {
  currencies: NsCurrency[];
  items: NsItem[];
  transactions: NsTransaction[];
  lines: NsLine[];
  links: NsLink[];
  /** Payment methods (default NS_PAYMENT_METHODS). */
  paymentMethods?: NsPaymentMethod[];
  /** The canonical refunds a pull of every refund record must yield, in internal-id order. */
  expected: CanonicalRefundInput[];
}

export const NS_CURRENCIES: NsCurrency[] = [
  { id: 1, symbol: 'USD', name: 'US Dollar', exponent: 2 },
  { id: 2, symbol: 'EUR', name: 'Euro', exponent: 2 },
  { id: 3, symbol: 'JPY', name: 'Yen', exponent: 0 },
  { id: 4, symbol: 'GBP', name: 'British pound', exponent: 2 },
];

export const SHIPPING_ITEM = 'Shipping';
export const GENERIC_ITEM = 'Refund Adjustment';

/** SuiteQL prints numbers the Oracle way: no leading zero (`-.5`, `.25`). */
export function oracleNumber(minor: number, exponent: number): string {
  return decimal(minor, exponent).replace(/^(-?)0\./, '$1.');
}

export interface NetsuiteDataOptions {
  refunds: number;
  seed?: number;
  /** First internal id. Default 1000. */
  firstId?: number;
}

export function generateNetsuiteData(options: NetsuiteDataOptions): NetsuiteData {
  const random = rng(options.seed ?? 42);
  const items: NsItem[] = SKUS.map(([sku, name], i) => ({
    id: 100 + i,
    itemid: sku,
    displayname: name,
    itemtype: 'InvtPart',
  }));
  const shipping: NsItem = { id: 90, itemid: SHIPPING_ITEM, displayname: 'Shipping', itemtype: 'OthCharge' };
  const generic: NsItem = { id: 91, itemid: GENERIC_ITEM, displayname: 'Refund Adjustment', itemtype: 'OthCharge' };
  items.push(shipping, generic);

  const transactions: NsTransaction[] = [];
  const lines: NsLine[] = [];
  const links: NsLink[] = [];
  const expected: CanonicalRefundInput[] = [];
  let nextId = options.firstId ?? 1000;
  let nextLine = 1;
  let made = 0;
  let order = 1000;

  const header = (
    id: number,
    type: string,
    recordtype: string,
    tranid: string,
    date: string,
    currency: NsCurrency,
    total: number,
    extra: Partial<NsTransaction>,
  ): NsTransaction => ({
    id,
    tranid,
    type,
    recordtype,
    trandate: date,
    entity: 500 + (id % 97),
    currency: currency.id,
    exchangerate: '1',
    foreigntotal: oracleNumber(-total, currency.exponent),
    externalid: null,
    memo: null,
    otherrefnum: null,
    voided: 'F',
    createddate: `${date} 10:00:00`,
    lastmodifieddate: `${date} 10:05:00`,
    ...extra,
  });

  while (made < options.refunds) {
    order += 1;
    const currency = random() < 0.8 ? NS_CURRENCIES[0]! : pick(random, NS_CURRENCIES.slice(1));
    const scale = currency.exponent === 0 ? 1.5 : 1;
    const date = isoDay(int(random, 0, 120));
    const orderRef = `#${order}`;
    const isCash = random() < 0.55;
    // The source record (Cash Sale or Invoice) the refund was created from.
    const sourceId = nextId++;
    const sourceTranid = isCash ? `CS${sourceId}` : `INV${sourceId}`;
    transactions.push(
      header(
        sourceId,
        isCash ? 'CashSale' : 'CustInvc',
        isCash ? 'cashsale' : 'invoice',
        sourceTranid,
        date,
        currency,
        0,
        {
          foreigntotal: '0',
        },
      ),
    );
    const id = nextId++;
    const type = isCash ? 'CashRfnd' : 'CustCred';
    const recordType = isCash ? 'cashRefund' : 'creditMemo';
    const tranid = isCash ? `CR${id}` : `CM${id}`;
    const refundLines: RefundLine[] = [];
    const rowLines: Omit<NsLine, 'id' | 'transaction' | 'linesequencenumber'>[] = [];
    // Cash refund item lines carry a positive sign; credit memo lines come negative: normalise either.
    const sign = isCash ? 1 : -1;
    const generalOnly = random() < 0.12;
    if (generalOnly) {
      const amount = Math.round(int(random, 500, 4000) * scale);
      refundLines.push({
        sku: GENERIC_ITEM,
        description: 'Goodwill refund',
        quantity: 1,
        amount,
        tax: 0,
        role: 'generic',
      });
    } else {
      const count = int(random, 1, 3);
      for (let i = 0; i < count; i++) {
        const [sku, name, price] = pick(random, SKUS);
        const quantity = int(random, 1, 3);
        const amount = Math.round(price * scale) * quantity;
        refundLines.push({ sku, description: name, quantity, amount, tax: 0, role: 'item' });
      }
    }
    if (random() < 0.25) {
      refundLines.push({
        sku: SHIPPING_ITEM,
        description: 'Shipping refund',
        quantity: 1,
        amount: Math.round(int(random, 300, 1200) * scale),
        tax: 0,
        role: 'shipping',
      });
    }
    for (const line of refundLines) {
      const item =
        line.role === 'shipping'
          ? shipping
          : line.role === 'generic'
            ? generic
            : items.find((x) => x.itemid === line.sku)!;
      rowLines.push({
        mainline: 'F',
        taxline: 'F',
        item: item.id,
        itemtype: item.itemtype,
        quantity: String(sign * line.quantity),
        rate: oracleNumber(line.amount / line.quantity, currency.exponent),
        foreignamount: oracleNumber(sign * line.amount, currency.exponent),
        memo: line.description,
        createdfrom: null,
      });
    }
    const net = refundLines.reduce((n, l) => n + l.amount, 0);
    const tax = random() < 0.5 ? Math.round((net * int(random, 5, 10)) / 100) : 0;
    if (tax > 0) {
      rowLines.push({
        mainline: 'F',
        taxline: 'T',
        item: null,
        itemtype: 'TaxItem',
        quantity: null,
        rate: null,
        foreignamount: oracleNumber(sign * tax, currency.exponent),
        memo: null,
        createdfrom: null,
      });
    }
    const total = net + tax;
    // Money methods for Cash Refunds, chosen by id so the random sequence (and every other field) stays as it was.
    const method = isCash ? CASH_REFUND_METHODS[id % CASH_REFUND_METHODS.length]! : null;
    const voided = random() < 0.03;
    const hasExternal = random() < 0.5;
    const externalId = hasExternal ? `shopify-refund-${900000 + id}` : '';
    const memo = random() < 0.3 ? `Refund for ${orderRef}` : '';
    transactions.push(
      header(id, type, recordType.toLowerCase(), tranid, date, currency, total, {
        externalid: externalId || null,
        memo: memo || null,
        otherrefnum: orderRef,
        voided: voided ? 'T' : 'F',
        // A memo is Open until a Customer Refund pays it out (then Fully Applied, below).
        status: isCash ? null : voided ? 'CustCred:V' : 'CustCred:A',
        paymentmethod: method ? method.id : null,
      }),
    );
    const memoHeader = transactions[transactions.length - 1]!;
    let seq = 0;
    lines.push({
      id: nextLine++,
      transaction: id,
      linesequencenumber: seq++,
      mainline: 'T',
      taxline: 'F',
      item: null,
      itemtype: null,
      quantity: null,
      rate: null,
      foreignamount: oracleNumber(-total, currency.exponent),
      memo: memo || null,
      createdfrom: sourceId,
    });
    for (const row of rowLines) lines.push({ id: nextLine++, transaction: id, linesequencenumber: seq++, ...row });
    const shippingTotal = refundLines.filter((l) => l.role === 'shipping').reduce((n, l) => n + l.amount, 0);
    expected.push({
      side: 'netsuite',
      id: String(id),
      documentNumber: tranid,
      recordType,
      orderRef,
      createdFrom: { type: isCash ? 'cashSale' : 'invoice', ref: sourceTranid },
      date,
      currency: currency.symbol,
      total,
      shipping: shippingTotal,
      tax,
      adjustment: 0,
      lines: refundLines,
      kind: refundLines.some((l) => l.role === 'item') ? 'line_item' : 'general',
      externalId,
      memo,
      isTest: false,
      status: voided ? 'voided' : 'ok',
      appliesTo: '',
      moneyMoved: true,
      presentment: null,
      recordTotal: total,
      ...(isCash
        ? { tenders: [methodTender(method!, total)] }
        : voided
          ? // A voided memo: no balance, nothing explains its total (§1.4 "a part the export does not explain").
            { amountRemaining: 0, tenders: [part('other', 'applied', total, 'applied', '')] }
          : { amountRemaining: total, tenders: [part('store_credit', 'open-credit', total, 'open', '')] }),
    });
    const memoExpected = expected[expected.length - 1]!;
    made += 1;
    // Some credit memos are paid out by a Customer Refund: one refund, two records.
    if (!isCash && !voided && made < options.refunds && random() < 0.3) {
      const refundId = nextId++;
      const refundTranid = `RF${refundId}`;
      const refundMethod = CASH_REFUND_METHODS[refundId % CASH_REFUND_METHODS.length]!;
      transactions.push(
        header(refundId, 'CustRfnd', 'customerrefund', refundTranid, date, currency, total, {
          otherrefnum: orderRef,
          paymentmethod: refundMethod.id,
        }),
      );
      // The memo is now paid out in full: Fully Applied, its part the Customer Refund's method.
      memoHeader.status = 'CustCred:B';
      memoExpected.amountRemaining = 0;
      memoExpected.applications = [
        {
          docType: 'customerRefund',
          doc: String(refundId),
          tranId: refundTranid,
          amount: total,
          date,
          isCreatedFrom: false,
        },
      ];
      memoExpected.tenders = [
        part(defaultPaymentMethodKind(refundMethod.name), refundMethod.name, total, 'paid_out', refundTranid),
      ];
      lines.push({
        id: nextLine++,
        transaction: refundId,
        linesequencenumber: 0,
        mainline: 'T',
        taxline: 'F',
        item: null,
        itemtype: null,
        quantity: null,
        rate: null,
        foreignamount: oracleNumber(-total, currency.exponent),
        memo: null,
        createdfrom: null,
      });
      links.push({
        previousdoc: id,
        nextdoc: refundId,
        linktype: 'Payment',
        foreignamount: oracleNumber(total, currency.exponent),
      });
      expected.push({
        side: 'netsuite',
        id: String(refundId),
        documentNumber: refundTranid,
        recordType: 'customerRefund',
        orderRef,
        createdFrom: null,
        date,
        currency: currency.symbol,
        total,
        shipping: 0,
        tax: 0,
        adjustment: 0,
        lines: [],
        kind: 'general',
        externalId: '',
        memo: '',
        isTest: false,
        status: 'ok',
        appliesTo: String(id),
        moneyMoved: true,
        presentment: null,
        recordTotal: total,
        tenders: [methodTender(refundMethod, total)],
      });
      made += 1;
    }
  }
  return { currencies: NS_CURRENCIES, items, transactions, lines, links, expected, paymentMethods: NS_PAYMENT_METHODS };
}

/** Methods the generator pays refunds out with. */
const CASH_REFUND_METHODS = NS_PAYMENT_METHODS.slice(0, 4);

function part(kind: Tender['kind'], gateway: string, amount: number, state: Tender['state'], ref: string): Tender {
  return { kind, gateway, amount, presentmentAmount: null, state, ref };
}

/** The one tender of a Cash Refund or Customer Refund: its payment method's kind (tenders.md §1.3 defaults). */
export function methodTender(method: NsPaymentMethod, total: number): Tender {
  return part(defaultPaymentMethodKind(method.name), method.name, total, 'settled', '');
}
