import { describe, expect, it } from 'vitest';
import { canonicalCsvHeader, canonicalCsvRows } from '../../../src/main/importers/canonical-csv';
import { importFile } from '../../../src/main/importers/import-file';
import { readSnapshotRefunds } from '../../../src/main/store/refunds';
import { writeSnapshot } from '../../../src/main/store/snapshot-writer';
import { UserError } from '../../../src/shared/errors';
import { CanonicalRefund, type CanonicalRefundInput } from '../../../src/shared/model';
import { counts, fixture, importRefunds, memoryDb, tempFile } from './helpers';

const META = {
  side: 'storefront' as const,
  label: 't',
  source: 'file' as const,
  format: 'canonical-json',
  importerVersion: '1',
};

function refund(i: number): CanonicalRefundInput {
  return {
    side: 'storefront',
    id: String(i),
    recordType: 'refund',
    date: '2026-01-02',
    currency: 'USD',
    total: 100 + i,
    kind: 'line_item',
    orderRef: `#${i}`,
    lines: [{ sku: 'A', quantity: 1, amount: 100 + i }],
  };
}

describe('canonical-json and canonical-csv round-trip', () => {
  it('a snapshot exported as canonical JSON and CSV imports back identical', async () => {
    const { refunds: original } = await importRefunds(fixture('shopify-orders.json'), { side: 'storefront' });
    const json = tempFile('canon.json', JSON.stringify({ refunds: original }, null, 2));
    const viaJson = await importRefunds(json, { side: 'storefront' });
    expect(viaJson.result.format).toBe('canonical-json');
    expect(viaJson.refunds).toEqual(original);
    const csv = tempFile('canon.csv', canonicalCsvHeader() + original.map(canonicalCsvRows).join(''));
    const viaCsv = await importRefunds(csv, { side: 'storefront' });
    expect(viaCsv.result.format).toBe('canonical-csv');
    expect(viaCsv.refunds).toEqual(original);
    const { refunds: ns } = await importRefunds(fixture('netsuite-saved-search.csv'), { side: 'netsuite' });
    const nsCsv = tempFile('canon-ns.csv', canonicalCsvHeader() + ns.map(canonicalCsvRows).join(''));
    expect((await importRefunds(nsCsv, { side: 'netsuite' })).refunds).toEqual(ns);
  });

  it('a canonical file of the other side is refused', async () => {
    const json = tempFile(
      'canon-ns.json',
      JSON.stringify([CanonicalRefund.parse({ ...refund(1), side: 'netsuite', recordType: 'cashRefund' })]),
    );
    const db = memoryDb();
    await expect(importFile(db, { file: json, side: 'storefront' })).rejects.toThrow(/as the netsuite side/i);
    expect(counts(db).snapshots).toBe(0);
  });

  it('an invalid canonical refund names the line and field', async () => {
    const json = tempFile(
      'canon-bad.json',
      `[\n${JSON.stringify(refund(1))},\n${JSON.stringify({ ...refund(2), currency: 'usd' })}\n]`,
    );
    const db = memoryDb();
    const error = await importFile(db, { file: json, side: 'storefront' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).location).toMatchObject({ file: 'canon-bad.json', line: 3, field: 'currency' });
  });
});

describe('writeSnapshot', () => {
  it('writes counts and reads refunds back with their lines', async () => {
    const db = memoryDb();
    const id = await writeSnapshot(db, { ...META, rowCount: 7 }, [refund(1), refund(2)]);
    const row = db.prepare('SELECT refund_count, line_count, row_count FROM snapshots WHERE id = ?').get(id);
    expect(row).toEqual({ refund_count: 2, line_count: 2, row_count: 7 });
    expect(readSnapshotRefunds(db, id)).toEqual([CanonicalRefund.parse(refund(1)), CanonicalRefund.parse(refund(2))]);
  });

  it('batches across many rows (multi-row inserts) and keeps order', async () => {
    const db = memoryDb();
    const many = Array.from({ length: 1000 }, (_, i) => refund(i));
    const id = await writeSnapshot(db, META, many);
    const back = readSnapshotRefunds(db, id);
    expect(back.map((r) => r.id)).toEqual(many.map((r) => r.id));
    expect(counts(db)).toEqual({ snapshots: 1, refunds: 1000, lines: 1000 });
  });

  it('rolls back on an invalid refund', async () => {
    const db = memoryDb();
    await expect(writeSnapshot(db, META, [refund(1), { ...refund(2), total: 1.5 }])).rejects.toThrow(/Refund number 2/);
    expect(counts(db)).toEqual({ snapshots: 0, refunds: 0, lines: 0 });
  });

  it('aborting midway leaves no snapshot and no rows', async () => {
    const db = memoryDb();
    await writeSnapshot(db, META, [refund(0)]); // an earlier snapshot stays
    const controller = new AbortController();
    async function* slow() {
      for (let i = 1; i <= 100000; i++) {
        if (i === 5000) controller.abort();
        yield refund(i);
      }
    }
    await expect(writeSnapshot(db, META, slow(), { signal: controller.signal })).rejects.toThrow(/cancelled/);
    expect(counts(db)).toEqual({ snapshots: 1, refunds: 1, lines: 1 });
    expect(db.inTransaction).toBe(false);
  });

  it('aborting a file import midway leaves no snapshot', async () => {
    let body = 'Internal ID,Type,Date,Amount,Currency\n';
    for (let i = 1; i <= 60000; i++) body += `${i},Cash Refund,1/2/2026,5.00,USD\n`;
    const file = tempFile('abort.csv', body);
    const db = memoryDb();
    const controller = new AbortController();
    const promise = importFile(db, {
      file,
      side: 'netsuite',
      signal: controller.signal,
      onProgress: (p) => {
        if (p.rows > 0) controller.abort();
      },
    });
    await expect(promise).rejects.toThrow(/cancelled/);
    expect(counts(db)).toEqual({ snapshots: 0, refunds: 0, lines: 0 });
  });
});
