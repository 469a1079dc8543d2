import type { ReconcileRules } from '../../../shared/contract/run';
import { UserError } from '../../../shared/errors';
import type { CanonicalRefund } from '../../../shared/model';
import { type Db, nowIso } from '../../store/open';
import { type EngineSummary, type ReconcileOutput, type ReconcileResult, sideAmounts } from '../engine';
import { comparedOnTotalOnly, hintFor } from '../hints';
import { hydrate } from '../match-columns';
import { summaryJson } from '../output';
import type { PlainPairBatch } from '../plain-pairs';
import { resultSearchText } from '../search-text';
import { storedTendersText, tenderClassBits } from '../tender-output';
import { isCompactable, rowIdOf } from './compactable';
import { dropCompactIndexes, MATCHED_RESULTS_VERSION, matchedByCode, maxMatchedResultId } from './matched-results';
import { PendingPlainPairs, plainPairCompactable } from './plain-rows';
import { hasResultsSearch, hasSideAmounts } from './results-filter';
import { dropReviewIndexesForLargeRun } from './review-indexes';
import { maxSearchIndexedId } from './search-index';
import { type TotalsRow, writeRunTotals } from './totals';

/** Writing a run: the run row with its rules, its results (batched inserts) and its totals. */

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

/** The schema from which a result's one NetSuite record is stored in its row (migration 024). */
const NETSUITE_COLUMN_VERSION = 24;
/** The schema from which a result's second NetSuite record is stored in its row too (migration 025). */
const SECOND_NETSUITE_COLUMN_VERSION = 25;

/** Connections given a temporary `result_netsuite_refunds` (a workspace older than 024). */
const tempLinkViews = new WeakSet<Db>();

/**
 * Readers list a result's NetSuite records from the view `result_netsuite_refunds` (`result_id,
 * refund_id`; migrations 024 and 025: the row's one or two records and the links table). Call
 * before such a read: a workspace opened read-only at an older schema gets a temporary view of the
 * same name over its links table, where every link of it is; dropped once the connection is
 * migrated, so the workspace's own view answers.
 */
export function ensureNetsuiteLinksView(db: Db): void {
  const current = (db.pragma('user_version', { simple: true }) as number) >= NETSUITE_COLUMN_VERSION;
  if (current && tempLinkViews.has(db)) {
    db.exec('DROP VIEW IF EXISTS temp.result_netsuite_refunds');
    tempLinkViews.delete(db);
  } else if (!current && !tempLinkViews.has(db)) {
    db.exec(
      'CREATE TEMP VIEW IF NOT EXISTS result_netsuite_refunds (result_id, refund_id) AS SELECT result_id, refund_id FROM result_netsuite_records',
    );
    tempLinkViews.add(db);
  }
}

const MATCHED_DETAIL = JSON.stringify({ issues: ['matched'] });
const ROWS_PER_INSERT = 64;
const RESULT_COLUMNS =
  'id, run_id, result_key, code, severity, order_ref, order_key, currency, date, storefront_refund_id, storefront_total, netsuite_total, difference, hint, detail, matched_by, search_text';
/**
 * The columns every plain match (code `matched`, severity `ok`, no hint, the constant detail: ≈ 98 %
 * of a large run) has the same value in: named parameters, bound once per statement, not per row.
 * Binding a value costs about as much as SQLite's own work on it (session 7's replay).
 */
const PLAIN_SHARED: readonly string[] = ['run_id', 'code', 'severity', 'hint', 'detail'];
/** A compact row (`matched_results`): the run bound once per statement, the rest per row. */
const COMPACT_COLUMNS =
  'run_id, id, storefront_refund_id, storefront_others, netsuite_refund_id, netsuite_refund_id_2, matched_by, currency, date, total, tender_classes';
const COMPACT_TUPLE = '(@run_id,?,?,?,?,?,?,?,?,?,?)';
const COMPACT_WIDTH = 10;
/** The stored rules of a plain pair (`matched_results.matched_by`). */
const BY_KEY_CODE = matchedByCode('refund_key');
const BY_TOTAL_CODE = matchedByCode('order_total');

/**
 * Whether results the readers can derive are written as compact rows. Off only with
 * `REFUND_RECON_COMPACT_RESULTS=0`: the tests (and the benches' A/B) store the same run all in
 * `results` to compare every reader's answers both ways.
 */
