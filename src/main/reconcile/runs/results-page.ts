import type { z } from 'zod';
import type { ResultCode, Severity } from '../../../shared/codes';
import type {
  AnnotationStatus,
  ResultRow,
  ResultsCursor,
  ResultsPage,
  ResultsPageQuery,
  ResultsQuery,
} from '../../../shared/contract/run';
import { UserError } from '../../../shared/errors';
import type { Db } from '../../store/open';
import { withSides } from '../side-amounts';
import { amount } from './amount';
import { hasMatchedResults, MATCHED_NETSUITE_LINKS_SQL, readsStoredColumnsOnly } from './matched-results';
import {
  compareValues,
  groupsInOrder,
  mergeWalks,
  type ResultSource,
  resultSources,
  type SortValue,
} from './result-sources';
import { type Filter, LATEST_ANNOTATION, resultsFilter, SORTS } from './results-filter';
import { ensureReviewIndexes } from './review-indexes';
import { getRun } from './runs';
import { countAndTotals } from './totals';
import { ensureNetsuiteLinksView } from './writer';

/** The paged results query of the review screen (keyset cursors both ways). */

interface Segment {
  clause: string;
  params: unknown[];
  byId?: boolean;
  /** The same range for rows sharing one sort value (a source's group): whether it holds that value… */
  holds: (value: SortValue) => boolean;
  /** …and the bound on their ids ('1' for none). */
  idClause: string;
  idParams: unknown[];
}

/** A segment: a range of the sort's values (SQL over `x`, and the same test in JavaScript), then of ids. Exported for its property test. */
export function segment(
  x: string,
  range: { op: '=' | '>' | '<'; value: SortValue } | 'null' | 'notNull' | 'all',
  id?: { op: '>' | '<'; id: number },
): Segment {
  const idClause = id ? `r.id ${id.op} ?` : '1';
  const idParams = id ? [id.id] : [];
  const byId = id !== undefined;
  const withId = (clause: string, params: unknown[], holds: Segment['holds']): Segment => ({
    clause: id ? `${clause} AND ${idClause}` : clause,
    params: [...params, ...idParams],
    byId,
    holds,
    idClause,
    idParams,
  });
  if (range === 'all') return withId('1', [], () => true);
  if (range === 'null') return withId(`${x} IS NULL`, [], (v) => v === null);
  if (range === 'notNull') return withId(`${x} IS NOT NULL`, [], (v) => v !== null);
  const { op, value } = range;
  // SQL's comparisons with NULL are never true.
  const test = op === '=' ? (c: number) => c === 0 : op === '>' ? (c: number) => c > 0 : (c: number) => c < 0;
  return withId(`${x} ${op} ?`, [value], (v) => v !== null && test(compareValues(v, value)));
}

/**
 * The index ranges, in order, that follow a cursor in one direction: the rest of the cursor's tie
 * group (by id), then the values beyond it, then (descending) the NULLs. Each is one index seek.
 */
function seekSegments(
  sort: (typeof SORTS)[keyof typeof SORTS],
  x: string,
  dir: 'asc' | 'desc',
  cursor: ResultsCursor | null,
): Segment[] {
  if (cursor === null) return [segment(x, 'all')];
  const { value, id } = cursor;
  // A tie group is ordered by id alone: SQLite does not see an expression fixed by `=` as sorted.
  if (dir === 'asc') {
    if (value === null) return [segment(x, 'null', { op: '>', id }), segment(x, 'notNull')];
    return [segment(x, { op: '=', value }, { op: '>', id }), segment(x, { op: '>', value })];
  }
  if (value === null) return [segment(x, 'null', { op: '<', id })];
  const segments: Segment[] = [segment(x, { op: '=', value }, { op: '<', id }), segment(x, { op: '<', value })];
  if (sort.nullable) segments.push(segment(x, 'null'));
  return segments;
}

/**
 * A source's walk of one segment in direction `dir`: `limit` rows of `select` (over `r` and the
 * tables of `join`), after the filter. A grouped source walks each of its groups the segment
 * holds, in value order, by id.
 */
