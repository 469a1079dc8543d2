import type { ResultsQuery } from '../../../shared/contract/run';
import type { Db } from '../../store/open';
import { hasSearchOnDemand } from './search-index';

/**
 * The review's sort and filter indexes on `results` that a large run's store drops and the review
 * builds again on first use (issue 15). Each is one more B-tree insert per stored result, at a
 * random place in the index: on a run of 840k results, maintaining them was most of the store
 * (docs/benchmarks/reconcile.md), while building one afterwards is one sort. The indexes every
 * run needs stay: `results_by_run_code` (every query of one run, the code filter),
 * `results_ui_severity` (the default sort: the first page of a run) and `results_ui_order`
 * (the engine writes results in order-key order, so its inserts append).
 * Definitions are the migrations' exactly (002, 004, 006, 014): the planner matches expressions.
 */
const DEFERRED = {
  results_by_run_severity: 'results(run_id, severity)',
  results_ui_date: 'results(run_id, date)',
  results_ui_abs_difference: 'results(run_id, abs(difference))',
  results_ui_storefront_total: 'results(run_id, storefront_total)',
  results_ui_netsuite_total: 'results(run_id, netsuite_total)',
  results_ui_currency: 'results(run_id, currency)',
  results_ui_currency_difference: `results(run_id, (currency || printf('%019d', difference + 4611686018427387904)))`,
  results_ui_currency_abs_difference: `results(run_id, (currency || printf('%016d', abs(difference))))`,
} as const;
type DeferredIndex = keyof typeof DEFERRED;

/** A run at least this large drops the deferred indexes before it is written… */
const LARGE_RUN = 20_000;
/** …when it is also at least this share of the results already stored (rebuilding reads them all). */
const LARGE_SHARE = 0.25;

/**
 * Before a run is written (inside its transaction, so a failed run gets them back): drops the
 * deferred indexes when the run is large against what is stored. Rebuilding costs a sort of every
 * stored result; maintaining costs ≈ 4× as much per written result, so only a run that is a
 * sizeable share of the workspace gains.
 */
export function dropReviewIndexesForLargeRun(db: Db, estimatedResults: number, storedResults: number): boolean {
  // Only at the schema this belongs with (022): an older one's migrations still create these.
  if (!hasSearchOnDemand(db) || estimatedResults < LARGE_RUN || estimatedResults < storedResults * LARGE_SHARE)
    return false;
  for (const name of Object.keys(DEFERRED)) db.exec(`DROP INDEX IF EXISTS ${name}`);
  return true;
}

/** The deferred indexes a review query reads: its sort's, and its filters'. */
function indexesFor(query: Partial<ResultsQuery>): DeferredIndex[] {
  const wanted: DeferredIndex[] = [];
  const bySort: Partial<Record<ResultsQuery['sort'], DeferredIndex>> = {
    date: 'results_ui_date',
    currency: 'results_ui_currency',
    difference: 'results_ui_currency_difference',
    absDifference: 'results_ui_currency_abs_difference',
    storefrontTotal: 'results_ui_storefront_total',
    netsuiteTotal: 'results_ui_netsuite_total',
  };
  const sortIndex = query.sort ? bySort[query.sort] : undefined;
  if (sortIndex) wanted.push(sortIndex);
  if (query.severities?.length) wanted.push('results_by_run_severity');
  if (query.currencies?.length) wanted.push('results_ui_currency');
  if (query.dateFrom || query.dateTo) wanted.push('results_ui_date');
  if (query.minDifference !== undefined || query.maxDifference !== undefined) wanted.push('results_ui_abs_difference');
  return wanted;
}

const present = (db: Db, name: string) =>
  db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?").get(name) !== undefined;

/**
 * Builds the deferred indexes a review query reads that are missing (after a large run's store),
 * once. A workspace that cannot be written now (read-only, busy) answers without them: the same
 * rows, by a scan of the run.
 */
export function ensureReviewIndexes(db: Db, query: Partial<ResultsQuery>): void {
  if (db.readonly || !hasSearchOnDemand(db)) return;
  for (const name of indexesFor(query)) {
    if (present(db, name)) continue;
    try {
      // No ANALYZE: like a new workspace's, the rebuilt index has no statistics, so the planner
      // weighs every run_id index alike and takes the one that gives the sort's order.
      db.exec(`CREATE INDEX IF NOT EXISTS ${name} ON ${DEFERRED[name]}`);
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_READONLY')) return;
      throw error;
    }
  }
}
