import { beforeAll, describe, expect, it } from 'vitest';
import { suiteqlRowsToRefunds } from '../../../src/main/importers/suiteql-json';
import { fixture, importRefunds, tempFile } from './helpers';

describe('saved-search-csv', () => {
  let result: Awaited<ReturnType<typeof importRefunds>>['result'];
  let refunds: Awaited<ReturnType<typeof importRefunds>>['refunds'] = [];
  let byId = new Map<string, (typeof refunds)[number]>();
  beforeAll(async () => {
    ({ result, refunds } = await importRefunds(fixture('netsuite-saved-search.csv'), { side: 'netsuite' }));
    byId = new Map(refunds.map((r) => [r.id, r]));
  });

  it('detects the format; extra columns ignored', () => {
    expect(result.format).toBe('saved-search-csv');
    expect(refunds).toHaveLength(3);
    expect(result.rowCount).toBe(7);
  });

  it('normalises signs, reads (12.00) negatives, sets roles and kind', () => {
    const r = byId.get('4711')!;
    expect(r).toMatchObject({
      recordType: 'cashRefund',
      documentNumber: 'CR1001',
      orderRef: '#1001',
      externalId: 'shopify-refund-509562969',
      createdFrom: { type: 'cashSale', ref: 'CS1001' },
      date: '2026-01-15',
      currency: 'USD',
      total: 21364,
      shipping: 500,
      adjustment: 900,
      tax: 398,
      kind: 'line_item',
    });
    expect(r.lines.map((l) => [l.sku, l.quantity, l.amount, l.role])).toEqual([
      ['IPOD2008BLACK', 1, 19566, 'item'],
      ['Shipping', 0, 500, 'shipping'],
      ['Refund Adjustment', 0, 900, 'generic'],
    ]);
  });

  it('a credit memo with only generic items is general; thousands separators; currency codes', () => {
    const r = byId.get('4712')!;
    expect(r).toMatchObject({
      recordType: 'creditMemo',
      total: 123456,
      currency: 'EUR',
      kind: 'general',
      orderRef: '#1002',
    });
    expect(r.createdFrom).toEqual({ type: 'invoice', ref: 'INV2001' });
  });

  it('keeps the Customer Refund as its own record, applying to the Credit Memo', () => {
    const r = byId.get('4713')!;
    expect(r).toMatchObject({
      recordType: 'customerRefund',
      total: 123456,
      appliesTo: 'CM2001',
      kind: 'general',
      lines: [],
    });
  });

  it('item roles are configurable', async () => {
    const { refunds } = await importRefunds(fixture('netsuite-saved-search.csv'), {
      side: 'netsuite',
      itemRoles: { shipping: ['Shipping'], generic: ['Nothing'] },
    });
    expect(refunds[0]!.kind).toBe('line_item');
    expect(refunds[0]!.lines[2]!.role).toBe('item');
    expect(refunds[1]!.kind).toBe('line_item');
  });

  it('accepts synonyms, any column order, D/M/YYYY detection and a mapping', async () => {
    const file = tempFile(
      'synonyms.csv',
      'Tran ID,Amount (Foreign Currency),Transaction Type,ID,Transaction Date,Shopify Order #,Currency,Main Line,SKU,Qty\n' +
        'CR9,-12.00,Cash Refund,9,25/12/2025,#77,GBP,*,,\nCR9,12.00,Cash Refund,9,25/12/2025,#77,GBP,,HAT,1\n',
    );
    const { refunds, result } = await importRefunds(file, {
      side: 'netsuite',
      mapping: { 'Storefront Order': 'Shopify Order #' },
    });
    expect(refunds[0]).toMatchObject({
      id: '9',
      documentNumber: 'CR9',
      date: '2025-12-25',
      orderRef: '#77',
      total: 1200,
      currency: 'GBP',
    });
    expect(result.notes.join(' ')).toMatch(/D\/M\/YYYY/);
  });

  it('ISO dates and --date-format', async () => {
    const file = tempFile('iso.csv', 'Internal ID,Type,Date,Amount,Currency\n1,Cash Refund,2026-02-03,5.00,USD\n');
    const { refunds } = await importRefunds(file, { side: 'netsuite', dateFormat: 'iso' });
    expect(refunds[0]).toMatchObject({ date: '2026-02-03', total: 500, kind: 'general' });
    const dmy = tempFile('dmy.csv', 'Internal ID,Type,Date,Amount,Currency\n1,Cash Refund,02/03/2026,5.00,USD\n');
    expect((await importRefunds(dmy, { side: 'netsuite', dateFormat: 'dmy' })).refunds[0]!.date).toBe('2026-03-02');
    expect((await importRefunds(dmy, { side: 'netsuite' })).refunds[0]!.date).toBe('2026-02-03');
  });
});

describe('suiteql-json', () => {
  it('reads an array of pages; rows grouped per transaction; codes and names for currency', async () => {
    const { result, refunds } = await importRefunds(fixture('netsuite-suiteql.json'), { side: 'netsuite' });
    expect(result.format).toBe('suiteql-json');
    expect(refunds).toHaveLength(2);
    expect(refunds[0]).toMatchObject({
      id: '4711',
      recordType: 'cashRefund',
      total: 21364,
      shipping: 500,
      tax: 398,
      kind: 'line_item',
      orderRef: '#1001',
    });
    expect(refunds[1]).toMatchObject({
      id: '4713',
      recordType: 'customerRefund',
      currency: 'EUR',
      appliesTo: 'CM2001',
      orderRef: '#1002',
    });
  });

  it('maps rows for the Pull job', async () => {
    const out = [];
    for await (const r of suiteqlRowsToRefunds([
      { id: '1', type: 'CustCred', trandate: '2026-01-02', currency: 'USD', foreignamount: -10, mainline: 'T' },
    ])) {
      out.push(r);
    }
    expect(out[0]).toMatchObject({ id: '1', recordType: 'creditMemo', total: 1000 });
  });
});

describe('record-json', () => {
  it('reads expanded REST records: type from links, signs, apply sublist', async () => {
    const { result, refunds } = await importRefunds(fixture('netsuite-records.json'), { side: 'netsuite' });
    expect(result.format).toBe('record-json');
    expect(refunds[0]).toMatchObject({
      id: '4712',
      recordType: 'creditMemo',
      total: 3050,
      currency: 'EUR',
      shipping: 800,
      orderRef: '#1002',
      createdFrom: { type: 'invoice', ref: 'INV2001' },
      kind: 'line_item',
    });
    expect(refunds[0]!.lines.map((l) => l.amount)).toEqual([2000, 800, -200]);
    expect(refunds[1]).toMatchObject({
      id: '4713',
      recordType: 'customerRefund',
      appliesTo: '4712',
      orderRef: '#1002',
    });
  });
});
