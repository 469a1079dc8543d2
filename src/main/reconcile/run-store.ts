import type { z } from 'zod';
import type { ResultCode, Severity } from '../../shared/codes';
import {
  type AnnotationStatus,
  ReconcileRules,
  type ResultDetail,
  type ResultRow,
  type ResultsCursor,
  type ResultsPage,
  type ResultsPageQuery,
  type ResultsQuery,
  type ResultsTotals,
  type RunDiff,
  type RunInfo,
  RunSummary,
} from '../../shared/contract/run';
import { UserError } from '../../shared/errors';
import type { CanonicalRefund } from '../../shared/model';
import { currencyExponent, formatAmount, isCurrencyCode, sumMinor } from '../../shared/money';
import { appendAudit } from '../store/audit';
import { type Db, nowIso } from '../store/open';
import { actionFilterSql } from './action-filter';
import { CURRENCY_ABS_DIFFERENCE_SQL, CURRENCY_DIFFERENCE_SQL } from './currency-sort';
import { type EngineSummary, type ReconcileOutput, type ReconcileResult, sideAmounts } from './engine';
import { comparedOnTotalOnly, hintFor } from './hints';
import { compareLines } from './lines';
import { hydrate } from './match-columns';
import { summaryJson } from './output';
import { withSides } from './side-amounts';
import { readRefundsByRowIds, type StoredRefund } from './snapshot-reader';

/**
 * Runs in the workspace: a run row with its rules and summary, one `results` row per result
 * (with the NetSuite records in result_netsuite_records), annotations keyed by the stable result
 * key, sign-off, the paged results query of the review screen and run-to-run diffs.
 */

function amount(minor: number | null, currency: string): string | null {
  if (minor === null) return null;
  return isCurrencyCode(currency) ? formatAmount(minor, currency) : String(minor);
}

export interface NewRun {
  storefrontSnapshotId: number;
  netsuiteSnapshotId: number;
  storefrontAccountId?: number | null;
  rules: ReconcileRules;
}

export function startRun(db: Db, run: NewRun): number {
  const info = db
    .prepare(
      `INSERT INTO comparison_runs (storefront_snapshot_id, netsuite_snapshot_id, storefront_account_id, rules, status, started_at)
       VALUES (?, ?, ?, ?, 'running', ?)`,
    )
    .run(
      run.storefrontSnapshotId,
      run.netsuiteSnapshotId,
      run.storefrontAccountId ?? null,
      JSON.stringify(run.rules),
      nowIso(),
    );
  return Number(info.lastInsertRowid);
}

export function finishRun(
  db: Db,
  runId: number,
  status: 'complete' | 'failed' | 'cancelled',
  summary?: EngineSummary,
): void {
  db.prepare('UPDATE comparison_runs SET status = ?, summary = ?, finished_at = ? WHERE id = ?').run(
    status,
    summary ? JSON.stringify(summaryJson(summary)) : '{}',
    nowIso(),
    runId,
  );
}

function rowIdOf(refund: unknown): number | null {
  const id = (refund as { rowId?: number }).rowId;
  return typeof id === 'number' ? id : null;
}

const MATCHED_DETAIL = JSON.stringify({ issues: ['matched'] });
const ROWS_PER_INSERT = 64;
const RESULT_COLUMNS =
  'id, run_id, result_key, code, severity, order_ref, order_key, currency, date, storefront_refund_id, storefront_total, netsuite_total, difference, hint, detail, matched_by, search_text';

/**
 * Writes the results of a run as they stream out of the engine: result ids assigned here, rows
 * inserted 64 per statement, hints built only for results that are not `matched` (their records
 * hydrated first, in batches), the constant detail of a plain match not re-serialised. Call inside
 * the run's transaction; `finish()` writes what is buffered.
 */
export class ResultWriter {
  private readonly insertMany;
  private readonly insertOne;
  private readonly linkMany;
  private readonly linkOne;
  private nextId: number;
  private buffer: ReconcileResult[] = [];
  /** Per currency: results, storefront and NetSuite sums as stored (run_result_totals, migration 006). */
  private readonly totals = new Map<string, TotalsRow>();
  written = 0;

