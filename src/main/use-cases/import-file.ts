import type { ImportFormat } from '../../shared/contract/snapshot';
import { FORMAT_DESCRIPTIONS } from '../importers/detect';
import { type ImportFileOptions, type ImportFileResult, importFile } from '../importers/import-file';
import { type KeyField, writeMatchCache, writeMatchCacheBlob } from '../store/match-cache';
import type { UseCaseContext } from './context';

/** What a face shows while an import waits for another writer to finish. */
export { BUSY_MESSAGE } from '../store/busy';

/**
 * Importing an export file into a new snapshot (one transaction: complete or absent). The app's
 * snapshot:import job and `refund-recon import` call this.
 */
export type ImportSnapshotInput = Omit<ImportFileOptions, 'signal'>;

/**
 * The snapshot's match index (`snapshot_match_cache`) is built from the rows the import writes, for
 * the default refund key (External ID): the first comparison then reads one blob instead of
 * scanning the refunds it has just imported (1M + 1M refunds: ~10 s of SQL on the first compare).
 * A comparison with another refund key reads with SQL once and caches that too. A caller that asks
 * for `matchColumns` itself (the CLI's reconcile, which compares right away and decides whether its
 * workspace keeps them) gets the columns back and nothing is written here.
 */
const MATCH_INDEX_KEY: Record<ImportFileOptions['side'], KeyField> = { storefront: 'none', netsuite: 'externalId' };

export async function importSnapshotFile(
  ctx: UseCaseContext,
  input: ImportSnapshotInput,
  signal?: AbortSignal,
): Promise<ImportFileResult> {
  if (input.matchColumns) return importFile(ctx.db, { ...input, ...(signal ? { signal } : {}) });
  const keyField = MATCH_INDEX_KEY[input.side];
  const { matchColumns, matchBlob, ...result } = await importFile(ctx.db, {
    ...input,
    matchColumns: keyField,
    matchIndexOnly: true,
    ...(signal ? { signal } : {}),
  });
  // Derived data in its own statement after the snapshot's commit: when it cannot be written
  // (a read-only or busy workspace), the first comparison builds it instead.
  if ((matchBlob || matchColumns) && result.created) {
    try {
      if (matchBlob) writeMatchCacheBlob(ctx.db, result.snapshotId, keyField, matchBlob);
      else if (matchColumns) writeMatchCache(ctx.db, result.snapshotId, keyField, matchColumns);
    } catch {
      // The first comparison reads the snapshot with SQL and caches it then.
    }
  }
  return result;
}

/** One line saying what a format is, e.g. for "Format: shopify-json — …". */
export function describeFormat(format: ImportFormat): string {
  return FORMAT_DESCRIPTIONS[format];
}
