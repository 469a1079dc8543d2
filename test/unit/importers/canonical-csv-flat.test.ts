import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalCsvRefunds } from '../../../src/main/importers/canonical-csv';
import { readFlatCanonicalCsv } from '../../../src/main/importers/canonical-csv-flat';
import { readSimpleCanonicalCsv } from '../../../src/main/importers/canonical-csv-simple';
import { makeContext } from '../../../src/main/importers/common';
import { oddRowReader } from '../../../src/main/importers/memory-import';
import { openSource } from '../../../src/main/importers/source';
import type { KeyField } from '../../../src/main/store/column-collector';
import { type MemorySnapshot, MemorySnapshotBuilder } from '../../../src/main/store/memory-snapshot';
import { acceptRefund } from '../../../src/main/store/snapshot-writer';
import type { Side } from '../../../src/shared/model';
import { csv, HEADER, row } from './flat-canonical-rows';
import { tempFile } from './helpers';

/**
 * The byte-level reader of flat canonical CSV (issue 15) either gives up (the simple reader then
 * reads the file) or stores exactly what the simple reader + `MemorySnapshotBuilder.add` store:
 * the whole memory snapshot (matcher columns in their order, display columns) is compared, on
 * generated files mixing the flat forms with cells it must refuse, read in small chunks so rows
 * cross chunk ends. The simple reader is itself checked against the full importer
 * (canonical-csv-simple.test.ts).
 */
async function viaSimple(file: string, side: Side, keyField: KeyField): Promise<MemorySnapshot | null> {
  const builder = new MemorySnapshotBuilder(side, keyField, 7);
  const out = await readSimpleCanonicalCsv(await openSource(file, { hash: false }), side, (r) => builder.add(r));
  return out.simple ? builder.finish(out.rows, []) : null;
}

/** The byte reader; with `odd`, the rows it cannot take go to the full importer one by one. */
async function viaFlat(
  file: string,
  side: Side,
  keyField: KeyField,
  chunk: number,
  withOdd = false,
): Promise<MemorySnapshot | null> {
  const builder = new MemorySnapshotBuilder(side, keyField, 7);
  const odd = withOdd ? oddRowReader('f.csv', side, (r) => builder.add(r)) : undefined;
  const out = await readFlatCanonicalCsv(file, side, (v) => builder.addFlat(v), odd, chunk);
  return out.simple ? builder.finish(out.rows, []) : null;
}

/** What readFileIntoMemory's full path stores (null where the importer refuses the file). */
async function viaFull(file: string, side: Side, keyField: KeyField): Promise<MemorySnapshot | null> {
  const ctx = makeContext({ file: 'f.csv', side, format: 'canonical-csv' });
  const builder = new MemorySnapshotBuilder(side, keyField, 7);
  let index = 0;
  try {
    for await (const r of canonicalCsvRefunds(await openSource(file, { hash: false }), ctx)) {
      builder.add(acceptRefund(r, ++index, side));
    }
  } catch {
    return null;
  }
  return builder.finish(ctx.rows, ctx.notes);
}

const TENDER_CELLS = [
  '',
  '',
  '',
  'store_credit::A',
  'cash::A',
  'card:shopify_payments:A',
  'card::0.01|other::A',
  'bogus::1',
];