function compactWritesEnabled(): boolean {
  return process.env.REFUND_RECON_COMPACT_RESULTS !== '0';
}

/** A `VALUES` tuple of `columns`: the shared ones as their named parameter, the others `?`. */
function plainTuple(columns: readonly string[]): string {
  return `(${columns.map((c) => (PLAIN_SHARED.includes(c) ? `@${c}` : '?')).join(',')})`;
}

/**
 * Writes the results of a run as they stream out of the engine: result ids assigned here, rows
 * inserted 64 per statement, hints built only for results that are not `matched` (their records
 * hydrated first, in batches), the constant detail of a plain match not re-serialised. Call inside
 * the run's transaction; `finish()` writes what is buffered.
 */
export class ResultWriter {
  private readonly insertMany;
  private readonly insertOne;
  private readonly insertPlainMany;
  private readonly insertPlainOne;
  /** The values of PLAIN_SHARED, by name. */
  private readonly plainShared: Record<string, unknown>;
  private readonly linkMany;
  private readonly linkOne;
  /** Inserts of compact rows (`matched_results`), null when the workspace has no such table. */
  private readonly compactMany;
  private readonly compactOne;
  private readonly compactShared: { run_id: number };
  private nextId: number;
  /** `results.tenders` exists (migration 016): the tender split is stored beside each result. */
  private readonly withTenders: boolean;
  /** `results.netsuite_refund_id` exists (migration 024): a result's one NetSuite record is in its row. */
  private readonly withNetsuiteColumn: boolean;
  /** `results.netsuite_refund_id_2` exists (migration 025): two NetSuite records are in the row. */
  private readonly withSecondNetsuiteColumn: boolean;
  private readonly width: number;
  private readonly plainWidth: number;
  private buffer: ReconcileResult[] = [];
  /** The ids of `buffer`'s results, given as they came (plain pairs between them take theirs). */
  private bufferIds: number[] = [];
  /** Plain pairs taken as batches (`addPlain`), written at the next flush. */
  private readonly plain = new PendingPlainPairs();
  /** Compact rows waiting for a full INSERT of ROWS_PER_INSERT (values after the run, COMPACT_WIDTH each). */
  private compactParams: unknown[] = [];
  private compactRows = 0;
  /** Per currency: results, storefront and NetSuite sums as stored (run_result_totals, migration 006). */
  private readonly totals = new Map<string, TotalsRow>();
  written = 0;
  /**
   * Wall (ms) and CPU (µs, user + system) spent in this writer's flushes: timed per batch of 2,048
   * results, not per result (`process.cpuUsage` is a system call, ≈ 1.6 µs: twice per result it
   * was ≈ 3 s of a 1M run).
   */
  flushWallMs = 0;
  flushCpuUs = 0;

