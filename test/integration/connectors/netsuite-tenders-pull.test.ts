import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLoopbackApisAllowed } from '../../../src/main/connectors/destination-policy';
import { ConcurrencyLimiter } from '../../../src/main/connectors/limiter';
import { NetsuiteClient } from '../../../src/main/connectors/netsuite/client';
import { pullNetsuiteRefunds } from '../../../src/main/pull/netsuite';
import { openWorkspace } from '../../../src/main/store/open';
import { readSnapshotRefunds } from '../../../src/main/store/refunds';
import type { CanonicalRefund } from '../../../src/shared/model';
import { DEFAULT_TBA, type NetsuiteEmulator, startNetsuiteEmulator } from '../../emulators/netsuite/server';
import { sevenCasesNetsuite, tenderCaseData } from '../../emulators/netsuite/tender-cases';

/**
 * The NetSuite pull reads how money went back (tenders.md §1.4) end to end over loopback HTTP:
 * payment methods, memo statuses and PreviousTransactionLink applications, for the §7 cases whose
 * NetSuite side is pulled (5, 10, 16, 20, 26), with the fallback for an account without the
 * payment-method column and the user's tender mapping.
 */

beforeAll(() => setLoopbackApisAllowed(true));
afterAll(() => setLoopbackApisAllowed(undefined));

function clientFor(emu: NetsuiteEmulator): NetsuiteClient {
  return new NetsuiteClient({
    accountId: emu.accountId,
    baseUrl: emu.url,
    auth: { kind: 'tba', ...DEFAULT_TBA },
    limiter: new ConcurrencyLimiter(5),
    baseDelayMs: 5,
    maxDelayMs: 50,
  });
}

async function pullAll(
  emu: NetsuiteEmulator,
  options: Parameters<typeof pullNetsuiteRefunds>[2] = {},
): Promise<Map<string, CanonicalRefund>> {
  const db = openWorkspace(':memory:');
  const result = await pullNetsuiteRefunds(db, clientFor(emu), { pageSize: 2, maxWindowRows: 6, ...options });
  const refunds = readSnapshotRefunds(db, result.snapshotId);
  db.close();
  return new Map(refunds.map((r) => [r.documentNumber, r]));
}

const tender = (kind: string, gateway: string, amount: number, state: string, ref = '') => ({
  kind,
  gateway,
  amount,
  presentmentAmount: null,
  state,
  ref,
});

function sumsToTotal(r: CanonicalRefund): boolean {
  return r.tenders.reduce((n, t) => n + t.amount, 0) === r.total;
}

describe('NetSuite pull: tenders of the §7 cases', () => {
  let emu: NetsuiteEmulator;
  beforeAll(async () => {
    emu = await startNetsuiteEmulator({ data: sevenCasesNetsuite() });
  });
  afterAll(async () => emu?.close());

  it('reads memo statuses, payment methods and links into applications, balances and parts', async () => {
    const got = await pullAll(emu);
    // Case 5 / 16: a memo left open is store credit, open-credit.
    expect(got.get('CM5')!.tenders).toEqual([tender('store_credit', 'open-credit', 5000, 'open')]);
    expect(got.get('CM5')!.amountRemaining).toBe(5000);
    expect(got.get('CM16')!.tenders).toEqual([tender('store_credit', 'open-credit', 2500, 'open')]);
    // Case 10: paid out 20.00 by a VISA Customer Refund, 30.00 left open.
    const cm10 = got.get('CM10')!;
    expect(cm10.tenders).toEqual([
      tender('card', 'VISA', 2000, 'paid_out', 'CR10'),
      tender('store_credit', 'open-credit', 3000, 'open'),
    ]);
    expect(cm10.amountRemaining).toBe(3000);
    expect(cm10.applications).toEqual([
      {
        docType: 'customerRefund',
        doc: '5102',
        tranId: 'CR10',
        amount: 2000,
        date: '2026-03-17',
        isCreatedFrom: false,
      },
    ]);
    expect(got.get('CR10')!.tenders).toEqual([tender('card', 'VISA', 2000, 'settled')]);
    expect(got.get('CR10')!.appliesTo).toBe('5101');
    // Case 20 (X1): RA → CM 50.00, 10.00 paid out, 40.00 applied to the exchange invoice; the link
    // from the Return Authorization it was made from is no application.
    const cm20 = got.get('CM20')!;
    expect(cm20.createdFrom).toEqual({ type: 'returnAuthorization', ref: 'RA20' });
    expect(cm20.applications.map((a) => [a.docType, a.tranId, a.amount, a.isCreatedFrom])).toEqual([
      ['invoice', 'INV2001', 4000, false],
      ['customerRefund', 'CR20', 1000, false],
    ]);
    expect(cm20.tenders).toEqual([
      tender('card', 'VISA', 1000, 'paid_out', 'CR20'),
      tender('store_credit', '', 4000, 'applied', 'INV2001'),
    ]);
    expect(cm20.amountRemaining).toBe(0);
    // Case 26: CM 80.00 paid out in full by a VISA Customer Refund.
    expect(got.get('CM26')!.tenders).toEqual([tender('card', 'VISA', 8000, 'paid_out', 'CR26')]);
    for (const r of got.values()) expect(sumsToTotal(r), r.documentNumber).toBe(true);
  });

  it('the user tender mapping applies to pulled payment methods (tenders.md §1.3)', async () => {
    const got = await pullAll(emu, {
      tenderMapping: { storefront: [], netsuite: [{ paymentMethod: 'visa', kind: 'cash' }] },
    });
    expect(got.get('CR10')!.tenders[0]!.kind).toBe('cash');
    expect(got.get('CM10')!.tenders[0]).toEqual(tender('cash', 'VISA', 2000, 'paid_out', 'CR10'));
  });
});

