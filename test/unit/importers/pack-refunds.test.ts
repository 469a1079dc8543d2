import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalCsvRefunds } from '../../../src/main/importers/canonical-csv';
import { makeContext } from '../../../src/main/importers/common';
import { packFileRefunds } from '../../../src/main/importers/pack-refunds';
import { openSource } from '../../../src/main/importers/source';
import type { Db } from '../../../src/main/store/open';
import type { PackedBatch } from '../../../src/main/store/packed-refunds';
import { writeSnapshot } from '../../../src/main/store/snapshot-writer';
import { UserError } from '../../../src/shared/errors';
import type { Side } from '../../../src/shared/model';
import { csv, HEADER, row } from './flat-canonical-rows';
import { memoryDb, tempFile } from './helpers';

/**
 * The parse thread's packing (pack-refunds.ts) writes exactly the snapshot the canonical CSV
 * importer writes, or fails with its error: whether the byte-level flat reader takes the whole
 * file, sends odd rows to the importer, or gives up part-way (a refund on two rows, a quoted
 * cell…) and leaves the rest to the importer, which then skips the refunds already packed.
 */
const meta = (side: Side) => ({
  side,
  label: 't',
  source: 'file' as const,
  format: 'canonical-csv',
  importerVersion: '1',
});

type Outcome = { rows: unknown[]; lines: unknown[]; sourceRows: number } | { error: string; location: unknown };

function rowsOf(db: Db, snapshotId: number, sourceRows: number): Outcome {
  return {
    rows: db.prepare('SELECT * FROM refunds WHERE snapshot_id = ? ORDER BY id').raw().all(snapshotId),
    lines: db
      .prepare(
        'SELECT l.* FROM refund_lines l JOIN refunds r ON r.id = l.refund_id WHERE r.snapshot_id = ? ORDER BY l.id',
      )
      .raw()
      .all(snapshotId),
    sourceRows,
  };
}

function failed(error: unknown): Outcome {
  if (!(error instanceof UserError)) throw error;
  return { error: error.message, location: error.location };
}

/** The importer on this thread, as the single-thread import writes. */
async function viaImporter(db: Db, file: string, side: Side): Promise<Outcome> {
  const ctx = makeContext({ file: 'f.csv', side, format: 'canonical-csv' });
  try {
    const id = await writeSnapshot(db, meta(side), canonicalCsvRefunds(await openSource(file, { hash: false }), ctx));
    return rowsOf(db, id, ctx.rows);
  } catch (error) {
    return failed(error);
  }
}

/** The packing with the flat reader, its batches written as the parallel import writes them. */
async function viaPacking(db: Db, file: string, side: Side, batchRefunds: number, chunk: number) {
  const ctx = makeContext({ file: 'f.csv', side, format: 'canonical-csv' });
  const batches: PackedBatch[] = [];
  try {
    const end = await packFileRefunds({
      file,
      side,
      ctx,
      source: await openSource(file, { hash: false }),
      batchRefunds,
      flat: true,
      flatChunkBytes: chunk,
      send: async (batch) => {
        // Copied as postMessage copies it: the packer reuses its arrays for the next batch.
        batches.push(structuredClone(batch));
      },
    });
    const id = await writeSnapshot(db, meta(side), {
      packed: (async function* () {
        yield* batches;
      })(),
    });
    expect(end.rows).toBe(ctx.rows);
    return { outcome: rowsOf(db, id, ctx.rows), refunds: end.refunds };
  } catch (error) {
    return { outcome: failed(error), refunds: -1 };
  }
}

describe('packFileRefunds', () => {
  it('writes what the canonical CSV importer writes, or fails with its error', async () => {
    let n = 0;
    let written = 0;
    let failures = 0;
    let multiRow = 0;
    // One workspace per path for the whole property (row ids advance alike while outcomes agree).
    const importerDb = memoryDb();
    const packingDb = memoryDb();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Side>('storefront', 'netsuite').chain((side) =>
          fc.tuple(
            fc.constant(side),
            fc.array(fc.tuple(row(side), fc.constantFrom('', '', '', '', 'store_credit::A', 'bogus::1')), {
              minLength: 1,
              maxLength: 9,
            }),
            fc.integer({ min: 1, max: 4 }),
            fc.integer({ min: 200, max: 600 }),
            fc.boolean(),
          ),
        ),
        async ([side, rows, batchRefunds, chunk, lastNewline]) => {
          // Distinct ids, but every fourth row continues the refund before it (same side and id).
          const cells: Record<string, string>[] = [];
          for (const [i, [r, tenders]] of rows.entries()) {
            const prev = cells[i - 1];
            const same = i % 4 === 3 && prev ? { side: prev.side!, id: prev.id! } : {};
            cells.push({ ...(r.id === '' ? r : { ...r, id: `${r.id}${i}` }), tenders, ...same });
          }
          const file = tempFile(`pack-${n++}.csv`, csv(cells, lastNewline, `${HEADER},tenders`));
          const expected = await viaImporter(importerDb, file, side);
          const { outcome, refunds } = await viaPacking(packingDb, file, side, batchRefunds, chunk);
          expect(outcome).toEqual(expected);
          if ('error' in expected) failures++;
          else {
            written++;
            expect(refunds).toBe(expected.rows.length);
            if (expected.rows.length < expected.sourceRows) multiRow++;
          }
        },
      ),
      { numRuns: 200 },
    );
    importerDb.close();
    packingDb.close();
    // Enough of each kind for the property to mean something.
    expect(written).toBeGreaterThan(40);
    expect(failures).toBeGreaterThan(20);
    expect(multiRow).toBeGreaterThan(10);
  }, 120_000);

  it('gives the file back to the importer after refunds already sent, and skips them', async () => {
    const ok = (id: number) =>
      `storefront,${id},${id},refund,#${id},,,2026-01-02,USD,1.00,,,,general,,,false,ok,,true,,,,,,,,`;
    const line = (id: number) => ok(id).replace(/,,,,,,$/, ',A,,1,1.00,,');
    // Rows 1–5 flat; refund 6 has two rows (the second carries a line): the reader gives up there.
    const text = `${HEADER}\n${[1, 2, 3, 4, 5].map(ok).join('\n')}\n${ok(6)}\n${line(6)}\n${ok(7)}\n`;
    const file = tempFile('pack-late.csv', text);
    const expected = await viaImporter(memoryDb(), file, 'storefront');
    const { outcome, refunds } = await viaPacking(memoryDb(), file, 'storefront', 2, 1 << 20);
    expect(refunds).toBe(7);
    expect(outcome).toEqual(expected);
    expect((expected as { lines: unknown[] }).lines).toHaveLength(1);
  });
});
