import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { demoCanonical, generateDemo } from '../../../src/main/demo/generate';
import { type KeyField, MatchColumnCollector } from '../../../src/main/store/column-collector';
import { decodeColumns } from '../../../src/main/store/match-cache';
import { openWorkspace } from '../../../src/main/store/open';
import {
  columnsFromBlob,
  moveBlobRowIds,
  PackedColumnCollector,
} from '../../../src/main/store/packed-column-collector';
import { type PackedBatch, RefundPacker } from '../../../src/main/store/packed-refunds';
import { writeSnapshot } from '../../../src/main/store/snapshot-writer';
import { type CanonicalRefund, LineRole } from '../../../src/shared/model';
import { plainColumns } from '../../support/plain-columns';

/**
 * The parse thread's match columns (built from the packed batches it sends, ordered in memory,
 * encoded, row ids moved to the writer's) must equal the ones the writer's collector builds from
 * the rows it inserts and orders by the snapshot's index (`MatchColumnCollector.finish`): the
 * general path.
 */

const meta = { label: 't', source: 'demo' as const, format: 'x', importerVersion: 't' };

const plain = plainColumns;

function batchesOf(refunds: CanonicalRefund[], size: number): PackedBatch[] {
  const packer = new RefundPacker();
  const out: PackedBatch[] = [];
  for (const r of refunds) {
    packer.add(r);
    if (packer.count === size) out.push(structuredClone(packer.take()));
  }
  if (packer.count > 0) out.push(structuredClone(packer.take()));
  return out;
}

async function bothWays(refunds: CanonicalRefund[], size: number, key: KeyField, before: CanonicalRefund[]) {
  const side = refunds[0]!.side;
  const db = openWorkspace(':memory:');
  // Another snapshot first: the new one's row ids do not start at 1.
  if (before.length > 0) await writeSnapshot(db, { ...meta, side: before[0]!.side }, before);
  const batches = batchesOf(refunds, size);
  const writerSide = new MatchColumnCollector(key);
  const threadSide = new PackedColumnCollector(key);
  let firstRowId = 0;
  async function* feed() {
    for (const batch of batches) {
      threadSide.add(batch);
      yield structuredClone(batch);
    }
  }
  const id = await writeSnapshot(
    db,
    { ...meta, side },
    { packed: feed() },
    {
      rows: writerSide,
      onFirstRowId: (rowId) => {
        firstRowId = rowId;
      },
    },
  );
  const general = writerSide.finish(db, id);
  const encoded = threadSide.finish();
  // As the parse thread hands it over: a buffer of its own (offset 0), once per way of reading it.
  const own = () => Buffer.from(new Uint8Array(encoded).buffer);
  const moved = columnsFromBlob(own(), firstRowId, refunds.length);
  // The import that only stores the index (matchIndexOnly): the same bytes, nothing decoded.
  const movedBlob = moveBlobRowIds(own(), firstRowId, refunds.length);
  expect(moveBlobRowIds(own(), firstRowId, refunds.length + 1)).toBeNull();
  db.close();
  return { general, moved, movedBlob, count: threadSide.count };
}

const text = fc.constantFrom('', ' ', 'A-1', 'ß', '日本', '#1001', '😀', '\uE000x');
const line = fc.record({
  sku: text,
  description: text,
  quantity: fc.integer({ min: -3, max: 5 }),
  amount: fc.integer({ min: -5000, max: 5000 }),
  tax: fc.integer({ min: 0, max: 300 }),
  role: fc.constantFrom(...LineRole.options),
});

