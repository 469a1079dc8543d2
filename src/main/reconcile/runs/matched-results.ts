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
