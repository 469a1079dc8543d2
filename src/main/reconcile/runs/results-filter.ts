import type { ResultsQuery } from '../../../shared/contract/run';
import { currencyExponent, isCurrencyCode } from '../../../shared/money';
import type { Db } from '../../store/open';
import { actionFilterSql } from '../action-filter';
import { CURRENCY_ABS_DIFFERENCE_SQL, CURRENCY_DIFFERENCE_SQL } from '../currency-sort';
import { hasMatchedResults } from './matched-results';

import { compactIdsLike, ensureRunSearchable, runHasCompactRows } from './search-index';
import { tenderClassesSql, tenderProblemSql } from './tender-filter';

/** The SQL of the review screen's filters and sorts over one run's results. */

export const LATEST_ANNOTATION = `COALESCE((SELECT a.status FROM annotations a WHERE a.result_key = r.result_key ORDER BY a.id DESC LIMIT 1), 'open')`;

/**
 * The allow-listed sorts: fixed SQL per column (each with a `(run_id, expression)` index, 004/006),
 * the type of its value in a cursor, and whether it can be NULL (NULLs sort first ascending, last
 * descending, as SQLite orders them). The result id breaks ties in the sort's direction, so every
 * page, and every seek to a cursor, is a walk of one index.
 */
export const SORTS: Record<ResultsQuery['sort'], { sql: string; kind: 'text' | 'number'; nullable: boolean }> = {
  date: { sql: 'r.date', kind: 'text', nullable: true },
  orderRef: { sql: 'r.order_key', kind: 'text', nullable: false },
  code: { sql: 'r.code', kind: 'text', nullable: false },
  severity: {
    sql: `CASE r.severity WHEN 'error' THEN 3 WHEN 'warning' THEN 2 WHEN 'info' THEN 1 ELSE 0 END`,
    kind: 'number',
    nullable: false,
  },
  currency: { sql: 'r.currency', kind: 'text', nullable: false },
  // Within a currency, never minor units across currencies (JPY 21000 is not above USD 161.29):
  // currency code, then the minor units offset and zero-padded (indexes of migration 014).
  difference: { sql: CURRENCY_DIFFERENCE_SQL, kind: 'text', nullable: false },
  absDifference: { sql: CURRENCY_ABS_DIFFERENCE_SQL, kind: 'text', nullable: false },
  storefrontTotal: { sql: 'r.storefront_total', kind: 'number', nullable: true },
  netsuiteTotal: { sql: 'r.netsuite_total', kind: 'number', nullable: true },
};

function decimalToMinor(text: string, currency: string): number {
  const exponent = isCurrencyCode(currency) ? currencyExponent(currency) : 2;
  const [whole = '0', fraction = ''] = text.split('.');
  return Number(whole + fraction.slice(0, exponent).padEnd(exponent, '0'));
}

/**
 * FTS5 trigram phrase: the search text as one quoted phrase (a substring match), quotes doubled.
 * null (LIKE instead) under 3 characters (no trigram) or with a NUL (FTS5 reads C strings).
 */
export function searchPhrase(text: string): string | null {
  return [...text].length >= 3 && !text.includes('\u0000') ? `"${text.replace(/"/g, '""')}"` : null;
}

/** Schema version of a connection (features of migration 006 are used only when present). */
const schemaVersions = new WeakMap<Db, number>();
/** Migration 007's per-side amounts (absent on a workspace opened at an older schema in tests). */
export function hasSideAmounts(db: Db): boolean {
  return (db.pragma('user_version', { simple: true }) as number) >= 7;
}

export function hasResultsSearch(db: Db): boolean {
  let v = schemaVersions.get(db);
  if (v === undefined) {
    v = db.pragma('user_version', { simple: true }) as number;
    // Cache only once at the newest schema: a connection can still be migrated while at an older one.
    if (v >= 6) schemaVersions.set(db, v);
  }
  return v >= 6;
}

export interface Filter {
  whereSql: string;
  params: unknown[];
  /** Any condition besides the run. */
  filtered: boolean;
  /**
   * Whether the compact rows of `matched_results` are read too: always now (a search finds them
   * through `results_search` or their derived text, search-index.ts); kept for the readers' sources.
   */
  compact: boolean;
}