  constructor(
    private readonly db: Db,
    private readonly runId: number,
    private readonly onProgress?: (done: number, total: number | null) => void,
    private readonly signal?: AbortSignal,
    private readonly expected: number | null = null,
    /** About how many results the run will have (the larger side's records when not known). */
    estimatedResults: number | null = expected,
  ) {
    const version = db.pragma('user_version', { simple: true }) as number;
    this.withTenders = version >= 16;
    this.withNetsuiteColumn = version >= NETSUITE_COLUMN_VERSION;
    this.withSecondNetsuiteColumn = version >= SECOND_NETSUITE_COLUMN_VERSION;
    let columns = this.withTenders ? `${RESULT_COLUMNS}, tenders` : RESULT_COLUMNS;
    if (this.withNetsuiteColumn) columns += ', netsuite_refund_id';
    if (this.withSecondNetsuiteColumn) columns += ', netsuite_refund_id_2';
    const names = columns.split(',').map((c) => c.trim());
    this.width = names.length;
    const tuple = `(${names.map(() => '?').join(',')})`;
    this.insertMany = db.prepare(
      `INSERT INTO results (${columns}) VALUES ${new Array(ROWS_PER_INSERT).fill(tuple).join(',')}`,
    );
    this.insertOne = db.prepare(`INSERT INTO results (${columns}) VALUES ${tuple}`);
    const plainColumns = [...PLAIN_SHARED, ...names.filter((c) => !PLAIN_SHARED.includes(c))];
    this.plainWidth = plainColumns.length - PLAIN_SHARED.length;
    const plain = plainTuple(plainColumns);
    this.insertPlainMany = db.prepare(
      `INSERT INTO results (${plainColumns.join(', ')}) VALUES ${new Array(ROWS_PER_INSERT).fill(plain).join(',')}`,
    );
    this.insertPlainOne = db.prepare(`INSERT INTO results (${plainColumns.join(', ')}) VALUES ${plain}`);
    this.plainShared = { run_id: runId, code: 'matched', severity: 'ok', hint: '', detail: MATCHED_DETAIL };
    this.linkMany = db.prepare(
      `INSERT OR IGNORE INTO result_netsuite_records (result_id, refund_id) VALUES ${new Array(ROWS_PER_INSERT).fill('(?,?)').join(',')}`,
    );
    this.linkOne = db.prepare('INSERT OR IGNORE INTO result_netsuite_records (result_id, refund_id) VALUES (?, ?)');
    const compact = version >= MATCHED_RESULTS_VERSION && compactWritesEnabled();
    const compactInsert = `INSERT INTO matched_results (${COMPACT_COLUMNS}) VALUES `;
    this.compactMany = compact
      ? db.prepare(compactInsert + new Array(ROWS_PER_INSERT).fill(COMPACT_TUPLE).join(','))
      : null;
    this.compactOne = compact ? db.prepare(compactInsert + COMPACT_TUPLE) : null;
    this.compactShared = { run_id: runId };
    // One id space over both tables (migration 026): annotations and cursors name a result by its id.
    this.nextId =
      Math.max(
        (db.prepare('SELECT COALESCE(MAX(id), 0) AS m FROM results').get() as { m: number }).m,
        maxMatchedResultId(db),
        // Never an id the search index still holds: a deleted run's compact rows stay in it.
        maxSearchIndexedId(db),
      ) + 1;
    // A large run is written without the review's optional indexes, of both tables; the review builds each on first use.
    if (estimatedResults !== null && dropReviewIndexesForLargeRun(db, estimatedResults, this.nextId - 1) && compact)
      dropCompactIndexes(db);
  }

  add(result: ReconcileResult): void {
    this.buffer.push(result);
    this.bufferIds.push(this.nextId++);
    if (this.buffer.length + this.plain.n >= 2048) this.flush();
  }

  /**
   * Plain pairs (engine.ts `ResultSink.addPlain`), in result order with the `add`s around them:
   * numbered now, written at the next flush — most as compact rows straight from the columns.
   */
  addPlain(batch: PlainPairBatch): void {
    this.plain.take(batch, this.nextId);
    this.nextId += batch.end - batch.start;
    if (this.buffer.length + this.plain.n >= 2048) this.flush();
  }

  finish(): void {
    this.flush();
    const compactOne = this.compactOne;
    const params = this.compactParams;
    for (let k = 0; k < this.compactRows; k++) {
      compactOne!.run(params.slice(k * COMPACT_WIDTH, (k + 1) * COMPACT_WIDTH), this.compactShared);
    }
    this.compactParams = [];
    this.compactRows = 0;
    if (hasResultsSearch(this.db)) writeRunTotals(this.db, this.runId, [...this.totals.values()]);
    this.onProgress?.(this.written, this.written);
  }

  private flush(): void {
    const count = this.buffer.length + this.plain.n;
    if (count === 0) return;
    if (this.signal?.aborted) throw new UserError('cancelled', 'The comparison was cancelled; the run was not saved.');
    const results = this.buffer;
    const ids = this.bufferIds;
    this.buffer = [];
    this.bufferIds = [];
    const w0 = performance.now();
    const c0 = process.cpuUsage();
    try {
      if (this.plain.n === 0) this.write(results, ids);
      else {
        const merged = this.withPlainPairs(results, ids);
        this.write(merged.entries, merged.ids);
        this.plain.n = 0;
      }
    } finally {
      const c = process.cpuUsage(c0);
      this.flushCpuUs += c.user + c.system;
      this.flushWallMs += performance.now() - w0;
    }
    this.written += count;
    this.onProgress?.(this.written, this.expected);
  }

  /** Queues a compact row's values (after the run); a full INSERT goes when ROWS_PER_INSERT are queued. */
  private compactRowQueued(): void {
    if (++this.compactRows === ROWS_PER_INSERT) {
      this.compactMany!.run(this.compactParams, this.compactShared);
      this.compactParams.length = 0;
      this.compactRows = 0;
    }
  }

