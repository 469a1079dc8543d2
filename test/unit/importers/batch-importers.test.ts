import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeContext } from '../../../src/main/importers/common';
import { BATCH_IMPORTERS, IMPORTERS } from '../../../src/main/importers/formats';
import { openSource } from '../../../src/main/importers/source';
import type { ImportFormat } from '../../../src/shared/contract/snapshot';
import type { CanonicalRefundInput } from '../../../src/shared/model';
import { fixture, tempFile } from './helpers';

/**
 * BATCH_IMPORTERS (what the parse thread reads) must yield exactly the refunds of IMPORTERS, in
 * order, and when a row fails, the refunds before it first and then the same error: the parse
 * thread validates each refund as it comes, so an earlier bad refund is still the error reported.
 */

type Outcome = { refunds: CanonicalRefundInput[]; error?: string };

async function perRefund(file: string, format: ImportFormat, side: 'storefront' | 'netsuite'): Promise<Outcome> {
  const source = await openSource(file, { hash: false });
  const ctx = makeContext({ file: 'f', side, format });
  const refunds: CanonicalRefundInput[] = [];
  try {
    for await (const r of IMPORTERS[format](source, ctx)) refunds.push(r);
  } catch (error) {
    return { refunds, error: (error as Error).message };
  }
  return { refunds };
}

async function batched(file: string, format: ImportFormat, side: 'storefront' | 'netsuite'): Promise<Outcome> {
  const source = await openSource(file, { hash: false });
  const ctx = makeContext({ file: 'f', side, format });
  const refunds: CanonicalRefundInput[] = [];
  try {
    for await (const batch of BATCH_IMPORTERS[format]!(source, ctx)) {
      expect(batch.length).toBeGreaterThan(0);
      refunds.push(...batch);
    }
  } catch (error) {
    return { refunds, error: (error as Error).message };
  }
  return { refunds };
}

const NS_HEADER = 'Internal ID,Type,Date,Document Number,Storefront Order,Main Line,Item,Quantity,Amount,Currency\n';

function savedSearch(rows: number, badAt?: number): string {
  let text = NS_HEADER;
  for (let i = 1; i <= rows; i++) {
    const amount = i === badAt ? '12.3.4' : '12.00';
    text += `${i},Cash Refund,1/2/2026,CR${i},#${i},*,,,(12.00),US Dollar\n${i},Cash Refund,1/2/2026,CR${i},#${i},,HAT,1,${amount},US Dollar\n`;
  }
  return text;
}

/** The REST orders of the vendor-shaped fixture, one per line (the NDJSON export shape). */
function shopifyNdjson(copies: number, badAt?: number): string {
  const { orders } = JSON.parse(fs.readFileSync(fixture('shopify-orders.json'), 'utf8')) as { orders: unknown[] };
  const lines: string[] = [];
  for (let c = 0; c < copies; c++) {
    for (const order of orders) lines.push(JSON.stringify({ ...(order as object), id: lines.length + 1 }));
  }
  if (badAt !== undefined) lines[badAt] = '{"id": 1, "refunds": 7}';
  return `${lines.join('\n')}\n`;
}

describe('batch importers', () => {
  it('saved search: the same refunds, and an error after the refunds before it', async () => {
    for (const [rows, badAt] of [
      [3, undefined],
      [300, undefined],
      [300, 200],
      [300, 1],
    ] as const) {
      const file = tempFile(`batch-${rows}-${badAt}.csv`, savedSearch(rows, badAt));
      const one = await perRefund(file, 'saved-search-csv', 'netsuite');
      const many = await batched(file, 'saved-search-csv', 'netsuite');
      expect(many).toEqual(one);
      expect(one.refunds).toHaveLength(badAt === undefined ? rows : badAt - 1);
      expect(one.error === undefined).toBe(badAt === undefined);
    }
  });

  it('Shopify NDJSON: the same refunds, and an error after the refunds before it', async () => {
    for (const [copies, badAt] of [
      [1, undefined],
      [200, undefined],
      [200, 150],
    ] as const) {
      const file = tempFile(`batch-${copies}-${badAt}.ndjson`, shopifyNdjson(copies, badAt));
      const one = await perRefund(file, 'shopify-json', 'storefront');
      const many = await batched(file, 'shopify-json', 'storefront');
      expect(many).toEqual(one);
      expect(one.refunds.length).toBeGreaterThan(0);
      expect(one.error === undefined).toBe(badAt === undefined);
    }
  });
});
