import type { ResultsQuery } from '../../../shared/contract/run';
import type { Db } from '../../store/open';
import {
  ensureCompactOrderIndex,
  hasMatchedResults,
  MATCHED_ROWS_BY_ORDER_SQL,
  MATCHED_ROWS_SQL,
} from './matched-results';
import { SORTS } from './results-filter';

/**
 * The tables a run's results are read from by the review's page query: `results`, and (migration
 * 026) the compact rows of `matched_results`. Each is walked by its own query and the walks are
 * merged in JavaScript by (sort value, id): a `UNION ALL` of the two makes SQLite sort the whole
 * run for every page (docs/benchmarks/reconcile.md, session 8, p8-compact).
 */

export interface ResultSource {
  /** The FROM clause, aliased `r` (the filters and sorts are SQL over `r`). */
  from: string;
  /** The sort's value for this source: its own SQL, or a constant every row of the source shares. */
  sortSql: string;
  /** Whether every row has the same sort value: its walk is then by id alone. */
  constant: boolean;
  /** Parameters of `from` (bound before the query's own). */
  fromParams: unknown[];
}

/**
 * Sorts whose value is the same for every compact row (code `matched`, severity `ok`): as SQL
 * literals, so a seek's `value = ?` / `value > ?` is a constant term SQLite evaluates once, and
 * the walk is the `(run_id)` index in id order (through the sort's expression SQLite builds a
 * temporary B-tree over the whole run: 876 ms at 1M).
 */
const COMPACT_CONSTANTS: Partial<Record<ResultsQuery['sort'], string>> = {
  code: "'matched'",
  severity: '0',
};

/** Whether the run has rows in `matched_results` (only then is there a second walk). */
function runHasCompactRows(db: Db, runId: number): boolean {
  if (!hasMatchedResults(db)) return false;
  return db.prepare('SELECT 1 FROM matched_results WHERE run_id = ? LIMIT 1').get(runId) !== undefined;
}

/** The sources of a run's results under one sort: `results`, then the compact rows when it has any. */
export function resultSources(db: Db, runId: number, sort: ResultsQuery['sort'], withCompact: boolean): ResultSource[] {
  const sources: ResultSource[] = [{ from: 'results r', sortSql: SORTS[sort].sql, constant: false, fromParams: [] }];
  if (withCompact && runHasCompactRows(db, runId)) {
    const constant = COMPACT_CONSTANTS[sort];
    if (constant) sources.push({ from: `(${MATCHED_ROWS_SQL}) r`, sortSql: constant, constant: true, fromParams: [] });
    else if (sort === 'orderRef' && ensureCompactOrderIndex(db)) {
      const run = db.prepare('SELECT storefront_snapshot_id AS s FROM comparison_runs WHERE id = ?').get(runId) as {
        s: number;
      };
      sources.push({
        from: `(${MATCHED_ROWS_BY_ORDER_SQL}) r`,
        sortSql: SORTS[sort].sql,
        constant: false,
        fromParams: [run.s],
      });
    } else sources.push({ from: `(${MATCHED_ROWS_SQL}) r`, sortSql: SORTS[sort].sql, constant: false, fromParams: [] });
  }
  return sources;
}

type SortValue = string | number | null;

/** SQLite's order of sort values: NULL first, numbers by value, text by its UTF-8 bytes (BINARY). */
function compareValues(a: SortValue, b: SortValue): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return Buffer.compare(Buffer.from(String(a), 'utf8'), Buffer.from(String(b), 'utf8'));
}

/**
 * The first `limit` rows of walks that are each already in (value, id) order in direction `dir`,
 * in that order. `sortValue`/`idOf` read a row's sort value and id.
 */
export function mergeWalks<T>(
  walks: T[][],
  dir: 'asc' | 'desc',
  limit: number,
  sortValue: (row: T) => SortValue,
  idOf: (row: T) => number,
): T[] {
  if (walks.length === 1) return (walks[0] ?? []).slice(0, limit);
  const sign = dir === 'asc' ? 1 : -1;
  const heads = walks.map((rows) => ({ rows, next: 0 }));
  const out: T[] = [];
  while (out.length < limit) {
    let best: { rows: T[]; next: number } | null = null;
    let bestRow: T | undefined;
    for (const h of heads) {
      const row = h.rows[h.next];
      if (row === undefined) continue;
      if (
        bestRow === undefined ||
        sign * (compareValues(sortValue(row), sortValue(bestRow)) || idOf(row) - idOf(bestRow)) < 0
      ) {
        best = h;
        bestRow = row;
      }
    }
    if (best === null || bestRow === undefined) break;
    best.next++;
    out.push(bestRow);
  }
  return out;
}
