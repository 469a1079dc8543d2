import type { Db } from '../../store/open';
import type { MatchedBy } from '../engine';

/**
 * The owner of `matched_results` (migration 026): matched results stored as ids only, beside the
 * full rows of `results`, in the same id space. Readers ask here whether the table exists (a
 * workspace opened read-only at an older schema has none) and read its rows with second queries
 * beside their `results` ones (docs/benchmarks/reconcile.md, session 8: a UNION ALL view makes
 * every review page sort the whole run).
 */

/** The schema from which matched results may be stored as ids (migration 026). */
export const MATCHED_RESULTS_VERSION = 26;

/**
 * `matched_results.matched_by`: the index of the rule in this list. Append-only — stored runs
 * keep their codes.
 */
export const MATCHED_BY_CODES: readonly MatchedBy[] = [
  'refund_key',
  'order_total',
  'order_rollup',
  'order_pair',
  'order_currency',
  'duplicate',
  'unmatched',
];

/** The stored code of a rule. */
export function matchedByCode(rule: MatchedBy): number {
  const code = MATCHED_BY_CODES.indexOf(rule);
  if (code < 0) throw new Error(`No stored code for the rule ${rule}`);
  return code;
}

/** SQL turning the code in `column` back into the rule's name (as `results.matched_by` holds it). */
export function matchedBySql(column: string): string {
  return `CASE ${column} ${MATCHED_BY_CODES.map((name, code) => `WHEN ${code} THEN '${name}'`).join(' ')} ELSE '' END`;
}

const withTable = new WeakMap<Db, boolean>();

/** Whether the connection's workspace has `matched_results` (cached per connection once true). */
export function hasMatchedResults(db: Db): boolean {
  if (withTable.get(db)) return true;
  const has = (db.pragma('user_version', { simple: true }) as number) >= MATCHED_RESULTS_VERSION;
  if (has) withTable.set(db, true);
  return has;
}

/** The largest id of a matched result stored as ids (0 when none, or no table). */
export function maxMatchedResultId(db: Db): number {
  if (!hasMatchedResults(db)) return 0;
  return (db.prepare('SELECT COALESCE(MAX(id), 0) AS m FROM matched_results').get() as { m: number }).m;
}

/** How many of a run's results are stored as ids (all of code `matched`). */
export function countMatchedResults(db: Db, runId: number): number {
  if (!hasMatchedResults(db)) return 0;
  return (db.prepare('SELECT count(*) AS n FROM matched_results WHERE run_id = ?').get(runId) as { n: number }).n;
}

/**
 * A run's results stored as ids, as `[result_key, currency, order_ref]` in id order: the key and
 * the first storefront record's currency and order reference (code `matched`, difference 0).
 */
export function matchedResultKeys(db: Db, runId: number): IterableIterator<[string, string, string]> {
  if (!hasMatchedResults(db)) return [][Symbol.iterator]() as IterableIterator<[string, string, string]>;
  return db
    .prepare(
      `SELECT 'sf:' || sf.source_id, m.currency, sf.order_ref
       FROM matched_results m JOIN refunds sf ON sf.id = m.storefront_refund_id WHERE m.run_id = ? ORDER BY m.id`,
    )
    .raw(true)
    .iterate(runId) as IterableIterator<[string, string, string]>;
}

/** Per month (`YYYY-MM` of the date) and currency: how many of a run's results are stored as ids, and their total. */
export function matchedResultsByMonth(
  db: Db,
  runId: number,
): Array<{ month: string; currency: string; n: number; total: number }> {
  if (!hasMatchedResults(db)) return [];
  return db
    .prepare(
      `SELECT substr(date, 1, 7) AS month, currency, count(*) AS n, sum(total) AS total
       FROM matched_results WHERE run_id = ? GROUP BY month, currency ORDER BY month, currency`,
    )
    .all(runId) as Array<{ month: string; currency: string; n: number; total: number }>;
}

/**
 * A compact row's columns read without its storefront record (stored, or constant): what the
 * counts and totals under the review's code, severity, currency, date and difference filters read.
 */