function walkSegment<T>(
  db: Db,
  source: ResultSource,
  f: Filter,
  seg: Segment,
  dir: 'asc' | 'desc',
  limit: number,
  select: string,
  join = '',
): T[] {
  const d = dir.toUpperCase();
  const sql = (where: string, order: string) =>
    `SELECT ${select} FROM ${source.from} ${join} WHERE ${f.whereSql} AND ${where} ORDER BY ${order} LIMIT ?`;
  if (source.groups === undefined) {
    const order = seg.byId ? `r.id ${d}` : `${source.sortSql} ${d}, r.id ${d}`;
    return db.prepare(sql(seg.clause, order)).all(...source.fromParams, ...f.params, ...seg.params, limit) as T[];
  }
  let rows: T[] = [];
  for (const group of groupsInOrder(source.groups, dir)) {
    if (rows.length >= limit) break;
    if (!seg.holds(group.value)) continue;
    const more = db
      .prepare(sql(`${group.where} AND ${seg.idClause}`, `r.id ${d}`))
      .all(...source.fromParams, ...f.params, ...group.params, ...seg.idParams, limit - rows.length) as T[];
    rows = rows.concat(more);
  }
  return rows;
}

/**
 * The row at `offset` in the page's order: found by walking each source's sort alone, merged.
 * With `results` alone, SQLite's OFFSET walks the sort's index without reading rows.
 */
function offsetAnchor(
  db: Db,
  sources: ResultSource[],
  f: Filter,
  dir: 'asc' | 'desc',
  offset: number,
): { v: SortValue; id: number } | undefined {
  const d = dir.toUpperCase();
  const [only] = sources;
  if (sources.length === 1 && only && only.groups === undefined) {
    return db
      .prepare(
        `SELECT ${only.sortSql} AS v, r.id AS id FROM ${only.from} WHERE ${f.whereSql}
         ORDER BY ${only.sortSql} ${d}, r.id ${d} LIMIT 1 OFFSET ?`,
      )
      .get(...only.fromParams, ...f.params, offset) as { v: SortValue; id: number } | undefined;
  }
  const walks = sources.map((s) =>
    walkSegment<{ v: SortValue; id: number }>(
      db,
      s.storedFrom && readsStoredColumnsOnly(`${f.whereSql} ${s.sortSql}`) ? { ...s, from: s.storedFrom } : s,
      f,
      segment(s.sortSql, 'all'),
      dir,
      offset + 1,
      `${s.sortSql} AS v, r.id AS id`,
    ),
  );
  return mergeWalks(
    walks,
    dir,
    offset + 1,
    (r) => r.v,
    (r) => r.id,
  )[offset];
}

function checkCursor(sort: (typeof SORTS)[keyof typeof SORTS], cursor: ResultsCursor, name: string): void {
  const ok =
    cursor.value === null
      ? sort.nullable
      : sort.kind === 'number'
        ? typeof cursor.value === 'number' && Number.isSafeInteger(cursor.value)
        : typeof cursor.value === 'string';
  if (!ok) {
    throw new UserError(
      'invalid_cursor',
      `The "${name}" cursor does not belong to this sort (expected a ${sort.kind}${sort.nullable ? ' or null' : ''} value, found ${cursor.value === null ? 'null' : typeof cursor.value}). Ask for the page again without a cursor.`,
      { field: name },
    );
  }
}

/**
 * The review screen's query: filters, search, allow-listed sort, a page, and (unless asked not
 * to) the count and totals that follow the filters. Pages are keyset seeks: `after`/`before` a
 * cursor, or at an offset found by walking the sort's index alone (no table rows, no joins), then
 * sought like a cursor.
 */
type PageOptions = Partial<Pick<z.output<typeof ResultsPageQuery>, 'after' | 'before' | 'totals' | 'count'>>;