describe('match columns built on the parse thread (PackedColumnCollector)', () => {
  const demo = demoCanonical(generateDemo());

  it('equal the writer-side collector for the demo, whatever the batch size and key field', async () => {
    for (const [refunds, keys] of [
      [demo.storefront, ['none', 'externalId']],
      [demo.netsuite, ['externalId', 'memo', 'documentNumber']],
    ] as const) {
      for (const key of keys) {
        for (const size of [1, 7, 1024]) {
          const { general, moved, movedBlob, count } = await bothWays(
            [...refunds],
            size,
            key,
            demo.netsuite.slice(0, 5),
          );
          expect(count).toBe(refunds.length);
          expect(moved).not.toBeNull();
          expect(moved!.blob).not.toBeNull();
          expect(movedBlob).not.toBeNull();
          expect(movedBlob!.equals(moved!.blob!)).toBe(true);
          expect(plain(moved!.columns)).toEqual(plain(general));
          // The blob (stored as the match index as it is) has the moved row ids too.
          expect(plain(decodeColumns(moved!.blob!)!)).toEqual(plain(general));
          // The columns hold no view into the blob (its text bytes are not kept alive).
          const c = moved!.columns;
          const arrays = [c.rowId, c.day, c.total, c.presTotal, c.shipping, c.flags];
          for (const t of [c.appliesTo, c.keyValue, c.summary, c.orderRef, c.documentNumber, c.tenders, c.creditDetail])
            arrays.push(t.offsets as never);
          arrays.push(c.tenderTable!.column.offsets as never);
          arrays.push(...(Object.values(c.tenderTable!.arrays) as never[]));
          for (const a of arrays) expect(a.buffer).not.toBe(moved!.blob!.buffer);
          expect(c.tenderTable!.source).toBe(c.tenders);
        }
      }
    }
  });

  it('equal it for unsorted, tied and non-ASCII order refs, near-duplicate records and lines', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('storefront', 'netsuite'),
        fc.array(
          fc.record({
            at: fc.nat({ max: 3 }),
            // Few values, so orders repeat and records of one order tie on several sort fields.
            orderRef: fc.oneof(text, fc.constantFrom('#1002', '1001', '#999', 'Z-1', 'a-1')),
            id: fc.constantFrom('r1', 'r2', 'R1'),
            date: fc.constantFrom('2025-01-05', '2025-01-04'),
            total: fc.constantFrom(100, 2500, -100),
            documentNumber: fc.constantFrom('D1', 'D2'),
            externalId: fc.constantFrom('', 'x1', 'x2', 'é'),
            memo: text,
            lines: fc.array(line, { maxLength: 3 }),
            shipping: fc.integer({ min: 0, max: 900 }),
          }),
          { minLength: 1, maxLength: 30 },
        ),
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom<KeyField>('none', 'externalId', 'memo', 'documentNumber'),
        async (side, specs, size, key) => {
          const pool = side === 'storefront' ? demo.storefront : demo.netsuite;
          const refunds = specs.map((s) => ({
            ...pool[s.at % pool.length]!,
            orderRef: s.orderRef,
            id: s.id,
            date: s.date,
            total: s.total,
            documentNumber: s.documentNumber,
            externalId: s.externalId,
            memo: s.memo,
            lines: s.lines,
            shipping: s.shipping,
          })) as CanonicalRefund[];
          const { general, moved, movedBlob } = await bothWays(refunds, size, key, demo.storefront.slice(0, 3));
          expect(moved).not.toBeNull();
          expect(movedBlob!.equals(moved!.blob!)).toBe(true);
          expect(plain(moved!.columns)).toEqual(plain(general));
        },
      ),
      { numRuns: 80 },
    );
  });

  it('refuses a blob of another row count', async () => {
    const { general } = await bothWays(demo.storefront.slice(0, 10), 4, 'none', []);
    expect(general.n).toBe(10);
    const collector = new PackedColumnCollector('none');
    for (const b of batchesOf(demo.storefront.slice(0, 10), 4)) collector.add(b);
    expect(columnsFromBlob(collector.finish(), 1, 11)).toBeNull();
  });

  it('moves no row id of a blob it cannot view in place (not 8-byte aligned): the caller decodes it', () => {
    const collector = new PackedColumnCollector('none');
    for (const b of batchesOf(demo.storefront.slice(0, 10), 4)) collector.add(b);
    const encoded = collector.finish();
    const shifted = Buffer.alloc(encoded.length + 1).subarray(1);
    encoded.copy(shifted);
    expect(moveBlobRowIds(shifted, 5, 10)).toBeNull();
    expect(shifted.equals(encoded)).toBe(true);
    expect(columnsFromBlob(shifted, 5, 10)!.columns.rowId[0]).toBe(5);
  });
});
