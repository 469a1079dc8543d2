import type { Db } from '../../store/open';
import { resultSearchText } from '../search-text';
import { hasMatchedResults } from './matched-results';

/**
 * The results search index (FTS5 trigram, migration 006) is filled per run on the run's first
 * search, not as results are written (migration 022): indexing every result of a large run was a
 * quarter of storing it, for a search most runs never get. `results_search_runs` says up to which
 * result id a run is in the index; a result already there (a rebuilt index) is never added twice.
 *
 * Compact rows (`matched_results`, migration 026) are indexed by their id too, with the text the
 * writer would have stored (`resultSearchText`, derived from the records the row names). They have
 * no `results` row, so no trigger removes them from the index when their run is deleted (the
 * cascade), and an FTS5 'delete' needs the exact text indexed, which SQL cannot rebuild
 * (toLowerCase): a deleted run's compact rows stay in the index, and the writer takes its next id
 * above every id the index holds (`maxSearchIndexedId`), so no later result is found by them.
 */

/** The largest result id in the search index (0 when none, or no index): ids at or below it are never reused. */
export function maxSearchIndexedId(db: Db): number {
  if ((db.pragma('user_version', { simple: true }) as number) < 6) return 0;
  return (db.prepare('SELECT COALESCE(MAX(id), 0) AS m FROM results_search_docsize').get() as { m: number }).m;
}

const SEARCH_TEXT_FUNCTION = 'refund_recon_search_text';
const withFunction = new WeakSet<Db>();

/**
 * A compact row's search text from its records' columns: the first storefront record's order
 * reference and id, a roll-up's other storefront ids (a JSON array, in the row's order, or NULL),
 * and its one or two NetSuite records' document number and id. A JavaScript function on the
 * connection, so the text is lower-cased exactly as the writer's.
 */
function ensureSearchTextFunction(db: Db): void {
  if (withFunction.has(db)) return;
  db.function(
    SEARCH_TEXT_FUNCTION,
    { deterministic: true },
    (orderRef, storefrontId, others, document1, netsuiteId1, document2, netsuiteId2) => {
      const storefront = [{ id: String(storefrontId) }];
      if (typeof others === 'string') for (const id of JSON.parse(others) as string[]) storefront.push({ id });
      const netsuite = [{ documentNumber: String(document1), id: String(netsuiteId1) }];
      if (netsuiteId2 !== null) netsuite.push({ documentNumber: String(document2), id: String(netsuiteId2) });
      return resultSearchText(String(orderRef), storefront, netsuite);
    },
  );
  withFunction.add(db);
}

/**
 * A subquery (use as `(…) c`; bind the run id) of a run's compact rows as `(id, search_text)`,
 * the text derived as the writer stores it for a `results` row.
 */
export function compactSearchRowsSql(db: Db): string {
  ensureSearchTextFunction(db);
  return `SELECT m.id AS id, ${SEARCH_TEXT_FUNCTION}(sf.order_ref, sf.source_id,
      CASE WHEN m.storefront_others IS NULL THEN NULL ELSE (SELECT json_group_array(s.source_id ORDER BY j.key)
        FROM json_each(m.storefront_others) j JOIN refunds s ON s.id = j.value) END,
      n1.document_number, n1.source_id, n2.document_number, n2.source_id) AS search_text
    FROM matched_results m JOIN refunds sf ON sf.id = m.storefront_refund_id
      JOIN refunds n1 ON n1.id = m.netsuite_refund_id LEFT JOIN refunds n2 ON n2.id = m.netsuite_refund_id_2
    WHERE m.run_id = ?`;
}

/** The ids of a run's compact rows whose derived search text is `LIKE` the pattern (escape `\\`). */
export function compactIdsLike(db: Db, runId: number, pattern: string): number[] {
  return db
    .prepare(`SELECT c.id FROM (${compactSearchRowsSql(db)}) c WHERE c.search_text LIKE ? ESCAPE '\\' ORDER BY c.id`)
    .pluck()
    .all(runId, pattern) as number[];
}

/** Whether a run has compact rows (a search reads them too). */
export function runHasCompactRows(db: Db, runId: number): boolean {
  if (!hasMatchedResults(db)) return false;
  return db.prepare('SELECT 1 FROM matched_results WHERE run_id = ? LIMIT 1').get(runId) !== undefined;
}

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
      const compact = runHasCompactRows(db, runId);
      if (compact) {
        db.prepare(
          `INSERT INTO results_search (rowid, search_text)
           SELECT c.id, c.search_text FROM (${compactSearchRowsSql(db)}) c
           WHERE NOT EXISTS (SELECT 1 FROM results_search_docsize d WHERE d.id = c.id)
           ORDER BY c.id`,
        ).run(runId);
      }
      const compactMax = compact ? ', COALESCE((SELECT max(id) FROM matched_results WHERE run_id = ?), 0)' : '';
      db.prepare(
        `INSERT INTO results_search_runs (run_id, indexed_to)
         VALUES (?, max(COALESCE((SELECT max(id) FROM results WHERE run_id = ?), 0)${compactMax}, 0))`,
      ).run(runId, runId, ...(compact ? [runId] : []));
    })();
    return true;
  } catch (error) {
    // Busy (another connection is storing a run) or read-only file: search by scanning this time.
    const code = (error as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_READONLY')) return false;
    throw error;
  }
}