describe('flat canonical CSV byte reader', () => {
  it('stores what the simple reader stores, or gives up', async () => {
    let n = 0;
    let flat = 0;
    await fc.assert(
      fc.asyncProperty(
        fc
          .constantFrom<Side>('storefront', 'netsuite')
          .chain((side) =>
            fc.tuple(
              fc.constant(side),
              fc.array(row(side), { minLength: 1, maxLength: 6 }),
              fc.constantFrom<KeyField>('externalId', 'memo', 'documentNumber', 'none'),
              fc.boolean(),
              fc.integer({ min: 200, max: 600 }),
            ),
          ),
        async ([side, rows, keyField, lastNewline, chunk]) => {
          // Mostly distinct ids (a repeated id on the next row is a second row of the same refund).
          const distinct = rows.map((r, i) => (r.id === '' || i % 4 === 3 ? r : { ...r, id: `${r.id}${i}` }));
          const file = tempFile(`flat-${n++}.csv`, csv(distinct, lastNewline));
          const f = await viaFlat(file, side, keyField, chunk);
          if (!f) return;
          flat++;
          expect(f).toEqual(await viaSimple(file, side, keyField));
        },
      ),
      { numRuns: 300 },
    );
    // The generator must reach the byte reader often enough for the property to mean something.
    expect(flat).toBeGreaterThan(30);
  });

  it('reads the benchmark generator rows, across chunk ends, ending with or without a newline', async () => {
    const rows = [
      'netsuite,5000001,CR5000001,cashRefund,#100001,,,2025-01-05,USD,201.78,,,,general,900000000,,false,ok,,true,,,,,,,,',
      'netsuite,5000002,CR5000002,cashRefund,#100001,,,2025-04-08,JPY,17256,,,,general,900000001,,false,ok,,true,,,,,,,,',
      'netsuite,5000003,CR5000003,cashRefund,#100003,,,2025-04-08,EUR,0.56,,,,general,900000002,,false,ok,,true,,,,,,,,',
    ];
    for (const end of ['\n', '']) {
      const file = tempFile(`bench-${end.length}.csv`, `${HEADER}\n${rows.join('\n')}${end}`);
      for (const chunk of [300, 1 << 20]) {
        const f = await viaFlat(file, 'netsuite', 'externalId', chunk);
        expect(f).not.toBeNull();
        expect(f!.rows).toBe(3);
        expect(Array.from(f!.columns.total)).toEqual([20178, 17256, 56]);
        expect(f).toEqual(await viaSimple(file, 'netsuite', 'externalId'));
      }
    }
  });

  it('gives up on a row longer than its chunk, a repeated refund row and a quoted cell', async () => {
    const ok = 'storefront,1,1,refund,#1,,,2026-01-02,USD,1.00,,,,general,,,false,ok,,true,,,,,,,,';
    const cases = [
      `${HEADER}\n${ok}\n${ok}\n`,
      `${HEADER}\n${ok.replace('#1', '"#1"')}\n`,
      `${HEADER}\n${ok.replace('#1', `#${'9'.repeat(400)}`)}\n`,
      `\uFEFF${HEADER}\n${ok}\n`,
      `${HEADER}\r\n${ok}\r\n`,
      `${HEADER}\n`,
    ];
    for (const [i, text] of cases.entries()) {
      const file = tempFile(`odd-${i}.csv`, text);
      expect(await viaFlat(file, 'storefront', 'none', 400, true)).toBeNull();
    }
  });

  it('with the odd rows read by the full importer, stores what the full importer stores, or gives up', async () => {
    let n = 0;
    let flat = 0;
    let odd = 0;
    await fc.assert(
      fc.asyncProperty(
        fc
          .constantFrom<Side>('storefront', 'netsuite')
          .chain((side) =>
            fc.tuple(
              fc.constant(side),
              fc.array(fc.tuple(row(side), fc.constantFrom(...TENDER_CELLS)), { minLength: 1, maxLength: 6 }),
              fc.constantFrom<KeyField>('externalId', 'memo', 'documentNumber', 'none'),
              fc.integer({ min: 200, max: 600 }),
            ),
          ),
        async ([side, rows, keyField, chunk]) => {
          const cells = rows.map(([r, tenders], i) => ({
            ...(r.id === '' ? r : { ...r, id: `${r.id}${i}` }),
            tenders,
          }));
          const file = tempFile(`odd-flat-${n++}.csv`, csv(cells, true, `${HEADER},tenders`));
          const f = await viaFlat(file, side, keyField, chunk, true);
          if (!f) return;
          flat++;
          if (cells.some((c) => c.tenders !== '')) odd++;
          const full = await viaFull(file, side, keyField);
          expect(full).not.toBeNull();
          expect(f.columns).toEqual(full!.columns);
          expect(f.display).toEqual(full!.display);
          expect(full!.notes).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
    expect(flat).toBeGreaterThan(30);
    expect(odd).toBeGreaterThan(10);
  });
});