/** The filters of a results query as fixed SQL clauses and bound parameters. */
export function resultsFilter(db: Db, query: ResultsQuery): Filter {
  const where: string[] = ['r.run_id = ?'];
  const params: unknown[] = [query.runId];
  const inList = (column: string, values: readonly string[] | undefined) => {
    if (!values || values.length === 0) return;
    where.push(`${column} IN (${values.map(() => '?').join(',')})`);
    params.push(...values);
  };
  inList('r.code', query.codes);
  inList('r.severity', query.severities);
  inList('r.currency', query.currencies);
  if (query.dateFrom) {
    where.push('r.date >= ?');
    params.push(query.dateFrom);
  }
  if (query.dateTo) {
    where.push('r.date <= ?');
    params.push(query.dateTo);
  }
  if (query.minDifference !== undefined || query.maxDifference !== undefined) {
    // A currency may have compact rows only (migration 026): their difference is 0, and a maximum alone keeps them.
    const compactCurrencies = hasMatchedResults(db)
      ? ' UNION SELECT currency FROM matched_results WHERE run_id = ?'
      : '';
    const currencies = (
      db
        .prepare(`SELECT DISTINCT currency FROM results WHERE run_id = ?${compactCurrencies} ORDER BY 1`)
        .all(...(compactCurrencies ? [query.runId, query.runId] : [query.runId])) as Array<{
        currency: string;
      }>
    ).map((c) => c.currency);
    const parts: string[] = [];
    for (const c of currencies) {
      let clause = 'r.currency = ?';
      params.push(c);
      if (query.minDifference !== undefined) {
        clause += ' AND abs(r.difference) >= ?';
        params.push(decimalToMinor(query.minDifference, c));
      }
      if (query.maxDifference !== undefined) {
        clause += ' AND abs(r.difference) <= ?';
        params.push(decimalToMinor(query.maxDifference, c));
      }
      parts.push(`(${clause})`);
    }
    where.push(parts.length > 0 ? `(${parts.join(' OR ')})` : '0');
  }
  if (query.annotation && query.annotation.length > 0) {
    where.push(`${LATEST_ANNOTATION} IN (${query.annotation.map(() => '?').join(',')})`);
    params.push(...query.annotation);
  }
  if (query.action) {
    where.push(actionFilterSql());
    params.push(query.action);
  }
  // tenders.md §6: the tender filter (tender-filter.ts).
  for (const part of [
    query.tenderProblem ? tenderProblemSql(query.tenderProblem) : null,
    query.tenderClasses?.length
      ? tenderClassesSql(query.runId, query.tenderClasses, db.pragma('user_version', { simple: true }) as number)
      : null,
  ]) {
    if (!part) continue;
    where.push(part.sql);
    params.push(...part.params);
  }
  const searching = !!query.search && query.search.trim() !== '';
  if (query.search && searching) {
    const text = query.search.trim().toLowerCase();
    const phrase = hasResultsSearch(db) ? searchPhrase(text) : null;
    // The run's results enter the index on its first search (migration 022); when the workspace
    // cannot be written now, the same substring match by a scan.
    if (phrase !== null && ensureRunSearchable(db, query.runId)) {
      // Migration 006: the trigram index answers substrings of 3+ characters without a scan.
      where.push('r.id IN (SELECT rowid FROM results_search WHERE results_search MATCH ?)');
      params.push(phrase);
    } else {
      const like = `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      // Compact rows have no stored text: their derived texts are scanned once here, not by each
      // of the query's statements (page segments, count, totals: ≈ 3.4 s each at 1M).
      if (runHasCompactRows(db, query.runId)) {
        where.push("(r.search_text LIKE ? ESCAPE '\\' OR r.id IN (SELECT value FROM json_each(?)))");
        params.push(like, JSON.stringify(compactIdsLike(db, query.runId, like)));
      } else {
        where.push("r.search_text LIKE ? ESCAPE '\\'");
        params.push(like);
      }
    }
  }
  return { whereSql: where.join(' AND '), params, filtered: where.length > 1, compact: true };
}
