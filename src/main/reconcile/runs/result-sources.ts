import type { ResultsQuery } from '../../../shared/contract/run';
import type { Db } from '../../store/open';
import {
  type CompactIndex,
  ensureCompactIndex,
  hasMatchedResults,
  MATCHED_ROWS_BY_ORDER_SQL,
  MATCHED_ROWS_SQL,
  matchedRowsSql,
  matchedStoredRowsSql,
} from './matched-results';
import { SORTS } from './results-filter';

/**
 * The tables a run's results are read from by the review's page query: `results`, and (migration
 * 026) the compact rows of `matched_results`. Each is walked by its own query and the walks are
 * merged in JavaScript by (sort value, id): a `UNION ALL` of the two makes SQLite sort the whole
 * run for every page (docs/benchmarks/reconcile.md, session 8, p8-compact).
 */

export type SortValue = string | number | null;

/** Rows of a source that share one sort value (`where`: SQL over `r`). */
export interface SortGroup {
  where: string;
  params: unknown[];
  value: SortValue;
}

export interface ResultSource {
  /** The FROM clause, aliased `r` (the filters and sorts are SQL over `r`). */
  from: string;
  /** The sort's value for this source (SQL over `r`). */
  sortSql: string;
  /**
   * When the sort's value is the same for all the rows of each group: the groups, in no order.
   * Each group is then walked by id alone (its rows' order in the sort), and which groups a
   * range of values holds is decided here, not in SQL.
   */
  groups?: SortGroup[];
  /** Parameters of `from` (bound before the query's own). */
  fromParams: unknown[];
  /**
   * The same rows in the same index with their stored columns only (no parameters): the offset
   * walk reads only the sort's value and the id, so it needs no record when the filter reads
   * stored columns only (5,001 lookups at offset 5000: 50–200 ms at 1M).
   */
  storedFrom?: string;
}

const COMPACT_ROWS = `(${MATCHED_ROWS_SQL}) r`;

/**
 * Sorts whose value on compact rows is one constant (code `matched`, severity `ok`) or a function
 * of the currency (the difference sorts: difference 0): walked by id in the `(run_id)` index or,
 * per currency, the currency index. Through the sort's expression SQLite would build a temporary
 * B-tree over the whole run (876 ms at 1M, session 8; the difference sorts 0.6–2 s a page).
 */
const COMPACT_GROUPED: Partial<Record<ResultsQuery['sort'], 'one' | 'currency'>> = {
  code: 'one',
  severity: 'one',
  currency: 'currency',
  difference: 'currency',
  absDifference: 'currency',
};

/** Sorts whose compact walk is SQL over an index of a stored column of `matched_results`. */
const COMPACT_SORT_INDEX: Partial<Record<ResultsQuery['sort'], CompactIndex>> = {
  date: 'matched_results_by_run_date',
  storefrontTotal: 'matched_results_by_run_total',
  netsuiteTotal: 'matched_results_by_run_total',
};

/** Whether the run has rows in `matched_results` (only then is there a second walk). */
function runHasCompactRows(db: Db, runId: number): boolean {
  if (!hasMatchedResults(db)) return false;
  return db.prepare('SELECT 1 FROM matched_results WHERE run_id = ? LIMIT 1').get(runId) !== undefined;
}

/**
 * The run's compact rows per currency, each with the sort's value there (read from one row of the
 * currency): the currency index sought once per currency, as the currencies are few.
 */
function currencyGroups(db: Db, runId: number, sortSql: string): SortGroup[] {
  const pick = (after: string) =>
    `SELECT r.currency AS c, ${sortSql} AS v FROM ${COMPACT_ROWS} WHERE r.run_id = ?${after} ORDER BY r.currency LIMIT 1`;
  const first = db.prepare(pick(''));
  const next = db.prepare(pick(' AND r.currency > ?'));
  // Currencies of one value (none for these sorts) are one group: its rows tie, ordered by id.
  const byValue = new Map<string, { currencies: string[]; value: SortValue }>();
  for (
    let row = first.get(runId) as { c: string; v: SortValue } | undefined;
    row !== undefined;
    row = next.get(runId, row.c) as { c: string; v: SortValue } | undefined
  ) {
    const key = `${typeof row.v}:${row.v}`;
    const group = byValue.get(key);
    if (group) group.currencies.push(row.c);
    else byValue.set(key, { currencies: [row.c], value: row.v });
  }
  return [...byValue.values()].map(({ currencies, value }) => ({
    where: `r.currency IN (${currencies.map(() => '?').join(',')})`,
    params: currencies,
    value,
  }));
}

/**
 * The compact rows' source under one sort: a walk of the sort's index (forced: see
 * `matchedRowsSql`) where it is built, else the general walk (the same answers, slower).
 */
function compactSource(db: Db, runId: number, sort: ResultsQuery['sort']): ResultSource {
  const sortSql = SORTS[sort].sql;
  const walking = (index: Parameters<typeof matchedStoredRowsSql>[0]) => ({
    from: `(${matchedRowsSql(index)}) r`,
    storedFrom: `(${matchedStoredRowsSql(index)}) r`,
  });
  const general: ResultSource = { from: COMPACT_ROWS, sortSql, fromParams: [] };
  const grouped = COMPACT_GROUPED[sort];
  if (grouped === 'one') {
    const one = db.prepare(`SELECT ${sortSql} AS v FROM ${COMPACT_ROWS} WHERE r.run_id = ? LIMIT 1`).get(runId) as {
      v: SortValue;
    };
    return {
      ...walking('matched_results_by_run'),
      sortSql,
      fromParams: [],
      groups: [{ where: '1', params: [], value: one.v }],
    };
  }
  if (grouped === 'currency') {
    return ensureCompactIndex(db, 'matched_results_by_run_currency')
      ? {
          ...walking('matched_results_by_run_currency'),
          sortSql,
          fromParams: [],
          groups: currencyGroups(db, runId, sortSql),
        }
      : general;
  }
  if (sort === 'orderRef' && ensureCompactIndex(db, 'matched_results_by_storefront')) {
    const run = db.prepare('SELECT storefront_snapshot_id AS s FROM comparison_runs WHERE id = ?').get(runId) as {
      s: number;
    };
    return { from: `(${MATCHED_ROWS_BY_ORDER_SQL}) r`, sortSql, fromParams: [run.s] };
  }
  const index = COMPACT_SORT_INDEX[sort];
  return index && ensureCompactIndex(db, index) ? { ...walking(index), sortSql, fromParams: [] } : general;
}

/** The sources of a run's results under one sort: `results`, then the compact rows when it has any. */
export function resultSources(db: Db, runId: number, sort: ResultsQuery['sort'], withCompact: boolean): ResultSource[] {
  const sources: ResultSource[] = [{ from: 'results r', sortSql: SORTS[sort].sql, fromParams: [] }];
  if (withCompact && runHasCompactRows(db, runId)) sources.push(compactSource(db, runId, sort));
  return sources;
}

/** SQLite's order of sort values: NULL first, numbers by value, text by its UTF-8 bytes (BINARY). */
export function compareValues(a: SortValue, b: SortValue): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
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

/** A source's groups in the walk's direction (by value). */
export function groupsInOrder(groups: SortGroup[], dir: 'asc' | 'desc'): SortGroup[] {
  const sign = dir === 'asc' ? 1 : -1;
  return [...groups].sort((a, b) => sign * compareValues(a.value, b.value));
}