const STORED_COLUMNS = {
  id: 'm.id',
  run_id: 'm.run_id',
  code: "'matched'",
  severity: "'ok'",
  currency: 'm.currency',
  date: 'm.date',
  storefront_total: 'm.total',
  netsuite_total: 'm.total',
  difference: '0',
} as const;

const storedColumns = () =>
  Object.entries(STORED_COLUMNS)
    .map(([name, sql]) => `${sql} AS ${name}`)
    .join(', ');

/**
 * The same rows with only the stored columns (use as `(…) r` where the SQL over `r` reads no other,
 * `readsStoredColumnsOnly`), from the covering index of the totals (it must exist:
 * `ensureCompactIndex`): a count or totals under any such filter is one pass over the index in
 * currency order, no row read (the join costs a lookup per row: 5 s for the 658k rows of a 1M run;
 * left to choose, SQLite takes the date index for a wide date range: a lookup per row again, 2.6 s).
 */
export const MATCHED_STORED_ROWS_SQL = matchedStoredRowsSql('matched_results_for_totals');

/** The stored columns walking another index (it must exist): the offset walk of a sort, no record read. */
export function matchedStoredRowsSql(index: 'matched_results_by_run' | CompactIndex): string {
  return `SELECT ${storedColumns()} FROM matched_results m INDEXED BY ${index}`;
}

/** Whether SQL over `r` (a filter's WHERE) reads only the columns of `MATCHED_STORED_ROWS_SQL`. */
export function readsStoredColumnsOnly(sql: string): boolean {
  for (const [, column] of sql.matchAll(/\br\.(\w+)/g)) if (!(column && column in STORED_COLUMNS)) return false;
  return true;
}

/**
 * Whether the compact row `r` names has one of the tender classes of a mask (bind the mask,
 * reconcile/tender-class-bits.ts): 1 or 0; NULL when `r` is no compact row, or one stored with no
 * split (a plain match: its records answer). SQL over `r` of either source (tender-filter.ts).
 */
export const COMPACT_TENDER_CLASSES_SQL =
  '(SELECT (m.tender_classes & ?) <> 0 FROM matched_results m WHERE m.id = r.id AND m.tender_classes IS NOT NULL)';

/** A compact row's constant detail (a roll-up's lists its storefront records, as the writer's JSON does). */
const DETAIL_SQL = `CASE WHEN m.storefront_others IS NULL THEN '{"issues":["matched"]}'
  ELSE '{"issues":["matched"],"storefrontRowIds":[' || m.storefront_refund_id || ',' || substr(m.storefront_others, 2) || '}' END`;

/**
 * A subquery (use as `(…) r`) giving compact rows with the columns of a `results` row: currency,
 * date and totals stored, the rest derived from the storefront record they name; filter it outside (`WHERE r.id = ?`: SQLite flattens it).
 * Not derived here: `search_text` ('': SQLite's lower() folds ASCII only, the writer's
 * toLowerCase() all of Unicode) and `tenders` (NULL: rebuilt from the records, as for a plain match).
 */
export const MATCHED_ROWS_SQL = matchedRowsSql();

/**
 * `MATCHED_ROWS_SQL` walking one index of `matched_results` (it must exist): a walk by id, or by
 * currency then id, that stops at its page. Left to choose, SQLite takes the index of a range
 * filter (`date >= ?`) and sorts every row it holds (seconds under a wide date range at 1M).
 */
export function matchedRowsSql(index?: 'matched_results_by_run' | CompactIndex): string {
  return `SELECT ${matchedRowColumns()}
  FROM matched_results m${index ? ` INDEXED BY ${index}` : ''} JOIN refunds sf ON sf.id = m.storefront_refund_id`;
}

/**
 * The same rows walked from the storefront snapshot's refunds (bind its id first) in the order of
 * `refunds_by_snapshot_order`, each probing `matched_results_by_storefront` (built on first use,
 * `ensureCompactIndex`): sorted by order key, only each key's few rows are sorted by id.
 */