export function queryResults(db: Db, query: ResultsQuery & PageOptions): ResultsPage {
  const run = getRun(db, query.runId);
  ensureReviewIndexes(db, query);
  const f = resultsFilter(db, query);
  const { total, totals } = countAndTotals(db, run, f, {
    count: query.count !== false,
    totals: query.totals !== false,
  });
  const sort = SORTS[query.sort];
  const sources = resultSources(db, query.runId, query.sort, f.compact);
  const dir = query.direction === 'asc' ? 'asc' : 'desc';
  let cursor: ResultsCursor | null = null;
  let backwards = false;
  let empty = false;
  if (query.after) {
    checkCursor(sort, query.after, 'after');
    cursor = query.after;
  } else if (query.before) {
    checkCursor(sort, query.before, 'before');
    cursor = query.before;
    backwards = true;
  } else if (query.offset > 0) {
    const anchor = offsetAnchor(db, sources, f, dir, query.offset);
    if (anchor === undefined) empty = true;
    // The anchor row itself is the first of the page: seek from just before it.
    else cursor = { value: anchor.v, id: dir === 'asc' ? anchor.id - 1 : anchor.id + 1 };
  }
  const walk = backwards ? (dir === 'asc' ? 'desc' : 'asc') : dir;
  let rows: Array<Record<string, unknown>> = [];
  if (!empty) {
    const segments = sources.map((s) => seekSegments(sort, s.sortSql, walk, cursor));
    // The segments of every source cover the same ranges of (value, id), in order.
    const ranges = segments[0]?.length ?? 0;
    for (let i = 0; i < ranges; i++) {
      const want = query.limit - rows.length;
      if (want <= 0) break;
      const walks = sources.map((source, s) => {
        const seg = segments[s]?.[i];
        if (seg === undefined) return [];
        return walkSegment<Record<string, unknown>>(
          db,
          source,
          f,
          seg,
          walk,
          want,
          `r.id, r.result_key, r.code, r.severity, r.order_ref, r.currency, r.date, r.storefront_total, r.netsuite_total,
           r.difference, r.hint, r.detail, sf.source_id AS sf_id, ${LATEST_ANNOTATION} AS annotation, ${source.sortSql} AS sort_value`,
          'LEFT JOIN refunds sf ON sf.id = r.storefront_refund_id',
        );
      });
      rows = rows.concat(
        mergeWalks(
          walks,
          walk,
          want,
          (r) => (r.sort_value as string | number | null) ?? null,
          (r) => r.id as number,
        ),
      );
    }
    if (backwards) rows.reverse();
  }
  const docs = new Map<number, string[]>();
  if (rows.length > 0) {
    const ids = rows.map((r) => r.id as number);
    ensureNetsuiteLinksView(db);
    const links = hasMatchedResults(db)
      ? `(SELECT result_id, refund_id FROM result_netsuite_refunds UNION ALL ${MATCHED_NETSUITE_LINKS_SQL})`
      : 'result_netsuite_refunds';
    const marks = ids.map(() => '?').join(',');
    const docRows = db
      .prepare(
        `SELECT l.result_id, n.document_number, n.source_id FROM ${links} l JOIN refunds n ON n.id = l.refund_id
         WHERE l.result_id IN (${marks}) ORDER BY l.result_id, n.id`,
      )
      .all(...ids) as Array<{ result_id: number; document_number: string; source_id: string }>;
    for (const d of docRows) {
      const list = docs.get(d.result_id) ?? [];
      list.push(d.document_number || d.source_id);
      docs.set(d.result_id, list);
    }
  }
  const cursorOf = (r: Record<string, unknown> | undefined): ResultsCursor | null =>
    r ? { value: (r.sort_value as string | number | null) ?? null, id: r.id as number } : null;
  return {
    total,
    offset: query.offset,
    rows: withSides(
      db,
      rows.map((row) => toResultRow(row, docs)),
    ),
    totals,
    first: cursorOf(rows[0]),
    last: cursorOf(rows.at(-1)),
  };
}

export function toResultRow(row: Record<string, unknown>, docs: Map<number, string[]>): ResultRow {
  const currency = row.currency as string;
  const code = row.code as ResultCode;
  const stored = row.hint as string;
  return {
    id: row.id as number,
    key: row.result_key as string,
    code,
    severity: row.severity as Severity,
    orderRef: row.order_ref as string,
    currency,
    date: (row.date as string | null) ?? null,
    storefrontRefundId: (row.sf_id as string | null) ?? null,
    netsuiteDocuments: docs.get(row.id as number) ?? [],
    storefrontTotal: amount(row.storefront_total as number | null, currency),
    netsuiteTotal: amount(row.netsuite_total as number | null, currency),
    difference: amount(row.difference as number, currency)!,
    hint:
      stored ||
      (code === 'matched'
        ? `Storefront and NetSuite agree on ${currency} ${amount(row.storefront_total as number | null, currency) ?? ''}.`
        : ''),
    annotation: row.annotation as AnnotationStatus,
  };
}