  /**
   * The buffered results and the pending plain pairs in id order (each list is): a pair that
   * `isCompactable` would store compactly (`plainPairCompactable`) as its index in `plain`, written
   * from the columns; any other as the result `Engine.plainResult` builds. (Rows of a table keyed by
   * id are inserted in id order: out of order, SQLite splits pages in the middle, not at the end.)
   */
  private withPlainPairs(
    results: ReconcileResult[],
    ids: number[],
  ): { entries: Array<ReconcileResult | number>; ids: number[] } {
    const plain = this.plain;
    const batch = plain.source!;
    const compact =
      this.compactMany !== null && batch.sfColumns.plain !== undefined && batch.nsColumns.plain !== undefined;
    const entries: Array<ReconcileResult | number> = [];
    const entryIds: number[] = [];
    let at = 0;
    for (let k = 0; k < plain.n; k++) {
      const id = plain.id[k]!;
      for (; at < results.length && ids[at]! < id; at++) {
        entries.push(results[at]!);
        entryIds.push(ids[at]!);
      }
      const s = plain.sf[k]!;
      entries.push(
        compact && plainPairCompactable(batch.sfColumns, s)
          ? k
          : batch.build(s, plain.ns[k]!, plain.unit[k]!, plain.byKey[k]!),
      );
      entryIds.push(id);
    }
    for (; at < results.length; at++) {
      entries.push(results[at]!);
      entryIds.push(ids[at]!);
    }
    return { entries, ids: entryIds };
  }

  /** The compact row of pending plain pair k (`withPlainPairs`), from the columns, and its run totals. */
  private queuePlainRow(k: number, id: number): void {
    const plain = this.plain;
    const { sfColumns: sf, nsColumns: ns } = plain.source!;
    const s = plain.sf[k]!;
    const p = plain.ns[k]!;
    const currency = ns.currency[p]!;
    const t = this.totalsIn(currency);
    // (0 + x: as the result's totals, never -0.)
    const total = 0 + sf.total[s]!;
    t.n++;
    t.sf += total;
    t.ns += 0 + ns.total[p]!;
    this.compactParams.push(
      id,
      sf.plain!.rowId[s]!,
      null,
      ns.plain!.rowId[p]!,
      null,
      plain.byKey[k] === 1 ? BY_KEY_CODE : BY_TOTAL_CODE,
      currency,
      sf.date[s]!,
      total,
      null,
    );
    this.compactRowQueued();
  }

  /** The run totals' row of a currency (run_result_totals), made on first use. */
  private totalsIn(currency: string): TotalsRow {
    let t = this.totals.get(currency);
    if (!t) {
      t = { currency, n: 0, sf: 0, ns: 0 };
      this.totals.set(currency, t);
    }
    return t;
  }

