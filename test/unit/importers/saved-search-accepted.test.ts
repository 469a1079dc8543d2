import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { type ImportContext, makeContext, type RefundBatch } from '../../../src/main/importers/common';
import { savedSearchCsvRefundBatches, savedSearchCsvRefunds } from '../../../src/main/importers/saved-search-csv';
import { openSource } from '../../../src/main/importers/source';
import { RefundPacker } from '../../../src/main/store/packed-refunds';
import { markChecked } from '../../../src/main/store/snapshot-validate';
import { acceptRefund } from '../../../src/main/store/snapshot-writer';
import type { CanonicalRefund } from '../../../src/shared/model';
import { formatAmount } from '../../../src/shared/money';
import { tempFile } from './helpers';

/**
 * The saved-search reader makes a common record straight into its accepted refund
 * (saved-search-accepted.ts). Switched off here (the class answers undefined: every record goes
 * through nsDraftToCanonical and acceptRefund, the existing path), the reader must give the same
 * refunds — same values, same key order, same packed batches, the same error after the same
 * refunds — on generated saved searches: quoting, blank fields, odd rows, several lines per
 * refund, payment methods, Credit Memo balances and applications, discount and tender lines.
 */
const fast = vi.hoisted(() => ({ on: true, made: 0 }));
vi.mock('../../../src/main/importers/saved-search-accepted', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../../src/main/importers/saved-search-accepted')>();
  class Switched extends m.AcceptedNsRefunds {
    override of(d: Parameters<InstanceType<typeof m.AcceptedNsRefunds>['of']>[0]): CanonicalRefund | undefined {
      if (!fast.on) return undefined;
      const refund = super.of(d);
      if (refund) fast.made++;
      return refund;
    }
  }
  return { ...m, AcceptedNsRefunds: Switched };
});

const COLUMNS = [
  'Document Number',
  'Storefront Order',
  'External ID',
  'Created From',
  'Main Line',
  'Item',
  'Item Internal ID',
  'Description',
  'Quantity',
  'Tax Amount',
  'Memo',
  'Status',
  'Payment Method',
  'Amount Remaining',
  'Applied To Transaction',
  'Applied To Link Amount',
  'Item Type',
  'Shipping Cost',
  'Discount Total',
];

/** Mostly `good` values, now and then one of `bad` (a file fails at its first bad value). */
function mostly(good: string[], bad: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 40, arbitrary: fc.constantFrom(...good) },
    { weight: 1, arbitrary: fc.constantFrom(...bad) },
  );
}

const money = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -99_999, max: 99_999 }).map((m) => formatAmount(m, 'USD')) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 99_999 }).map((m) => `(${formatAmount(m, 'USD')})`) },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 9_999_999 }).map((m) => (m / 100).toLocaleString('en-US')) },
  { weight: 1, arbitrary: mostly(['', ' 5.00 ', '4900', '-0.00', '0'], ['12.345', 'abc', '99999999999999.99']) },
);
const cellText = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('', 'x', 'Refund for #1001', 'a "quoted" memo', 'line\nbreak', ' padded ') },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);
const lineRow = fc.record({
  item: fc.constantFrom('TEE', 'CAP', 'Shipping', 'Refund Adjustment', 'Discount', 'Gift Card', 'Tax', ' TEE ', ''),
  itemId: fc.constantFrom('', '', '', '77'),
  description: cellText,
  quantity: mostly(['', '1', '2', '-1', '1,000'], ['x']),
  amount: money,
  tax: fc.oneof(fc.constant(''), money),
  itemType: fc.constantFrom('', '', 'Discount', 'ShipItem', 'Inventory'),
  currency: mostly(['same'], ['Euro']),
  appliedTo: fc.constantFrom('', 'Invoice #INV1', 'Customer Refund #CR9'),
  appliedAmount: fc.constantFrom('', '', '5.00', '(2.50)'),
});
const transaction = fc.record({
  idStep: fc.oneof({ weight: 150, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.constantFrom(0, -1) }),
  type: mostly(
    ['Cash Refund', 'Cash Refund', 'Credit Memo', 'Customer Refund', 'CustCred', 'Return Authorization'],
    ['Invoice'],
  ),
  date: mostly(['5/1/2025', '11/4/2025', '2025-03-09', '1/2/2026'], ['13/1/2025', 'soon']),
  documentNumber: fc.constantFrom('CR1', '', 'CM 7'),
  order: fc.constantFrom('#100001', '', ' #5 ', '100002'),
  externalId: cellText,
  createdFrom: fc.constantFrom('Cash Sale #CS1', 'Invoice #INV1', '', 'Sales Order #SO9', 'odd'),
  currency: mostly(['US Dollar', 'USD', 'Euro', 'British pound'], ['', 'Martian', 'Japanese Yen']),
  memo: cellText,
  status: fc.constantFrom('', '', 'Fully Applied', 'Open', 'Voided', 'Pending Approval', 'CustCred:A'),
  paymentMethod: fc.constantFrom('', '', '', 'VISA', 'Store Credit', 'Cash', 'Gift Card'),
  amountRemaining: fc.constantFrom('', '', '0.00', '5.00', '(1.00)'),
  shippingCost: fc.constantFrom('', '', '', '4.95'),
  discountTotal: fc.constantFrom('', '', '', '-3.00'),
  main: fc.constantFrom('main', 'main', 'main', 'none', 'yes'),
  mainAmount: money,
  mainTax: fc.oneof(fc.constant(''), money),
  lines: fc.array(lineRow, { maxLength: 4 }),
  accounting: fc.boolean(),
});
const file = fc.record({
  columns: fc.shuffledSubarray(COLUMNS, { minLength: 8 }),
  transactions: fc.array(transaction, { minLength: 1, maxLength: 16 }),
  quoteAll: fc.boolean(),
  blankLines: fc.boolean(),
  tenderItem: fc.boolean(),
  contextCurrency: fc.boolean(),
});

