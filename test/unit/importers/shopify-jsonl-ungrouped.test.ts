import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BulkLine, shopifyBulkObjectsToRefunds } from '../../../src/main/importers/shopify-jsonl';
import type { CanonicalRefundInput } from '../../../src/shared/model';
import { generateShopifyData, type Obj } from '../../emulators/shopify/dataset';

/**
 * Issue 14 defect 3: a bulk file whose child lines do not follow their parent (Admin API 2026-01
 * without grouping) reads exactly like the grouped file. The objects are Shopify's GraphQL shapes
 * (test/emulators/shopify/dataset.ts); refunds as lines of their order, their line items,
 * transactions and adjustments as lines of the refund, and order line items as lines of the order.
 */

const data = generateShopifyData({ refunds: 25, seed: 21 });

/** Grouped lines: each order, then its children (refunds and theirs), as Shopify groups them. */
function groupedLines(): Obj[] {
  const out: Obj[] = [];
  for (const order of data.orders) {
    const { refunds, ...head } = order;
    out.push(head);
    for (const r of refunds as Obj[]) {
      const { refundLineItems, transactions, orderAdjustments, ...rest } = r;
      out.push({ ...rest, __parentId: order.id });
      for (const list of [refundLineItems, transactions, orderAdjustments] as { nodes: Obj[] }[]) {
        for (const child of list.nodes) out.push({ ...child, __parentId: r.id });
      }
      // Another connection of the order (not used by the importer), as in a real bulk file.
      out.push({ id: `gid://shopify/LineItem/9${String(r.legacyResourceId)}`, sku: 'X', __parentId: order.id });
    }
  }
  return out;
}

async function read(objects: Obj[]): Promise<CanonicalRefundInput[]> {
  const lines: BulkLine[] = objects.map((value, i) => ({ value, line: i + 1 }));
  const out: CanonicalRefundInput[] = [];
  for await (const r of shopifyBulkObjectsToRefunds(lines)) out.push(r);
  return out;
}

const byId = (a: CanonicalRefundInput, b: CanonicalRefundInput) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

describe('shopify-jsonl, grouped or not', () => {
  it('any order of the lines gives the same refunds as the grouped file', async () => {
    const grouped = groupedLines();
    const expected = (await read(grouped)).sort(byId);
    expect(expected.length).toBe(data.refundCount);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { minLength: grouped.length, maxLength: grouped.length }), async (keys) => {
        const shuffled = grouped
          .map((line, i) => ({ line, key: keys[i]! }))
          .sort((a, b) => a.key - b.key)
          .map((x) => x.line);
        expect((await read(shuffled)).sort(byId)).toEqual(expected);
      }),
      { numRuns: 15 },
    );
  });

  it('every root first, then every child (the emulator’s ungrouped order): same refunds, in order order', async () => {
    const grouped = groupedLines();
    const roots = grouped.filter((l) => l.__parentId === undefined);
    const children = grouped.filter((l) => l.__parentId !== undefined).reverse();
    expect(await read([...roots, ...children])).toEqual(await read(grouped));
  });

  it('a child whose parent is nowhere in the file is an error naming its line', async () => {
    const grouped = groupedLines();
    const lonely = {
      id: 'gid://shopify/OrderTransaction/1',
      kind: 'REFUND',
      status: 'SUCCESS',
      __parentId: 'gid://shopify/Refund/404',
    };
    await expect(read([...grouped, lonely])).rejects.toMatchObject({
      code: 'orphan_object',
      location: { line: grouped.length + 1, field: '__parentId' },
    });
  });
});
