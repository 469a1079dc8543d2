import type { CanonicalRefund } from '../../../shared/model';
import { type MemorySnapshot, MemorySnapshotBuilder } from '../../store/memory-snapshot';
import type { FlatTable } from './flat-table';
import { emptyValues, rowValues } from './row-values';

/**
 * The rows the fast path did not decide (`taken[row]` 0), as the memory snapshot the general path
 * would have read for them: same values, same key field, row ids from the same first id and in
 * file order (consecutive, so only their relative order is kept: the CSV never shows a row id).
 * The rows with a tenders cell are the full importer's refunds (`odd`, odd-rows.ts), added as the
 * general path's reader adds them (`add`), in their place in the file.
 */
export function subsetSnapshot(
  t: FlatTable,
  taken: Uint8Array,
  keyField: 'none' | 'externalId',
  firstRowId: number,
  odd: ReadonlyMap<number, CanonicalRefund>,
): MemorySnapshot {
  const builder = new MemorySnapshotBuilder(t.side, keyField, firstRowId);
  const v = emptyValues();
  let rows = 0;
  for (let r = 0; r < t.n; r++) {
    if (taken[r]) continue;
    const refund = odd.get(r);
    if (refund) builder.add(refund);
    else builder.addFlat(rowValues(t, r, v));
    rows++;
  }
  return builder.finish(rows, []);
}
