import {
  type NetsuiteData,
  NS_CURRENCIES,
  NS_PAYMENT_METHODS,
  type NsItem,
  type NsLine,
  type NsLink,
  type NsTransaction,
  oracleNumber,
} from './dataset';

/**
 * The NetSuite records of the tender cases of tenders.md §7 that a pull must read (Credit Memos
 * open, paid out, applied to an exchange invoice; a chargeback booked as a refund), as the SuiteQL
 * tables the emulator serves. USD, order references on `otherrefnum`. Amounts in cents.
 */

export interface CaseRecord {
  id: number;
  /** SuiteQL type code: CashRfnd, CustCred, CustRfnd, CustInvc, CashSale, RtnAuth. */
  type: string;
  tranid: string;
  date: string;
  total: number;
  orderRef?: string;
  /** `CustCred:A` / `CustCred:B` on memos. */
  status?: string;
  /** Payment method name (NS_PAYMENT_METHODS). */
  method?: string;
  /** Internal id of the record it was created from. */
  createdFrom?: number;
  /** Item lines: item name and amount (one unit each). */
  lines?: { item: string; amount: number }[];
}

const RECORD_TYPES: Record<string, string> = {
  CashRfnd: 'cashrefund',
  CustCred: 'creditmemo',
  CustRfnd: 'customerrefund',
  CustInvc: 'invoice',
  CashSale: 'cashsale',
  RtnAuth: 'returnauthorization',
};

export function tenderCaseData(
  records: CaseRecord[],
  links: { from: number; to: number; amount: number }[],
): NetsuiteData {
  const usd = NS_CURRENCIES[0]!;
  const items: NsItem[] = [];
  const itemId = (name: string): number => {
    let item = items.find((i) => i.itemid === name);
    if (!item) {
      item = { id: 100 + items.length, itemid: name, displayname: name, itemtype: 'InvtPart' };
      items.push(item);
    }
    return item.id;
  };
  const transactions: NsTransaction[] = [];
  const lines: NsLine[] = [];
  let nextLine = 1;
  for (const r of records) {
    const method = r.method ? NS_PAYMENT_METHODS.find((m) => m.name === r.method) : undefined;
    if (r.method && !method) throw new Error(`no payment method ${r.method}`);
    transactions.push({
      id: r.id,
      tranid: r.tranid,
      type: r.type,
      recordtype: RECORD_TYPES[r.type] ?? r.type.toLowerCase(),
      trandate: r.date,
      entity: 500,
      currency: usd.id,
      exchangerate: '1',
      foreigntotal: oracleNumber(-r.total, usd.exponent),
      externalid: null,
      memo: null,
      otherrefnum: r.orderRef ?? null,
      voided: 'F',
      createddate: `${r.date} 10:00:00`,
      lastmodifieddate: `${r.date} 10:05:00`,
      status: r.status ?? null,
      paymentmethod: method?.id ?? null,
    });
    let seq = 0;
    lines.push({
      id: nextLine++,
      transaction: r.id,
      linesequencenumber: seq++,
      mainline: 'T',
      taxline: 'F',
      item: null,
      itemtype: null,
      quantity: null,
      rate: null,
      foreignamount: oracleNumber(-r.total, usd.exponent),
      memo: null,
      createdfrom: r.createdFrom ?? null,
    });
    for (const l of r.lines ?? []) {
      lines.push({
        id: nextLine++,
        transaction: r.id,
        linesequencenumber: seq++,
        mainline: 'F',
        taxline: 'F',
        item: itemId(l.item),
        itemtype: 'InvtPart',
        quantity: '-1',
        rate: oracleNumber(l.amount, usd.exponent),
        foreignamount: oracleNumber(-l.amount, usd.exponent),
        memo: null,
        createdfrom: null,
      });
    }
  }
  const nsLinks: NsLink[] = links.map((l) => ({
    previousdoc: l.from,
    nextdoc: l.to,
    linktype: 'Payment',
    foreignamount: oracleNumber(l.amount, usd.exponent),
  }));
  return {
    currencies: NS_CURRENCIES,
    items,
    transactions,
    lines,
    links: nsLinks,
    paymentMethods: NS_PAYMENT_METHODS,
    expected: [],
  };
}

/**
 * NetSuite side of §7 cases 5, 10, 16, 20 and 26 (one order each):
 * - 5 (#1005): CM 50.00 Open — store credit left open;
 * - 10 (#1010): CM 50.00 paid 20.00 by CR VISA, 30.00 open;
 * - 16 (#1016): CM 25.00 Open (BigCommerce store credit);
 * - 20 (#1020): RA → CM 50.00 applied 40.00 to INV2001 (the exchange items), CR 10.00 VISA;
 * - 26 (#1026): CM 80.00 + CR 80.00 VISA (a chargeback booked as a refund).
 * Link directions as the emulator assumes (tenders.md §1.4): memo → Customer Refund (memo previousdoc),
 * Invoice → memo (invoice previousdoc).
 */
export function sevenCasesNetsuite(): NetsuiteData {
  return tenderCaseData(
    [
      {
        id: 5001,
        type: 'CustCred',
        tranid: 'CM5',
        date: '2026-03-17',
        total: 5000,
        orderRef: '#1005',
        status: 'CustCred:A',
        lines: [{ item: 'TEE', amount: 5000 }],
      },
      {
        id: 5101,
        type: 'CustCred',
        tranid: 'CM10',
        date: '2026-03-17',
        total: 5000,
        orderRef: '#1010',
        status: 'CustCred:A',
        lines: [{ item: 'TEE', amount: 5000 }],
      },
      {
        id: 5102,
        type: 'CustRfnd',
        tranid: 'CR10',
        date: '2026-03-17',
        total: 2000,
        orderRef: '#1010',
        method: 'VISA',
      },
      {
        id: 5161,
        type: 'CustCred',
        tranid: 'CM16',
        date: '2026-03-17',
        total: 2500,
        orderRef: '#1016',
        status: 'CustCred:A',
        lines: [{ item: 'MUG', amount: 2500 }],
      },
      { id: 5199, type: 'RtnAuth', tranid: 'RA20', date: '2026-03-16', total: 5000, orderRef: '#1020' },
      { id: 5200, type: 'CustInvc', tranid: 'INV2001', date: '2026-03-16', total: 4000, orderRef: '#1020' },
      {
        id: 5201,
        type: 'CustCred',
        tranid: 'CM20',
        date: '2026-03-17',
        total: 5000,
        orderRef: '#1020',
        status: 'CustCred:B',
        createdFrom: 5199,
        lines: [{ item: 'TEE', amount: 5000 }],
      },
      {
        id: 5202,
        type: 'CustRfnd',
        tranid: 'CR20',
        date: '2026-03-17',
        total: 1000,
        orderRef: '#1020',
        method: 'VISA',
      },
      {
        id: 5261,
        type: 'CustCred',
        tranid: 'CM26',
        date: '2026-03-12',
        total: 8000,
        orderRef: '#1026',
        status: 'CustCred:B',
        lines: [{ item: 'JACKET', amount: 8000 }],
      },
      {
        id: 5262,
        type: 'CustRfnd',
        tranid: 'CR26',
        date: '2026-03-12',
        total: 8000,
        orderRef: '#1026',
        method: 'VISA',
      },
    ],
    [
      { from: 5101, to: 5102, amount: 2000 },
      { from: 5200, to: 5201, amount: 4000 },
      { from: 5199, to: 5201, amount: 5000 },
      { from: 5201, to: 5202, amount: 1000 },
      { from: 5261, to: 5262, amount: 8000 },
    ],
  );
}
