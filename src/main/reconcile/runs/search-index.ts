import type { Db } from '../../store/open';

/**
 * The results search index (FTS5 trigram, migration 006) is filled per run on the run's first
 * search, not as results are written (migration 022): indexing every result of a large run was a
 * quarter of storing it, for a search most runs never get. `results_search_runs` says up to which
 * result id a run is in the index; a result already there (a rebuilt index) is never added twice.
 */

/**
 * Migration 022's marker table exists (else every result is indexed by the insert trigger); also
 * the schema from which a large run's store drops the review's deferred indexes (review-indexes.ts).
 */
export function hasSearchOnDemand(db: Db): boolean {
  return (db.pragma('user_version', { simple: true }) as number) >= 22;
}

/**
 * Makes every result of a run searchable through `results_search`; true when it is. False when the
 * workspace cannot be written now (read-only, or busy with another writer): the caller searches
 * without the index (the same answer, by a scan of the run).
 */
export function ensureRunSearchable(db: Db, runId: number): boolean {
  if (!hasSearchOnDemand(db)) return true;
  // A run's results are written once, in the run's transaction (ResultWriter): a marked run is done.
  if (db.prepare('SELECT 1 FROM results_search_runs WHERE run_id = ?').get(runId) !== undefined) return true;
  if (db.readonly) return false;
  try {
    db.transaction(() => {
      db.prepare(
        `INSERT INTO results_search (rowid, search_text)
         SELECT r.id, r.search_text FROM results r
         WHERE r.run_id = ? AND NOT EXISTS (SELECT 1 FROM results_search_docsize d WHERE d.id = r.id)
         ORDER BY r.id`,
      ).run(runId);
      db.prepare(
        `INSERT INTO results_search_runs (run_id, indexed_to)
         VALUES (?, COALESCE((SELECT max(id) FROM results WHERE run_id = ?), 0))`,
      ).run(runId, runId);
    })();
    return true;
  } catch (error) {
    // Busy (another connection is storing a run) or read-only file: search by scanning this time.
    const code = (error as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_READONLY')) return false;
    throw error;
  }
}
