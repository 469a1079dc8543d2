import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeContext } from '../../../src/main/importers/common';
import { readFileIntoMemory } from '../../../src/main/importers/memory-import';
import { shopifyJsonRefunds } from '../../../src/main/importers/shopify-json';
import { openSource } from '../../../src/main/importers/source';
import { tempFile } from './helpers';

/**
 * The one-shot comparison keeps only the order names its disputes ask for (orderIdsWanted), where
 * an import into a workspace keeps every order's: the names kept must be exactly the full map's
 * entries for those ids, and the refunds the same, on the byte-level NDJSON path and the text path.
 */

const refund = fc.record({
  id: fc.integer({ min: 1, max: 1e9 }),
  processed_at: fc.constant('2026-01-15T10:00:00-05:00'),
  transactions: fc.constant([{ kind: 'refund', status: 'success', amount: '5.00' }]),
});
const orderId = fc.oneof(
  fc.integer({ min: 0, max: 40 }),
  fc.constantFrom(7, 5120100001, 1e21, -0, 1.5, '7', '007', 'x', '', null),
);
const order = fc.record(
  {
    id: orderId,
    name: fc.constantFrom('#1001', '', 1001, null),
    order_number: fc.constantFrom(1001, '1001', null),
    currency: fc.constant('USD'),
    refunds: fc.array(refund, { maxLength: 2 }),
  },
  { requiredKeys: ['id', 'refunds', 'currency'] },
);
/** Ids a disputes file may name: present or not, canonical or not. */
const wantedIds = fc.array(
  fc.oneof(
    fc.integer({ min: 0, max: 40 }).map(String),
    fc.constantFrom('7', '007', '1e+21', '5120100001', 'x', '0', '-0', '1.5', ''),
  ),
  {
    maxLength: 8,
  },
);

async function read(file: string, wanted?: string[]) {
  const source = await openSource(file, { hash: false });
  const ctx = makeContext({
    file: 'orders',
    side: 'storefront',
    format: 'shopify-json',
    ...(wanted ? { orderIdsWanted: new Set(wanted) } : {}),
  });
  const refunds = [];
  for await (const r of shopifyJsonRefunds(source, ctx)) refunds.push(r);
  return { refunds, orderIds: ctx.orderIds ?? new Map<string, string>() };
}

describe('order names kept for the ids asked for only', () => {
  it('equal the full map restricted to those ids, with the same refunds (NDJSON and JSON text)', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(order, { minLength: 1, maxLength: 8 }),
        wantedIds,
        fc.boolean(),
        async (orders, ids, lines) => {
          const text = lines ? `${orders.map((o) => JSON.stringify(o)).join('\n')}\n` : JSON.stringify({ orders });
          const file = tempFile(`wanted-${n++}.${lines ? 'ndjson' : 'json'}`, text);
          const full = await read(file);
          const some = await read(file, ids);
          const wanted = new Set(ids);
          expect(some.refunds).toStrictEqual(full.refunds);
          expect([...some.orderIds].sort()).toStrictEqual([...full.orderIds].filter(([id]) => wanted.has(id)).sort());
        },
      ),
      { numRuns: 150 },
    );
  });

  it('an empty set keeps none', async () => {
    const file = tempFile('wanted-none.ndjson', `${JSON.stringify({ id: 1, name: '#1', refunds: [] })}\n`);
    expect((await read(file, [])).orderIds.size).toBe(0);
    expect((await read(file)).orderIds.get('1')).toBe('#1');
  });

  it('the one-shot reader returns the names asked for, in the order asked', async () => {
    const orders = [
      { id: 11, name: '#11', refunds: [] },
      { id: 12, order_number: 12, refunds: [] },
      { id: 13, name: '#13', refunds: [] },
    ];
    const file = tempFile('wanted-memory.ndjson', `${orders.map((o) => JSON.stringify(o)).join('\n')}\n`);
    const snapshot = await readFileIntoMemory({
      file,
      side: 'storefront',
      format: 'shopify-json',
      keyField: 'externalId',
      firstRowId: 1,
      orderIdsOf: ['13', '99', '12'],
    });
    expect(snapshot.orderNames).toEqual([
      ['13', '#13'],
      ['12', '#12'],
    ]);
  });
});
