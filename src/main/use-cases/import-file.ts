import type { ImportFormat } from '../../shared/contract/snapshot';
import { FORMAT_DESCRIPTIONS } from '../importers/detect';
import { type ImportFileOptions, type ImportFileResult, importFile } from '../importers/import-file';
import type { UseCaseContext } from './context';

/** What a face shows while an import waits for another writer to finish. */
export { BUSY_MESSAGE } from '../store/busy';

/**
 * Importing an export file into a new snapshot (one transaction: complete or absent). The app's
 * snapshot:import job and `refund-recon import` call this.
 */
export type ImportSnapshotInput = Omit<ImportFileOptions, 'signal'>;

export function importSnapshotFile(
  ctx: UseCaseContext,
  input: ImportSnapshotInput,
  signal?: AbortSignal,
): Promise<ImportFileResult> {
  return importFile(ctx.db, { ...input, ...(signal ? { signal } : {}) });
}

/** One line saying what a format is, e.g. for "Format: shopify-json — …". */
export function describeFormat(format: ImportFormat): string {
  return FORMAT_DESCRIPTIONS[format];
}