export const MATCHED_ROWS_BY_ORDER_SQL = `SELECT ${matchedRowColumns()}
  FROM refunds sf CROSS JOIN matched_results m ON m.storefront_refund_id = sf.id WHERE sf.snapshot_id = ?`;

function matchedRowColumns(): string {
  return `${storedColumns()}, m.storefront_refund_id AS storefront_refund_id, 'sf:' || sf.source_id AS result_key,
    sf.order_ref AS order_ref, sf.order_key AS order_key, '' AS hint, ${DETAIL_SQL} AS detail, ${matchedBySql('m.matched_by')} AS matched_by, '' AS search_text,
    NULL AS tenders, m.netsuite_refund_id AS netsuite_refund_id, m.netsuite_refund_id_2 AS netsuite_refund_id_2`;
}

/**
 * The indexes of `matched_results` the review's sorts walk, built on a run's first review by that
 * sort (`ensureCompactIndex`) and never written with the run: a compact row would insert into each
 * in the middle (refund ids, dates and totals are not in result order), where building one
 * afterwards is one sort. Each ends in the row id (the rowid every index holds), which breaks the
 * sort's ties.
 * - by storefront: the order-key walk probes it (refund id → compact row);
 * - by date, by total (both totals: a compact row's two are one stored total);
 * - by currency: the currency sort, and the difference sorts (difference 0 on every compact row, so
 *   their value is a function of the currency: walked one currency at a time, by id);
 * - for totals (currency, total, date): covers the counts and totals per currency under the filters
 *   on stored columns (`MATCHED_STORED_ROWS_SQL`).
 */
const COMPACT_INDEXES = {
  matched_results_by_storefront: 'matched_results(storefront_refund_id, run_id)',
  matched_results_by_run_date: 'matched_results(run_id, date)',
  matched_results_by_run_currency: 'matched_results(run_id, currency)',
  matched_results_by_run_total: 'matched_results(run_id, total)',
  matched_results_for_totals: 'matched_results(run_id, currency, total, date)',
} as const;
export type CompactIndex = keyof typeof COMPACT_INDEXES;

/**
 * Drops the review's indexes of `matched_results` (`COMPACT_INDEXES`, not the `run_id` one) before a
 * large run is written, in its transaction: a review of an earlier run builds them, and the next
 * run's compact rows would then insert into each at a random place (a 1M run stored after a review
 * of a 1M run: 35.5 s CPU instead of ≈ 4 s, docs/benchmarks/reconcile.md, session 10, p10-store).
 * Each is built again on its first use (`ensureCompactIndex`). The writer calls this when it drops
 * the deferred indexes of `results` (review-indexes.ts: the same large-run rule).
 */
export function dropCompactIndexes(db: Db): void {
  if (!hasMatchedResults(db)) return;
  for (const name of Object.keys(COMPACT_INDEXES)) db.exec(`DROP INDEX IF EXISTS ${name}`);
}

/**
 * Builds one of the review's indexes of `matched_results` when it is missing. false when it is
 * absent and the workspace cannot be written now: the walk through the run's rows answers the
 * same, slower.
 */
export function ensureCompactIndex(db: Db, name: CompactIndex): boolean {
  if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?").get(name) !== undefined) return true;
  if (db.readonly) return false;
  try {
    db.exec(`CREATE INDEX IF NOT EXISTS ${name} ON ${COMPACT_INDEXES[name]}`);
    return true;
  } catch {
    // Busy or read-only file.
    return false;
  }
}

/**
 * A subquery (use as `(…) l`) of compact rows' NetSuite records as `(result_id, refund_id)`, the
 * shape of the view `result_netsuite_refunds` (which reads `results` only).
 */
export const MATCHED_NETSUITE_LINKS_SQL = `SELECT id AS result_id, netsuite_refund_id AS refund_id FROM matched_results
  UNION ALL SELECT id, netsuite_refund_id_2 FROM matched_results WHERE netsuite_refund_id_2 IS NOT NULL`;