function cell(value: string, quoteAll: boolean): string {
  if (quoteAll || /[",\n]/.test(value)) return `"${value.replace(/"/g, '""')}"`;
  return value;
}

type FileSpec = typeof file extends fc.Arbitrary<infer T> ? T : never;

function csvOf(f: FileSpec): string {
  const header = ['Internal ID', 'Type', 'Date', 'Amount', 'Currency', ...f.columns];
  const rows: string[] = [header.join(',')];
  let id = 40000;
  for (const t of f.transactions) {
    id += t.idStep;
    const base: Record<string, string> = {
      'Internal ID': String(id),
      Type: t.type,
      Date: t.date,
      'Document Number': t.documentNumber,
      'Storefront Order': t.order,
      'External ID': t.externalId,
      'Created From': t.createdFrom,
      Currency: t.currency,
      Status: t.status,
      'Payment Method': t.paymentMethod,
      'Amount Remaining': t.amountRemaining,
      'Shipping Cost': t.shippingCost,
      'Discount Total': t.discountTotal,
    };
    const emit = (values: Record<string, string>): void => {
      rows.push(header.map((h) => cell(values[h] ?? '', f.quoteAll)).join(','));
      if (f.blankLines) rows.push('');
    };
    if (t.main !== 'none') {
      emit({
        ...base,
        'Main Line': t.main === 'main' ? '*' : 'Yes',
        Amount: t.mainAmount,
        'Tax Amount': t.mainTax,
        Memo: t.memo,
      });
    }
    for (const l of t.lines) {
      emit({
        ...base,
        'Main Line': '',
        Item: l.item,
        'Item Internal ID': l.itemId,
        Description: l.description,
        Quantity: l.quantity,
        Amount: l.amount,
        'Tax Amount': l.tax,
        'Item Type': l.itemType,
        Currency: l.currency === 'same' ? t.currency : l.currency,
        'Applied To Transaction': l.appliedTo,
        'Applied To Link Amount': l.appliedAmount,
      });
    }
    if (t.accounting) emit({ ...base, 'Main Line': '', Item: '', Amount: t.mainAmount });
  }
  return `${rows.join('\n')}\n`;
}

interface Outcome {
  /** acceptRefund's value of each refund, as JSON (key order included). */
  refunds: string[];
  packed: string[];
  error?: string;
  notes: string[];
}

function context(f: { tenderItem: boolean; contextCurrency: boolean }): ImportContext {
  return makeContext({
    file: 'ss.csv',
    side: 'netsuite',
    format: 'saved-search-csv',
    ...(f.contextCurrency ? { currency: 'USD' } : {}),
    ...(f.tenderItem ? { itemRoles: { tender: [{ item: 'Gift Card', kind: 'gift_card' as const }] } } : {}),
  });
}

/** The parse thread's way (pack-refunds.ts): batches, accepted refunds marked, packed. */
async function batched(path: string, ctx: ImportContext): Promise<Outcome> {
  const out: Outcome = { refunds: [], packed: [], notes: ctx.notes };
  const packer = new RefundPacker();
  let index = 0;
  try {
    const batches: AsyncGenerator<RefundBatch> = savedSearchCsvRefundBatches(
      await openSource(path, { hash: false }),
      ctx,
    );
    for await (const batch of batches) {
      for (let k = 0; k < batch.length; k++) {
        const refund = batch[k]!;
        if (batch.accepted?.[k]) markChecked(refund as CanonicalRefund);
        const accepted = acceptRefund(refund, ++index, 'netsuite');
        out.refunds.push(JSON.stringify(accepted));
        packer.add(accepted);
        out.packed.push(JSON.stringify(packer.take()));
      }
    }
  } catch (error) {
    out.error = (error as Error).message;
  }
  return out;
}

/** The one-shot's way (memory-import.ts): one refund at a time, each accepted as it comes. */
async function oneByOne(path: string, ctx: ImportContext): Promise<Outcome> {
  const out: Outcome = { refunds: [], packed: [], notes: ctx.notes };
  let index = 0;
  try {
    for await (const refund of savedSearchCsvRefunds(await openSource(path, { hash: false }), ctx)) {
      out.refunds.push(JSON.stringify(acceptRefund(refund, ++index, 'netsuite')));
    }
  } catch (error) {
    out.error = (error as Error).message;
  }
  return out;
}

describe('saved search: accepted refunds made straight from the rows', () => {
  it('gives what nsDraftToCanonical and acceptRefund give, through both consumers', async () => {
    fast.made = 0;
    let run = 0;
    let withError = 0;
    let total = 0;
    await fc.assert(
      fc.asyncProperty(file, async (f) => {
        const path = tempFile(`accepted-${run++ % 4}.csv`, csvOf(f));
        for (const read of [batched, oneByOne]) {
          fast.on = false;
          const existing = await read(path, context(f));
          fast.on = true;
          const made = await read(path, context(f));
          expect(made).toStrictEqual(existing);
          if (existing.error !== undefined) withError++;
          total += existing.refunds.length;
        }
      }),
      { numRuns: 400 },
    );
    // Both branches were taken: many records made straight, and files that fail.
    expect(fast.made).toBeGreaterThan(500);
    expect(fast.made).toBeLessThan(total);
    expect(withError).toBeGreaterThan(20);
  }, 120_000);

  it('makes the rich export shape straight, and the packed batch is the existing one', async () => {
    const csv = [
      'Internal ID,Type,Date,Document Number,Storefront Order,External ID,Created From,Main Line,Item,Quantity,Amount,Tax Amount,Currency,Memo,Status,Payment Method,Amount Remaining',
      '40000,Cash Refund,5/1/2025,CR1000,#100001,,Cash Sale #CS100001,*,,,(51.96),(3.96),US Dollar,Refunds for #100001,,,',
      '40000,Cash Refund,5/1/2025,CR1000,#100001,,Cash Sale #CS100001,,TEE-CLS-L,1,24.00,1.98,US Dollar,,,,',
      '40000,Cash Refund,5/1/2025,CR1000,#100001,,Cash Sale #CS100001,,Shipping,,3.96,0.00,US Dollar,,,,',
      '40002,Credit Memo,4/22/2025,CM1002,#100003,SR-908000003,Invoice #INV100003,*,,,24.00,0.00,British pound,Shopify refund 908000003,Fully Applied,,',
      '40002,Credit Memo,4/22/2025,CM1002,#100003,SR-908000003,Invoice #INV100003,,CAP-WOOL,1,24.00,0.00,British pound,,Fully Applied,,',
      '40003,Customer Refund,4/22/2025,1003,#100003,,,*,,,-24.00,0.00,British pound,Payout of CM1002,,VISA,',
      '40041,Cash Refund,3/16/2025,CR1041,#100036,,Cash Sale #CS100036,*,,,"-10,500",0,Japanese Yen,Shopify refund 908000042,,,',
      '40041,Cash Refund,3/16/2025,CR1041,#100036,,Cash Sale #CS100036,,Refund Adjustment,,"10,500",0,Japanese Yen,,,,',
    ].join('\n');
    const path = tempFile('accepted-rich.csv', `${csv}\n`);
    const f = { tenderItem: false, contextCurrency: false };
    fast.on = false;
    const existing = await batched(path, context(f));
    fast.on = true;
    fast.made = 0;
    const made = await batched(path, context(f));
    expect(made).toStrictEqual(existing);
    expect(existing.refunds).toHaveLength(4);
    expect(fast.made).toBe(4);
  });
});