describe('NetSuite pull: an account whose SuiteQL has no payment-method column', () => {
  let emu: NetsuiteEmulator;
  beforeAll(async () => {
    emu = await startNetsuiteEmulator({ data: sevenCasesNetsuite(), missingColumns: ['paymentmethod'] });
  });
  afterAll(async () => emu?.close());

  it('is pulled without it: payment methods unknown (other), links and statuses still read', async () => {
    emu.requests.length = 0;
    const got = await pullAll(emu);
    expect(got.get('CR10')!.tenders).toEqual([tender('other', '', 2000, 'settled')]);
    expect(got.get('CM10')!.tenders).toEqual([
      tender('other', '', 2000, 'paid_out', 'CR10'),
      tender('store_credit', 'open-credit', 3000, 'open'),
    ]);
    // One refused probe (400), then every query answered.
    const refused = emu.requests.filter((r) => r.status === 400);
    expect(refused).toHaveLength(1);
    for (const r of got.values()) expect(sumsToTotal(r)).toBe(true);
  });
});

describe('NetSuite emulator: SuiteQL says no as NetSuite does', () => {
  let emu: NetsuiteEmulator;
  beforeAll(async () => {
    emu = await startNetsuiteEmulator({ data: sevenCasesNetsuite(), missingColumns: ['paymentmethod'] });
  });
  afterAll(async () => emu?.close());

  // apis.md §1.6 error body; the detail's wording is what public SuiteQL clients match
  // ("Search error occurred: Field 'x' for record 'transaction' was not found.").
  it('an unknown column is a 400 INVALID_PARAMETER naming the field and record', () => {
    const r = emu.suiteql('SELECT t.id, t.nosuchfield AS x FROM transaction t');
    expect(r.status).toBe(400);
    const detail = (r.body as { 'o:errorDetails': { detail: string; 'o:errorCode': string }[] })['o:errorDetails'][0]!;
    expect(detail['o:errorCode']).toBe('INVALID_PARAMETER');
    expect(detail.detail).toMatch(/^Invalid search query\./);
    expect(detail.detail).toContain(
      "Search error occurred: Field 'nosuchfield' for record 'transaction' was not found.",
    );
  });

  it('a column this account lacks is refused the same way, even inside BUILTIN.DF', () => {
    const r = emu.suiteql('SELECT BUILTIN.DF(t.paymentmethod) AS paymentmethod FROM transaction t');
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toContain("Field 'paymentmethod' for record 'transaction' was not found.");
  });

  it('serves the apply sublist, status and balance of a Credit Memo record (record-json)', async () => {
    const full = await startNetsuiteEmulator({ data: sevenCasesNetsuite() });
    try {
      const record = await clientFor(full).getRecord('creditMemo', '5101', { expandSubResources: true });
      expect(record.status).toEqual({ id: 'Open', refName: 'Open' });
      expect(record.amountRemaining).toBe(30);
      const items = (record.apply as { items: Record<string, unknown>[] }).items;
      expect(items.map((a) => [a.apply, a.type, a.refNum, a.amount])).toEqual([[true, 'Customer Refund', 'CR10', 20]]);
      const refund = await clientFor(full).getRecord('customerRefund', '5102');
      expect(refund.paymentMethod).toMatchObject({ id: '1', refName: 'VISA' });
    } finally {
      await full.close();
    }
  });
});

describe('NetSuite pull: tender items (itemRoles.tender, §1.4)', () => {
  it('a store-credit item line on a Cash Refund is a tender added to the total (§7 case 8)', async () => {
    const emu = await startNetsuiteEmulator({
      data: tenderCaseData(
        [
          {
            id: 801,
            type: 'CashRfnd',
            tranid: 'CR8',
            date: '2026-03-17',
            total: 0,
            orderRef: '#1008',
            method: 'VISA',
            lines: [
              { item: 'TEE', amount: 5000 },
              { item: 'Store Credit', amount: -5000 },
            ],
          },
        ],
        [],
      ),
    });
    try {
      const got = await pullAll(emu, {
        roles: {
          shipping: ['Shipping'],
          generic: [],
          tax: [],
          tender: [{ item: 'Store Credit', kind: 'store_credit' }],
        },
      });
      const cr8 = got.get('CR8')!;
      expect(cr8.total).toBe(5000);
      expect(cr8.recordTotal).toBe(0);
      expect(cr8.tenders).toEqual([tender('store_credit', 'Store Credit', 5000, 'settled')]);
      expect(cr8.lines.map((l) => l.sku)).toEqual(['TEE']);
    } finally {
      await emu.close();
    }
  });
});