  constructor(
    private readonly db: Db,
    private readonly runId: number,
    private readonly onProgress?: (done: number, total: number | null) => void,
    private readonly signal?: AbortSignal,
    private readonly expected: number | null = null,
  ) {
    const tuple = `(${RESULT_COLUMNS.split(',')
      .map(() => '?')
      .join(',')})`;
    this.insertMany = db.prepare(
      `INSERT INTO results (${RESULT_COLUMNS}) VALUES ${new Array(ROWS_PER_INSERT).fill(tuple).join(',')}`,
    );
    this.insertOne = db.prepare(`INSERT INTO results (${RESULT_COLUMNS}) VALUES ${tuple}`);
    this.linkMany = db.prepare(
      `INSERT OR IGNORE INTO result_netsuite_records (result_id, refund_id) VALUES ${new Array(ROWS_PER_INSERT).fill('(?,?)').join(',')}`,
    );
    this.linkOne = db.prepare('INSERT OR IGNORE INTO result_netsuite_records (result_id, refund_id) VALUES (?, ?)');
    this.nextId = (db.prepare('SELECT COALESCE(MAX(id), 0) AS m FROM results').get() as { m: number }).m + 1;
  }

  add(result: ReconcileResult): void {
    this.buffer.push(result);
    if (this.buffer.length >= 2048) this.flush();
  }

  finish(): void {
    this.flush();
    if (hasResultsSearch(this.db)) writeRunTotals(this.db, this.runId, [...this.totals.values()]);
    this.onProgress?.(this.written, this.written);
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    if (this.signal?.aborted) throw new UserError('cancelled', 'The comparison was cancelled; the run was not saved.');
    const results = this.buffer;
    this.buffer = [];
    const toHydrate: CanonicalRefund[] = [];
    for (const r of results) {
      if (r.code === 'matched') continue;
      for (const x of r.storefront) toHydrate.push(x);
      for (const x of r.netsuite) toHydrate.push(x);
    }
    if (toHydrate.length > 0) hydrate(this.db, toHydrate);
    const params: unknown[] = [];
    let rows = 0;
    const links: number[] = [];
    let linkRows = 0;
    const sides: [number, 'storefront' | 'netsuite', string, number][] = [];
    for (const r of results) {
      const id = this.nextId++;
      const comparable = !r.issues.includes('currency_mismatch');
      const sfRowId = r.storefront.length > 0 ? rowIdOf(r.storefront[0]) : null;
      let detail: string;
      if (
        r.code === 'matched' &&
        r.issues.length === 1 &&
        r.storefront.length <= 1 &&
        !r.duplicateOf &&
        !r.duplicateReason &&
        !r.presentment &&
        !r.lines
      ) {
        detail = MATCHED_DETAIL;
      } else {
        const d: Record<string, unknown> = { issues: r.issues };
        if (r.storefront.length > 1) d.storefrontRowIds = r.storefront.map(rowIdOf);
        if (r.duplicateOf) d.duplicateOf = r.duplicateOf;
        if (r.duplicateReason) d.duplicateReason = r.duplicateReason;
        if (r.presentment) d.presentment = true;
        if (r.lines) d.lines = r.lines;
        detail = JSON.stringify(d);
      }
      let search = r.orderRef;
      for (const s of r.storefront) search += ` ${s.id}`;
      for (const n of r.netsuite) search += ` ${n.documentNumber} ${n.id}`;
      let t = this.totals.get(r.currency);
      if (!t) {
        t = { currency: r.currency, n: 0, sf: 0, ns: 0 };
        this.totals.set(r.currency, t);
      }
      t.n++;
      if (comparable) {
        t.sf += r.storefrontTotal ?? 0;
        t.ns += r.netsuiteTotal ?? 0;
      } else {
        // Two currencies: each side's money counts in its own (the CLI summary's rule).
        for (const a of sideAmounts(r)) {
          let c = this.totals.get(a.currency);
          if (!c) {
            c = { currency: a.currency, n: 0, sf: 0, ns: 0 };
            this.totals.set(a.currency, c);
          }
          if (a.side === 'storefront') c.sf += a.amount;
          else c.ns += a.amount;
          sides.push([id, a.side, a.currency, a.amount]);
        }
      }
      params.push(
        id,
        this.runId,
        r.key,
        r.code,
        r.severity,
        r.orderRef,
        r.orderKey,
        r.currency,
        r.date,
        sfRowId,
        comparable ? r.storefrontTotal : null,
        comparable ? r.netsuiteTotal : null,
        comparable ? r.difference : 0,
        r.code === 'matched' && !comparedOnTotalOnly(r) ? '' : hintFor(r),
        detail,
        r.matchedBy,
        search.toLowerCase(),
      );
      if (++rows === ROWS_PER_INSERT) {
        this.insertMany.run(params);
        params.length = 0;
        rows = 0;
      }
      for (const n of r.netsuite) {
        const rowId = rowIdOf(n);
        if (rowId === null) continue;
        links.push(id, rowId);
        linkRows++;
      }
    }
    const width = RESULT_COLUMNS.split(',').length;
    for (let k = 0; k < rows; k++) this.insertOne.run(params.slice(k * width, (k + 1) * width));
    // Results first, then their links (foreign keys hold row by row).
    let k = 0;
    for (; k + ROWS_PER_INSERT <= linkRows; k += ROWS_PER_INSERT) {
      this.linkMany.run(links.slice(2 * k, 2 * (k + ROWS_PER_INSERT)));
    }
    for (; k < linkRows; k++) this.linkOne.run(links[2 * k], links[2 * k + 1]);
    if (sides.length > 0 && hasSideAmounts(this.db)) {
      const insertSide = this.db.prepare(
        'INSERT INTO result_side_amounts (result_id, side, currency, amount) VALUES (?, ?, ?, ?)',
      );
      for (const side of sides) insertSide.run(...side);
    }
    this.written += results.length;
    this.onProgress?.(this.written, this.expected);
  }
}