  /** Writes results (and plain pairs given as their index in `plain`, `withPlainPairs`) with their ids. */
  private write(results: ReadonlyArray<ReconcileResult | number>, ids: number[]): void {
    const toHydrate: CanonicalRefund[] = [];
    for (const r of results) {
      if (typeof r === 'number' || r.code === 'matched') continue;
      for (const x of r.storefront) toHydrate.push(x);
      for (const x of r.netsuite) toHydrate.push(x);
    }
    if (toHydrate.length > 0) hydrate(this.db, toHydrate);
    const params: unknown[] = [];
    let rows = 0;
    const plainParams: unknown[] = [];
    let plainRows = 0;
    const links: number[] = [];
    let linkRows = 0;
    const sides: [number, 'storefront' | 'netsuite', string, number][] = [];
    const compact = this.compactMany !== null;
    for (let at = 0; at < results.length; at++) {
      const r = results[at]!;
      const id = ids[at]!;
      if (typeof r === 'number') {
        this.queuePlainRow(r, id);
        continue;
      }
      if (compact && isCompactable(r)) {
        const t = this.totalsIn(r.currency);
        t.n++;
        t.sf += r.storefrontTotal!;
        t.ns += r.netsuiteTotal!;
        pushCompactRow(this.compactParams, id, r);
        this.compactRowQueued();
        continue;
      }
      const comparable = !r.issues.includes('currency_mismatch');
      const sfRowId = r.storefront.length > 0 ? rowIdOf(r.storefront[0]) : null;
      const plainDetail =
        r.code === 'matched' &&
        r.issues.length === 1 &&
        r.storefront.length <= 1 &&
        !r.duplicateOf &&
        !r.duplicateReason &&
        !r.presentment &&
        !r.lines;
      let detail: string;
      if (plainDetail) {
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
      const t = this.totalsIn(r.currency);
      t.n++;
      if (comparable) {
        t.sf += r.storefrontTotal ?? 0;
        t.ns += r.netsuiteTotal ?? 0;
      } else {
        // Two currencies: each side's money counts in its own (the CLI summary's rule).
        for (const a of sideAmounts(r)) {
          const c = this.totalsIn(a.currency);
          if (a.side === 'storefront') c.sf += a.amount;
          else c.ns += a.amount;
          sides.push([id, a.side, a.currency, a.amount]);
        }
      }
      const hint = r.code === 'matched' && !comparedOnTotalOnly(r) ? '' : hintFor(r);
      // One or two NetSuite records (nearly every result): in the row; more: all in result_netsuite_records.
      let first: number | null = null;
      let second: number | null = null;
      let linked = false;
      if (this.withNetsuiteColumn && r.netsuite.length > 0) {
        first = rowIdOf(r.netsuite[0]);
        if (r.netsuite.length === 2 && this.withSecondNetsuiteColumn) {
          second = rowIdOf(r.netsuite[1]);
          if (second === first) second = null;
          if (first === null) [first, second] = [second, null];
        } else if (r.netsuite.length > 1) {
          first = null;
          linked = true;
        }
      } else linked = r.netsuite.length > 0;
      const plain = plainDetail && hint === '' && r.severity === 'ok';
      const target = plain ? plainParams : params;
      if (plain) target.push(id, r.key);
      else target.push(id, this.runId, r.key, r.code, r.severity);
      target.push(
        r.orderRef,
        r.orderKey,
        r.currency,
        r.date,
        sfRowId,
        comparable ? r.storefrontTotal : null,
        comparable ? r.netsuiteTotal : null,
        comparable ? r.difference : 0,
      );
      if (!plain) target.push(hint, detail);
      target.push(r.matchedBy, resultSearchText(r.orderRef, r.storefront, r.netsuite));
      // NULL for a plain match (most results): nothing to show by tender, nothing serialised.
      if (this.withTenders) target.push(storedTendersText(r));
      if (this.withNetsuiteColumn) target.push(first);
      if (this.withSecondNetsuiteColumn) target.push(second);
      if (plain) {
        if (++plainRows === ROWS_PER_INSERT) {
          this.insertPlainMany.run(plainParams, this.plainShared);
          plainParams.length = 0;
          plainRows = 0;
        }
      } else if (++rows === ROWS_PER_INSERT) {
        this.insertMany.run(params);
        params.length = 0;
        rows = 0;
      }
      if (linked) {
        for (const n of r.netsuite) {
          const rowId = rowIdOf(n);
          if (rowId === null) continue;
          links.push(id, rowId);
          linkRows++;
        }
      }
    }
    const width = this.width;
    for (let k = 0; k < rows; k++) this.insertOne.run(params.slice(k * width, (k + 1) * width));
    const plainWidth = this.plainWidth;
    for (let k = 0; k < plainRows; k++) {
      this.insertPlainOne.run(plainParams.slice(k * plainWidth, (k + 1) * plainWidth), this.plainShared);
    }
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
  }
}

/**
 * A compact row's values after its run (COMPACT_COLUMNS): the first storefront record, a
 * roll-up's others (a JSON array, as the detail lists them), the one or two NetSuite records (a
 * repeated one once, as in `results`), the rule's code, currency, date and total, and the classes
 * of the tender split `results.tenders` would have held (NULL where it would have held none:
 * `isCompactable` keeps disputes out, so that is a match with no tender check).
 */
function pushCompactRow(params: unknown[], id: number, r: ReconcileResult): void {
  const sf = r.storefront;
  let others: string | null = null;
  if (sf.length > 1) {
    others = `[${rowIdOf(sf[1])}`;
    for (let k = 2; k < sf.length; k++) others += `,${rowIdOf(sf[k])}`;
    others += ']';
  }
  const first = rowIdOf(r.netsuite[0]);
  const second = r.netsuite.length === 2 ? rowIdOf(r.netsuite[1]) : null;
  params.push(
    id,
    rowIdOf(sf[0]),
    others,
    first,
    second === first ? null : second,
    matchedByCode(r.matchedBy),
    r.currency,
    r.date,
    r.storefrontTotal,
    r.tenderCheck === null ? null : tenderClassBits(r),
  );
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
