import { describe, expect, it } from 'vitest';
import { suiteqlRowsToRefunds } from '../../../src/main/importers/suiteql-json';
import { importRefunds, tempFile } from './helpers';

/** Issue 14 defect 2 in the SuiteQL and saved-search readers (the record-JSON case: test/integration/reconcile/netsuite-body-money.test.ts). */

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('SuiteQL: body money where the query selects it', () => {
  const body = {
    links: [],
    id: '5001',
    tranid: 'CR1001',
    type: 'CashRfnd',
    trandate: '2026-01-15',
    currency: 'USD',
    otherrefnum: '#1001',
    shippingcost: '5.00',
    handlingcost: '1.00',
    discounttotal: '-2.00',
  };
  it('reads shippingcost, handlingcost and discounttotal once per transaction', async () => {
    const rows = [
      { ...body, mainline: 'T', foreignamount: '-16.00' },
      { ...body, mainline: 'F', item: 'MUG', itemid: '55', quantity: '-1', foreignamount: '-12.00' },
    ];
    const [r] = await collect(suiteqlRowsToRefunds(rows));
    expect(r).toMatchObject({ total: 1600, shipping: 600 });
    expect(r!.lines!.map((l) => [l.sku, l.amount, l.role])).toEqual([
      ['MUG', 1000, 'item'],
      ['Shipping Cost', 500, 'shipping'],
      ['Handling Cost', 100, 'shipping'],
    ]);
  });

  it("a 'ShipItem' line is shipping whatever the ship method is called; a 'Discount' line discounts the line above", async () => {
    const base = { links: [], id: '5002', tranid: 'CR1002', type: 'CashRfnd', trandate: '2026-01-15', currency: 'USD' };
    const rows = [
      { ...base, mainline: 'F', item: 'TEE-M', itemtype: 'InvtPart', quantity: '-2', foreignamount: '-40.00' },
      { ...base, mainline: 'F', item: '10% off', itemtype: 'Discount', foreignamount: '4.00' },
      { ...base, mainline: 'F', item: 'UPS Ground', itemtype: 'ShipItem', foreignamount: '-7.50' },
    ];
    const [r] = await collect(suiteqlRowsToRefunds(rows));
    expect(r!.lines!.map((l) => [l.sku, l.quantity, l.amount, l.role])).toEqual([
      ['TEE-M', 2, 3600, 'item'],
      ['UPS Ground', 0, 750, 'shipping'],
    ]);
    expect(r).toMatchObject({ total: 4350, shipping: 750 });
  });
});

describe('saved search: Shipping Cost, Handling Cost, Discount Total and Item Type columns', () => {
  it('reads the body columns from the rows of a transaction, with their synonyms', async () => {
    const csv = [
      'Internal ID,Type,Date,Document Number,Main Line,Item,Item Type,Quantity,Amount,Currency,Other Ref Num,Amount (Shipping),Handling Charge,Discount Amount',
      '5001,Cash Refund,1/15/2026,CR1001,*,,,,-16.00,USD,#1001,5.00,1.00,-2.00',
      '5001,Cash Refund,1/15/2026,CR1001,,MUG,Inventory Item,-1,-12.00,USD,#1001,5.00,1.00,-2.00',
      '5002,Cash Refund,1/15/2026,CR1002,*,,,,-43.50,USD,#1002,,,',
      '5002,Cash Refund,1/15/2026,CR1002,,TEE-M,Inventory Item,-2,-40.00,USD,#1002,,,',
      '5002,Cash Refund,1/15/2026,CR1002,,10% off,Discount,,4.00,USD,#1002,,,',
      '5002,Cash Refund,1/15/2026,CR1002,,UPS Ground,Shipping Cost Item,,-7.50,USD,#1002,,,',
    ].join('\n');
    const { refunds } = await importRefunds(tempFile('body.csv', csv), { side: 'netsuite' });
    expect(refunds[0]).toMatchObject({ id: '5001', total: 1600, shipping: 600, adjustment: 0 });
    expect(refunds[0]!.lines.map((l) => [l.sku, l.amount, l.role])).toEqual([
      ['MUG', 1000, 'item'],
      ['Shipping Cost', 500, 'shipping'],
      ['Handling Cost', 100, 'shipping'],
    ]);
    expect(refunds[1]!.lines.map((l) => [l.sku, l.quantity, l.amount, l.role])).toEqual([
      ['TEE-M', 2, 3600, 'item'],
      ['UPS Ground', 0, 750, 'shipping'],
    ]);
  });

  it('a discount larger than the item lines stays a generic line (never invented onto items)', async () => {
    const csv = [
      'Internal ID,Type,Date,Main Line,Item,Amount,Currency,Shipping Cost,Discount Total',
      '5003,Cash Refund,1/15/2026,*,,-3.00,USD,5.00,-2.00',
    ].join('\n');
    const { refunds } = await importRefunds(tempFile('body2.csv', csv), { side: 'netsuite' });
    expect(refunds[0]).toMatchObject({ total: 300, shipping: 500, adjustment: -200, kind: 'general' });
  });
});