/** Writes every result of a run (call inside the run's transaction: complete, or no results at all). */
export function storeResults(
  db: Db,
  runId: number,
  output: ReconcileOutput,
  onProgress?: (done: number, total: number) => void,
  signal?: AbortSignal,
): void {
  const total = output.results.length;
  const writer = new ResultWriter(db, runId, (done) => onProgress?.(done, total), signal, total);
  if (signal?.aborted) throw new UserError('cancelled', 'The comparison was cancelled; the run was not saved.');
  for (const r of output.results) writer.add(r);
  writer.finish();
}

interface RunRow {
  id: number;
  storefront_snapshot_id: number;
  netsuite_snapshot_id: number;
  storefront_account_id: number | null;
  rules: string;
  status: RunInfo['status'];
  summary: string;
  started_at: string;
  finished_at: string | null;
}

function toRunInfo(db: Db, row: RunRow): RunInfo {
  const summary = RunSummary.safeParse(JSON.parse(row.summary));
  const signoffs = db
    .prepare('SELECT role, name, signed_at FROM run_signoffs WHERE run_id = ? ORDER BY role')
    .all(row.id) as Array<{ role: 'preparer' | 'reviewer'; name: string; signed_at: string }>;
  return {
    id: row.id,
    storefrontSnapshotId: row.storefront_snapshot_id,
    netsuiteSnapshotId: row.netsuite_snapshot_id,
    storefrontAccountId: row.storefront_account_id,
    rules: ReconcileRules.parse(JSON.parse(row.rules)),
    status: row.status,
    summary: summary.success ? summary.data : null,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    signoffs: signoffs.map((s) => ({ role: s.role, name: s.name, signedAt: s.signed_at })),
  };
}

export function listRuns(db: Db): RunInfo[] {
  return (db.prepare('SELECT * FROM comparison_runs ORDER BY id DESC').all() as RunRow[]).map((r) => toRunInfo(db, r));
}

export function getRun(db: Db, runId: number): RunInfo {
  const row = db.prepare('SELECT * FROM comparison_runs WHERE id = ?').get(runId) as RunRow | undefined;
  if (!row) throw new UserError('run_not_found', `There is no comparison run ${runId} in this workspace.`);
  return toRunInfo(db, row);
}

