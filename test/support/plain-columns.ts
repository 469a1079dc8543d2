import { type SnapshotColumns, TextColumn } from '../../src/main/store/match-cache';
import { TenderTable } from '../../src/main/store/tender-table';

/**
 * Match columns as plain values to compare with `toEqual`: text columns as their values, typed
 * arrays as arrays, a tender table as what it gives (the match index stores it compact, with
 * other offsets: match-cache.ts format 5), not its arrays.
 */
export function plainColumns(c: SnapshotColumns): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(c).map(([k, v]) => [
      k,
      v instanceof TextColumn
        ? v.toArray()
        : ArrayBuffer.isView(v)
          ? Array.from(v as Float64Array)
          : v instanceof TenderTable
            ? {
                quick: Array.from(v.quick),
                flags: Array.from(v.arrays.flags),
                tenders: Array.from({ length: c.n }, (_, i) => v.tenders(i)),
                source: v.source.toArray(),
              }
            : v,
    ]),
  );
}