const LATEST_ANNOTATION = `COALESCE((SELECT a.status FROM annotations a WHERE a.result_key = r.result_key ORDER BY a.id DESC LIMIT 1), 'open')`;

/**
 * The allow-listed sorts: fixed SQL per column (each with a `(run_id, expression)` index, 004/006),
 * the type of its value in a cursor, and whether it can be NULL (NULLs sort first ascending, last
 * descending, as SQLite orders them). The result id breaks ties in the sort's direction, so every
 * page, and every seek to a cursor, is a walk of one index.
 */
const SORTS: Record<ResultsQuery['sort'], { sql: string; kind: 'text' | 'number'; nullable: boolean }> = {
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
function hasSideAmounts(db: Db): boolean {
  return (db.pragma('user_version', { simple: true }) as number) >= 7;
}

function hasResultsSearch(db: Db): boolean {
  let v = schemaVersions.get(db);
  if (v === undefined) {
    v = db.pragma('user_version', { simple: true }) as number;
    // Cache only once at the newest schema: a connection can still be migrated while at an older one.
    if (v >= 6) schemaVersions.set(db, v);
  }
  return v >= 6;
}

interface Filter {
  whereSql: string;
  params: unknown[];
  /** Any condition besides the run. */
  filtered: boolean;
}

/** The filters of a results query as fixed SQL clauses and bound parameters. */
function resultsFilter(db: Db, query: ResultsQuery): Filter {
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
    const currencies = (
      db.prepare('SELECT DISTINCT currency FROM results WHERE run_id = ?').all(query.runId) as Array<{
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
  if (query.search && query.search.trim() !== '') {
    const text = query.search.trim().toLowerCase();
    const phrase = hasResultsSearch(db) ? searchPhrase(text) : null;
    if (phrase !== null) {
      // Migration 006: the trigram index answers substrings of 3+ characters without a scan.
      where.push('r.id IN (SELECT rowid FROM results_search WHERE results_search MATCH ?)');
      params.push(phrase);
    } else {
      where.push("r.search_text LIKE ? ESCAPE '\\'");
      params.push(`%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
    }
  }
  return { whereSql: where.join(' AND '), params, filtered: where.length > 1 };
}

type TotalsRow = { currency: string; n: number; sf: number; ns: number };

function formatTotals(rows: TotalsRow[]): ResultsPage['totals'] {
  const totals: ResultsPage['totals'] = {};
  for (const t of rows) {
    totals[t.currency] = {
      storefront: amount(t.sf, t.currency)!,
      netsuite: amount(t.ns, t.currency)!,
      difference: amount(t.sf - t.ns, t.currency)!,
    };
  }
  return totals;
}

/**
 * The unfiltered count and totals of a run, from `run_result_totals` (written by ResultWriter);
 * for a run stored before migration 006, computed once and stored (when the workspace is writable
 * and the run complete). Not the run summary's totals: those count the storefront side of a
 * currency mismatch in its own currency, where `results` (and so every filtered total) has NULL.
 */
function storedTotals(db: Db, runId: number, status: RunInfo['status']): TotalsRow[] {
  const current = hasResultsSearch(db);
  const stored = !current
    ? []
    : (db
        .prepare(
          'SELECT currency, results AS n, storefront AS sf, netsuite AS ns FROM run_result_totals WHERE run_id = ? ORDER BY currency',
        )
        .all(runId) as TotalsRow[]);
  if (stored.length > 0) return stored;
  const rows = db
    .prepare(
      `SELECT r.currency, count(*) AS n, sum(coalesce(r.storefront_total, 0)) AS sf, sum(coalesce(r.netsuite_total, 0)) AS ns
       FROM results r WHERE r.run_id = ? GROUP BY r.currency ORDER BY r.currency`,
    )
    .all(runId) as TotalsRow[];
  if (current && status === 'complete' && !db.readonly) {
    try {
      writeRunTotals(db, runId, rows);
    } catch {
      // A cache: a workspace that cannot be written (busy, read-only file) computes them again next time.
    }
  }
  return rows;
}

function writeRunTotals(db: Db, runId: number, rows: TotalsRow[]): void {
  const insert = db.prepare(
    'INSERT OR REPLACE INTO run_result_totals (run_id, currency, results, storefront, netsuite) VALUES (?, ?, ?, ?, ?)',
  );
  for (const t of rows) insert.run(runId, t.currency, t.n, t.sf, t.ns);
}

function mergeTotals(a: TotalsRow[], b: TotalsRow[]): TotalsRow[] {
  const by = new Map<string, TotalsRow>();
  for (const t of [...a, ...b]) {
    const m = by.get(t.currency);
    if (m) {
      m.n += t.n;
      m.sf += t.sf;
      m.ns += t.ns;
    } else by.set(t.currency, { ...t });
  }
  return [...by.values()].sort((x, y) => (x.currency < y.currency ? -1 : x.currency > y.currency ? 1 : 0));
}

function countAndTotals(
  db: Db,
  run: RunInfo,
  f: Filter,
  want: { count: boolean; totals: boolean },
): { total: number; totals: ResultsPage['totals']; stored: boolean } {
  if (!want.count && !want.totals) return { total: -1, totals: {}, stored: false };
  if (!f.filtered) {
    const rows = storedTotals(db, run.id, run.status);
    return {
      total: rows.reduce((n, t) => n + t.n, 0),
      totals: want.totals ? formatTotals(rows) : {},
      stored: true,
    };
  }
  if (!want.totals) {
    const n = (db.prepare(`SELECT count(*) AS n FROM results r WHERE ${f.whereSql}`).get(...f.params) as { n: number })
      .n;
    return { total: n, totals: {}, stored: false };
  }
  // `+r.currency`: the currency index must not be chosen for its order (it reads the whole run);
  // the filter's own index decides (a code filter: 0.44 s → 10 ms on 1M results).
  const comparable = db
    .prepare(
      `SELECT r.currency, count(*) AS n, sum(coalesce(r.storefront_total, 0)) AS sf, sum(coalesce(r.netsuite_total, 0)) AS ns
       FROM results r WHERE ${f.whereSql} GROUP BY +r.currency ORDER BY +r.currency`,
    )
    .all(...f.params) as TotalsRow[];
  // Results in two currencies add each side in its own (result_side_amounts, migration 007).
  const twoCurrency = hasSideAmounts(db)
    ? (db
        .prepare(
          `SELECT a.currency, 0 AS n,
                  sum(CASE WHEN a.side = 'storefront' THEN a.amount ELSE 0 END) AS sf,
                  sum(CASE WHEN a.side = 'netsuite' THEN a.amount ELSE 0 END) AS ns
           FROM results r JOIN result_side_amounts a ON a.result_id = r.id
           WHERE ${f.whereSql} GROUP BY a.currency`,
        )
        .all(...f.params) as TotalsRow[])
    : [];
  const rows = mergeTotals(comparable, twoCurrency);
  return { total: rows.reduce((n, t) => n + t.n, 0), totals: formatTotals(rows), stored: false };
}

/** `run:totals`: the count and per-currency totals under the query's filters (paging and sort ignored). */
export function queryTotals(db: Db, query: ResultsQuery): ResultsTotals {
  const run = getRun(db, query.runId);
  return countAndTotals(db, run, resultsFilter(db, query), { count: true, totals: true });
}

interface Segment {
  clause: string;
  params: unknown[];
  byId?: boolean;
}

/**
 * The index ranges, in order, that follow a cursor in one direction: the rest of the cursor's tie
 * group (by id), then the values beyond it, then (descending) the NULLs. Each is one index seek.
 */
function seekSegments(
  sort: (typeof SORTS)[keyof typeof SORTS],
  dir: 'asc' | 'desc',
  cursor: ResultsCursor | null,
): Segment[] {
  if (cursor === null) return [{ clause: '1', params: [] }];
  const x = sort.sql;
  const { value, id } = cursor;
  // A tie group is ordered by id alone: SQLite does not see an expression fixed by `=` as sorted.
  if (dir === 'asc') {
    if (value === null) {
      return [
        { clause: `${x} IS NULL AND r.id > ?`, params: [id], byId: true },
        { clause: `${x} IS NOT NULL`, params: [] },
      ];
    }
    return [
      { clause: `${x} = ? AND r.id > ?`, params: [value, id], byId: true },
      { clause: `${x} > ?`, params: [value] },
    ];
  }
  if (value === null) return [{ clause: `${x} IS NULL AND r.id < ?`, params: [id], byId: true }];
  const segments: Segment[] = [
    { clause: `${x} = ? AND r.id < ?`, params: [value, id], byId: true },
    { clause: `${x} < ?`, params: [value] },
  ];
  if (sort.nullable) segments.push({ clause: `${x} IS NULL`, params: [] });
  return segments;
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
  const f = resultsFilter(db, query);
  const { total, totals } = countAndTotals(db, run, f, {
    count: query.count !== false,
    totals: query.totals !== false,
  });
  const sort = SORTS[query.sort];
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
    const orderSql = `${sort.sql} ${dir.toUpperCase()}, r.id ${dir.toUpperCase()}`;
    const anchor = db
      .prepare(
        `SELECT ${sort.sql} AS v, r.id AS id FROM results r WHERE ${f.whereSql} ORDER BY ${orderSql} LIMIT 1 OFFSET ?`,
      )
      .get(...f.params, query.offset) as { v: string | number | null; id: number } | undefined;
    if (anchor === undefined) empty = true;
    // The anchor row itself is the first of the page: seek from just before it.
    else cursor = { value: anchor.v, id: dir === 'asc' ? anchor.id - 1 : anchor.id + 1 };
  }
  const walk = backwards ? (dir === 'asc' ? 'desc' : 'asc') : dir;
  const byValue = `${sort.sql} ${walk.toUpperCase()}, r.id ${walk.toUpperCase()}`;
  const byId = `r.id ${walk.toUpperCase()}`;
  const rows: Array<Record<string, unknown>> = [];
  if (!empty) {
    for (const seg of seekSegments(sort, walk, cursor)) {
      const want = query.limit - rows.length;
      if (want <= 0) break;
      const orderSql = seg.byId ? byId : byValue;
      const part = db
        .prepare(
          `SELECT r.id, r.result_key, r.code, r.severity, r.order_ref, r.currency, r.date, r.storefront_total, r.netsuite_total,
                  r.difference, r.hint, r.detail, sf.source_id AS sf_id, ${LATEST_ANNOTATION} AS annotation, ${sort.sql} AS sort_value
           FROM results r LEFT JOIN refunds sf ON sf.id = r.storefront_refund_id
           WHERE ${f.whereSql} AND ${seg.clause} ORDER BY ${orderSql} LIMIT ?`,
        )
        .all(...f.params, ...seg.params, want) as Array<Record<string, unknown>>;
      for (const r of part) rows.push(r);
    }
    if (backwards) rows.reverse();
  }
  const docs = new Map<number, string[]>();
  if (rows.length > 0) {
    const ids = rows.map((r) => r.id as number);
    const docRows = db
      .prepare(
        `SELECT l.result_id, n.document_number, n.source_id FROM result_netsuite_records l JOIN refunds n ON n.id = l.refund_id
         WHERE l.result_id IN (${ids.map(() => '?').join(',')}) ORDER BY l.result_id, n.id`,
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

function toResultRow(row: Record<string, unknown>, docs: Map<number, string[]>): ResultRow {
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

export function resultDetail(db: Db, resultId: number): ResultDetail {
  const row = db
    .prepare(
      `SELECT r.*, sf.source_id AS sf_id, ${LATEST_ANNOTATION} AS annotation FROM results r
       LEFT JOIN refunds sf ON sf.id = r.storefront_refund_id WHERE r.id = ?`,
    )
    .get(resultId) as Record<string, unknown> | undefined;
  if (!row) throw new UserError('result_not_found', `There is no result ${resultId} in this workspace.`);
  const run = getRun(db, row.run_id as number);
  const detail = JSON.parse(row.detail as string) as {
    issues?: ResultCode[];
    storefrontRowIds?: number[];
    lines?: unknown;
  };
  const nsRowIds = (
    db
      .prepare('SELECT refund_id FROM result_netsuite_records WHERE result_id = ? ORDER BY refund_id')
      .all(resultId) as Array<{
      refund_id: number;
    }>
  ).map((r) => r.refund_id);
  const sfRowIds = detail.storefrontRowIds ?? (row.storefront_refund_id ? [row.storefront_refund_id as number] : []);
  const storefront = readRefundsByRowIds(db, sfRowIds);
  const netsuite = readRefundsByRowIds(db, nsRowIds);
  const docs = new Map<number, string[]>([[resultId, netsuite.map((n) => n.documentNumber || n.id)]]);
  const currency = row.currency as string;
  const lines =
    storefront.length > 0 && netsuite.length > 0
      ? compareLines(storefront, netsuite, run.rules.itemMapping, 0, true).lines
      : [];
  const fmt = (r: StoredRefund) => amount(r.total, r.currency)!;
  // Each side's shipping, tax and adjustment, summed in that side's currency (none when it has no
  // record, or its records are in more than one currency).
  const parts = (refunds: StoredRefund[]) => {
    const c = refunds[0]?.currency;
    if (!c || refunds.some((r) => r.currency !== c)) return null;
    const sum = (pick: (r: StoredRefund) => number) => amount(sumMinor(refunds.map(pick)), c)!;
    return {
      currency: c,
      shipping: sum((r) => r.shipping),
      tax: sum((r) => r.tax),
      adjustment: sum((r) => r.adjustment),
    };
  };
  return {
    row: withSides(db, [toResultRow(row, docs)])[0]!,
    issues: detail.issues ?? [row.code as ResultCode],
    matchedBy: row.matched_by as string,
    storefront: storefront.map((s) => ({
      id: s.id,
      documentNumber: s.documentNumber,
      total: fmt(s),
      date: s.date,
      kind: s.kind,
    })),
    netsuite: netsuite.map((n) => ({
      id: n.id,
      documentNumber: n.documentNumber,
      recordType: n.recordType,
      total: fmt(n),
      date: n.date,
      createdFrom: n.createdFrom ? `${n.createdFrom.type} ${n.createdFrom.ref}` : null,
    })),
    // A Customer Refund only pays out its Credit Memo: the memo carries the parts.
    parts: {
      storefront: parts(storefront),
      netsuite: parts(netsuite.filter((n) => n.recordType !== 'customerRefund')),
    },
    lines: lines.map((l) => ({
      sku: l.sku,
      role: l.role,
      status: l.status,
      storefront: l.storefront
        ? { quantity: l.storefront.quantity, amount: amount(l.storefront.amount, currency)! }
        : null,
      netsuite: l.netsuite ? { quantity: l.netsuite.quantity, amount: amount(l.netsuite.amount, currency)! } : null,
    })),
    annotations: annotationHistory(db, row.result_key as string).map((a) => ({
      status: a.status,
      reason: a.reason,
      note: a.note,
      author: a.author,
      createdAt: a.createdAt,
    })),
  };
}

export function setAnnotation(
  db: Db,
  input: { resultKey: string; status: AnnotationStatus; reason: string; note: string; author: string },
): number {
  if ((input.status === 'explained' || input.status === 'ignored') && input.reason.trim() === '') {
    throw new UserError(
      'reason_required',
      `A result marked "${input.status}" needs a reason (for the reviewer and the audit trail). Add one and save again.`,
      { field: 'reason' },
    );
  }
  const info = db
    .prepare('INSERT INTO annotations (result_key, status, reason, note, author, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(input.resultKey, input.status, input.reason.trim(), input.note, input.author, nowIso());
  return Number(info.lastInsertRowid);
}

export function annotationHistory(db: Db, resultKey: string) {
  return (
    db
      .prepare('SELECT id, status, reason, note, author, created_at FROM annotations WHERE result_key = ? ORDER BY id')
      .all(resultKey) as Array<{
      id: number;
      status: AnnotationStatus;
      reason: string;
      note: string;
      author: string;
      created_at: string;
    }>
  ).map((a) => ({
    id: a.id,
    status: a.status,
    reason: a.reason,
    note: a.note,
    author: a.author,
    createdAt: a.created_at,
  }));
}

export function signOff(db: Db, runId: number, role: 'preparer' | 'reviewer', name: string): RunInfo {
  const run = getRun(db, runId);
  if (run.status !== 'complete') {
    throw new UserError('run_not_complete', `Run ${runId} is ${run.status}; only a complete run can be signed off.`);
  }
  const preparer = run.signoffs.find((s) => s.role === 'preparer');
  if (role === 'reviewer' && !preparer) {
    throw new UserError(
      'preparer_first',
      `Run ${runId} has no preparer sign-off yet; the preparer signs first, then the reviewer.`,
    );
  }
  if (role === 'reviewer' && preparer && preparer.name.trim().toLowerCase() === name.trim().toLowerCase()) {
    throw new UserError(
      'reviewer_is_preparer',
      `The reviewer of run ${runId} must be someone other than its preparer (${preparer.name}).`,
    );
  }
  db.transaction(() => {
    const before = run.signoffs.find((s) => s.role === role) ?? null;
    db.prepare('INSERT OR REPLACE INTO run_signoffs (run_id, role, name, signed_at) VALUES (?, ?, ?, ?)').run(
      runId,
      role,
      name.trim(),
      nowIso(),
    );
    appendAudit(db, {
      actor: name.trim(),
      action: `run.signoff.${role}`,
      entity: `run:${runId}`,
      before,
      after: { role, name },
    });
  })();
  return getRun(db, runId);
}

interface KeyState {
  code: ResultCode;
  difference: number;
  currency: string;
  orderRef: string;
}

function keyStates(db: Db, runId: number): Map<string, KeyState> {
  const map = new Map<string, KeyState>();
  const stmt = db
    .prepare('SELECT result_key, code, difference, currency, order_ref FROM results WHERE run_id = ?')
    .raw(true);
  for (const row of stmt.iterate(runId) as IterableIterator<[string, ResultCode, number, string, string]>) {
    map.set(row[0], { code: row[1], difference: row[2], currency: row[3], orderRef: row[4] });
  }
  return map;
}

/**
 * What changed between two runs, keyed by the stable result key: `new` (a problem now that was
 * not one before), `resolved` (a problem before, matched or gone now), `changed` (a problem in
 * both, with another code or difference).
 */
export function diffRuns(db: Db, fromRunId: number, toRunId: number, limit = 1000): RunDiff {
  getRun(db, fromRunId);
  getRun(db, toRunId);
  const before = keyStates(db, fromRunId);
  const after = keyStates(db, toRunId);
  const problem = (s: KeyState | undefined) => s !== undefined && s.code !== 'matched';
  const entry = (key: string, b: KeyState | undefined, a: KeyState | undefined) => ({
    key,
    orderRef: (a ?? b)!.orderRef,
    before: b ? { code: b.code, difference: amount(b.difference, b.currency)!, currency: b.currency } : null,
    after: a ? { code: a.code, difference: amount(a.difference, a.currency)!, currency: a.currency } : null,
  });
  const out: RunDiff = {
    fromRunId,
    toRunId,
    counts: { new: 0, resolved: 0, changed: 0, unchanged: 0 },
    new: [],
    resolved: [],
    changed: [],
    truncated: false,
  };
  const push = (list: RunDiff['new'], value: RunDiff['new'][number]) => {
    if (list.length < limit) list.push(value);
    else out.truncated = true;
  };
  const keys = new Set<string>([...before.keys(), ...after.keys()]);
  for (const key of [...keys].sort()) {
    const b = before.get(key);
    const a = after.get(key);
    if (!problem(b) && problem(a)) {
      out.counts.new++;
      push(out.new, entry(key, b, a));
    } else if (problem(b) && !problem(a)) {
      out.counts.resolved++;
      push(out.resolved, entry(key, b, a));
    } else if (
      problem(b) &&
      problem(a) &&
      (b!.code !== a!.code || b!.difference !== a!.difference || b!.currency !== a!.currency)
    ) {
      out.counts.changed++;
      push(out.changed, entry(key, b, a));
    } else out.counts.unchanged++;
  }
  return out;
}
