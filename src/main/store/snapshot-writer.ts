import { UserError } from '../../shared/errors';
import type { CanonicalRefund, CanonicalRefundInput, Side } from '../../shared/model';
import { normaliseOrderRef } from '../../shared/model';
import { beginImmediateWhenFree } from './busy';
import { type DefaultGroup, ElidingInsert, insertSql } from './eliding-insert';
import { lineSummary, lineSummaryOfValues } from './line-summary';
import type { Db } from './open';
import {
  PACKED_LINE_FIELDS,
  PACKED_LINE_WIDTH,
  PACKED_REFUND_FIELDS,
  PACKED_REFUND_WIDTH,
  type PackedBatch,
  PackedDictionary,
} from './packed-refunds';
import { presentmentPartsText } from './presentment-parts';
import { nextRefundRowId } from './refunds';
import { checkRefund } from './snapshot-validate';
import { finishSnapshotRow, insertSnapshotRow } from './snapshots';
import { creditDetailText, tendersText } from './tender-columns';

export type { PackedBatch } from './packed-refunds';

/** Where addPacked finds each packed value: the field's position, `*` (dictionary code) dropped from its name. */
const PR = Object.fromEntries(PACKED_REFUND_FIELDS.map((f, i) => [f.replace('*', ''), i])) as {
  readonly [K in (typeof PACKED_REFUND_FIELDS)[number] as K extends `${infer N}*` ? N : K]: number;
};
const PL = Object.fromEntries(PACKED_LINE_FIELDS.map((f, i) => [f.replace('*', ''), i])) as {
  readonly [K in (typeof PACKED_LINE_FIELDS)[number] as K extends `${infer N}*` ? N : K]: number;
};

/**
 * `normaliseOrderRef` for the common shapes without its regular expressions: `#1001` and `1001`
 * (digits, with one leading `#`) give the digits unchanged; anything else goes through
 * normaliseOrderRef itself. A property test checks the two agree.
 */
export function orderKeyOf(ref: string): string {
  const n = ref.length;
  let i = n > 1 && ref.charCodeAt(0) === 35 ? 1 : 0;
  if (n === 0) return normaliseOrderRef(ref);
  const from = i;
  for (; i < n; i++) {
    const c = ref.charCodeAt(i);
    if (c < 48 || c > 57) return normaliseOrderRef(ref);
  }
  return from === 0 ? ref : ref.slice(1);
}

/** lineSummaryOfValues, with the common line-less refund (`[0,shipping]`) spelled out directly. */
function packedLineSummary(
  values: readonly unknown[],
  at: number,
  count: number,
  decode: (code: unknown) => string | null,
  shipping: number,
): string {
  if (count === 0) return `[0,${shipping}]`;
  return lineSummaryOfValues(values, at, count, PACKED_LINE_WIDTH, PL, decode, shipping);
}

/** Which optional refunds columns a row holds (older schemas lack them; migration tests only). */
export interface RefundRowLayout {
  readonly summaries: boolean;
  readonly parts: boolean;
  readonly tenders: boolean;
}

/**
 * Fills one refunds row, as the writer binds it (REFUND_COLUMNS order from `p[k]`, the columns of
 * `layout`), from the packed refund at `v[at]` whose lines start at `lineValues[l]`. The writer
 * and the parse thread's match-column collector (packed-column-collector.ts) share it, so both see
 * the same row.
 */
export function fillPackedRow(
  p: unknown[],
  k: number,
  v: readonly unknown[],
  at: number,
  lineValues: readonly unknown[],
  l: number,
  dict: PackedDictionary,
  decode: (code: unknown) => string | null,
  id: number,
  snapshotId: number,
  layout: RefundRowLayout,
): void {
  const orderRef = v[at + PR.order_ref] as string;
  const shipping = v[at + PR.shipping] as number;
  // REFUND_COLUMNS order; the dictionary fields of PACKED_REFUND_FIELDS through `dict`.
  p[k++] = id;
  p[k++] = snapshotId;
  p[k++] = v[at + PR.source_id];
  p[k++] = v[at + PR.document_number];
  p[k++] = dict.get(v[at + PR.record_type]);
  p[k++] = orderRef;
  p[k++] = orderKeyOf(orderRef);
  p[k++] = dict.get(v[at + PR.created_from_type]);
  p[k++] = v[at + PR.created_from_ref];
  p[k++] = dict.get(v[at + PR.date]);
  p[k++] = dict.get(v[at + PR.currency]);
  p[k++] = v[at + PR.total];
  p[k++] = shipping;
  p[k++] = v[at + PR.tax];
  p[k++] = v[at + PR.adjustment];
  p[k++] = dict.get(v[at + PR.kind]);
  p[k++] = v[at + PR.external_id];
  p[k++] = v[at + PR.memo];
  p[k++] = v[at + PR.is_test];
  p[k++] = dict.get(v[at + PR.status]);
  p[k++] = v[at + PR.applies_to];
  p[k++] = v[at + PR.money_moved];
  p[k++] = dict.get(v[at + PR.presentment_currency]);
  p[k++] = v[at + PR.presentment_total];
  if (layout.summaries) {
    p[k++] = packedLineSummary(lineValues, l, v[at + PR.line_count] as number, decode, shipping);
  }
  if (layout.parts) {
    p[k++] = v[at + PR.presentment_parts];
    p[k++] = v[at + PR.lines_exported];
  }
  if (layout.tenders) {
    p[k++] = v[at + PR.tenders];
    p[k] = v[at + PR.credit_detail];
  }
}

/** Provenance of a snapshot (spec §2): where the refunds came from. */
export interface SnapshotMeta {
  side: Side;
  label: string;
  source: 'file' | 'api' | 'demo';
  /** Importer format id (`shopify-json`, `saved-search-csv`, …) or the API that was pulled. */
  format: string;
  importerVersion: string;
  fileName?: string;
  fileSize?: number;
  fileSha256?: string;
  /** API pulls: the window asked for, e.g. `2026-01-01..2026-01-31`. */
  queryWindow?: string;
  requestCount?: number;
  /** Source rows read (CSV rows, JSON lines or objects). Defaults to the number of refunds written. */
  rowCount?: number;
  storefrontAccountId?: number;
  netsuiteAccountId?: number;
  provenance?: Record<string, unknown>;
}

export interface WriteSnapshotOptions {
  signal?: AbortSignal;
  /** Called every `progressEvery` refunds (default 5,000) and once at the end. */
  onProgress?: (refundsWritten: number) => void;
  progressEvery?: number;
  /**
   * Called once after the last refund, before COMMIT: fields known only at the end of a stream
   * (SHA-256, row count, provenance notes) are merged into the snapshot row. Throwing here rolls back.
   */
  finalMeta?: () => Partial<SnapshotMeta> | undefined;
  /**
   * Called once after finalMeta, before COMMIT, with the new snapshot's id: rows of the snapshot's
   * side tables (its order ids) are written in the same transaction. Throwing here rolls back.
   */
  beforeCommit?: (snapshotId: number) => void;
  /** Refunds whose `side` differs from `meta.side` are refused (default true). */
  enforceSide?: boolean;
  /** Sees every refunds row as it is inserted (the CLI builds the matcher's columns from them). */
  rows?: RefundRowSink;
  /** Called while another connection holds the write lock and this write waits for it (busy.ts). */
  onBusy?: (waitedMs: number) => void;
  /**
   * Told the row id of the snapshot's first refund (the rest follow consecutively), before any
   * is written: match columns collected elsewhere (the parse thread's) number rows from it.
   */
  onFirstRowId?: (rowId: number) => void;
}

/** Receives each refunds row the writer inserts: `p[k + REFUND_COLUMN_INDEX.<column>]`. */
export interface RefundRowSink {
  row(p: readonly unknown[], k: number): void;
}

const REFUND_COLUMNS = [
  'id',
  'snapshot_id',
  'source_id',
  'document_number',
  'record_type',
  'order_ref',
  'order_key',
  'created_from_type',
  'created_from_ref',
  'date',
  'currency',
  'total',
  'shipping',
  'tax',
  'adjustment',
  'kind',
  'external_id',
  'memo',
  'is_test',
  'status',
  'applies_to',
  'money_moved',
  'presentment_currency',
  'presentment_total',
  // The matcher's exact text of the compared lines (lineSummary(), migration 005), computed where the
  // refund object exists — here for add(), in the parse thread for addPacked() — so no comparison
  // has to fill it afterwards.
  'line_summary',
  // The refund's parts in presentment money (migration 009), JSON or null.
  'presentment_parts',
  'lines_exported',
  // How the money went back (migration 015): JSON text, NULL for the defaults (tender-columns.ts).
  'tenders',
  'credit_detail',
] as const;
/** Position of each column in a refunds row as the writer binds it (see RefundRowSink). */
export const REFUND_COLUMN_INDEX = Object.fromEntries(REFUND_COLUMNS.map((name, i) => [name, i])) as {
  readonly [K in (typeof REFUND_COLUMNS)[number]]: number;
};
const LINE_COLUMNS = ['refund_id', 'line_no', 'sku', 'description', 'quantity', 'amount', 'tax', 'role'] as const;

/**
 * Rows per multi-row INSERT: fewer native calls per row, far below SQLite's 32,766-parameter limit.
 * Measured on the 2-core machine: 16/32 is ~10 % slower, 256/512 no faster than 64/128.
 */
const REFUND_BATCH = 64;
const LINE_BATCH = 128;
const LINE_WIDTH = LINE_COLUMNS.length;

/**
 * Refund columns left to their schema defaults in a batch whose rows all hold the default
 * (eliding-insert.ts): most refunds have no created-from record, no presentment money, default
 * tenders and credit detail, and storefront rows carry no external id.
 */
const REFUND_DEFAULT_GROUPS: readonly DefaultGroup[] = [
  { columns: ['created_from_type', 'created_from_ref'], defaults: [null, null] },
  { columns: ['shipping', 'tax', 'adjustment'], defaults: [0, 0, 0] },
  { columns: ['external_id'], defaults: [''] },
  { columns: ['memo'], defaults: [''] },
  { columns: ['is_test', 'status', 'applies_to', 'money_moved'], defaults: [0, 'ok', '', 1] },
  {
    columns: ['presentment_currency', 'presentment_total', 'presentment_parts', 'lines_exported'],
    defaults: [null, null, null, 1],
  },
  { columns: ['tenders', 'credit_detail'], defaults: [null, null] },
];
const LINE_DEFAULT_GROUPS: readonly DefaultGroup[] = [
  { columns: ['description'], defaults: [''] },
  { columns: ['tax'], defaults: [0] },
  { columns: ['role'], defaults: ['item'] },
];

function abortError(signal: AbortSignal): Error {
  const reason = signal.reason;
  if (reason instanceof UserError) return reason;
  return new UserError('cancelled', 'The import was cancelled; nothing was saved.');
}

/**
 * Inserts refunds and lines in full multi-row batches inside an open transaction.
 *
 * Refund rows go out 64 at a time; lines wait until their refunds are in (foreign keys hold row
 * by row) and go out 128 at a time from a pending buffer, so nearly every row is written by a
 * full-size statement: only the tail of the import uses an exact-size statement, prepared once.
 * The parameter arrays are allocated once and reused (better-sqlite3 copies values when binding).
 */
class BatchWriter implements RefundRowLayout {
  private readonly refundMany: ElidingInsert;
  private readonly lineMany: ElidingInsert;
  /** Columns written: REFUND_COLUMNS, without `line_summary` on a schema older than migration 005. */
  private readonly columns: readonly string[];
  private readonly width: number;
  /** Whether `refunds.line_summary` exists (it does on any migrated workspace). */
  readonly summaries: boolean;
  /** Whether `refunds.presentment_parts` exists (migration 009). */
  readonly parts: boolean;
  /** Whether `refunds.tenders` / `credit_detail` exist (migration 015). */
  readonly tenders: boolean;
  private readonly refundParams: unknown[];
  private refundRows = 0;
  /** Lines of refunds added so far whose rows are not written yet (flat, LINE_WIDTH per line). */
  private pendingLines: unknown[] = [];
  private readonly lineParams: unknown[] = new Array(LINE_BATCH * LINE_WIDTH);
  /** Dictionary of the packed batches received so far (addPacked). */
  private readonly dict = new PackedDictionary();
  private readonly decode = (code: unknown) => this.dict.get(code);
  nextRefundId: number;
  refundCount = 0;
  lineCount = 0;

  constructor(
    private readonly db: Db,
    private readonly snapshotId: number,
    private readonly sink: RefundRowSink | null = null,
  ) {
    const present = new Set(
      (db.prepare("SELECT name FROM pragma_table_info('refunds')").all() as Array<{ name: string }>).map((c) => c.name),
    );
    this.summaries = present.has('line_summary');
    // A row sink reads rows by REFUND_COLUMN_INDEX, which includes line_summary.
    if (sink && !this.summaries) throw new Error('A refunds row sink needs a workspace at migration 005 or later.');
    this.parts = present.has('presentment_parts');
    this.tenders = present.has('tenders');
    // A workspace always migrates to the newest schema on open; older schemas only in migration tests.
    this.columns = REFUND_COLUMNS.filter(
      (c) =>
        (c !== 'line_summary' || this.summaries) &&
        ((c !== 'presentment_parts' && c !== 'lines_exported') || this.parts) &&
        ((c !== 'tenders' && c !== 'credit_detail') || this.tenders),
    );
    if (sink && !this.parts) throw new Error('A refunds row sink needs a workspace at migration 009 or later.');
    this.width = this.columns.length;
    this.refundParams = new Array(REFUND_BATCH * this.width);
    this.refundMany = new ElidingInsert(db, 'refunds', this.columns, REFUND_DEFAULT_GROUPS, REFUND_BATCH);
    this.lineMany = new ElidingInsert(db, 'refund_lines', LINE_COLUMNS, LINE_DEFAULT_GROUPS, LINE_BATCH);
    this.nextRefundId = nextRefundRowId(db);
  }

  add(refund: CanonicalRefund): void {
    const id = this.nextRefundId++;
    const p = this.refundParams;
    const start = this.refundRows * this.width;
    let k = start;
    const createdFrom = refund.createdFrom;
    const presentment = refund.presentment;
    p[k++] = id;
    p[k++] = this.snapshotId;
    p[k++] = refund.id;
    p[k++] = refund.documentNumber;
    p[k++] = refund.recordType;
    p[k++] = refund.orderRef;
    p[k++] = orderKeyOf(refund.orderRef);
    p[k++] = createdFrom ? createdFrom.type : null;
    p[k++] = createdFrom ? createdFrom.ref : null;
    p[k++] = refund.date;
    p[k++] = refund.currency;
    p[k++] = refund.total;
    p[k++] = refund.shipping;
    p[k++] = refund.tax;
    p[k++] = refund.adjustment;
    p[k++] = refund.kind;
    p[k++] = refund.externalId;
    p[k++] = refund.memo;
    p[k++] = refund.isTest ? 1 : 0;
    p[k++] = refund.status;
    p[k++] = refund.appliesTo;
    p[k++] = refund.moneyMoved ? 1 : 0;
    p[k++] = presentment ? presentment.currency : null;
    p[k++] = presentment ? presentment.total : null;
    if (this.summaries) p[k++] = lineSummary(refund);
    if (this.parts) {
      p[k++] = presentmentPartsText(refund);
      p[k++] = refund.linesExported === false ? 0 : 1;
    }
    if (this.tenders) {
      p[k++] = tendersText(refund);
      p[k] = creditDetailText(refund);
    }
    this.sink?.row(p, start);
    this.refundCount++;
    const lines = refund.lines;
    const pending = this.pendingLines;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      pending.push(id, i + 1, line.sku, line.description, line.quantity, line.amount, line.tax, line.role);
    }
    this.lineCount += lines.length;
    if (++this.refundRows === REFUND_BATCH) {
      this.refundMany.run(p);
      this.refundRows = 0;
      this.flushLines(false);
    }
  }

  /** Adds a packed batch (see packed-refunds.ts): the same rows add() would write for the same refunds. */
  addPacked(batch: PackedBatch): void {
    const dict = this.dict;
    dict.add(batch);
    const v = batch.refunds;
    const lineValues = batch.lines;
    const p = this.refundParams;
    let pending = this.pendingLines;
    let at = 0;
    let l = 0;
    for (let r = 0; r < batch.count; r++, at += PACKED_REFUND_WIDTH) {
      const id = this.nextRefundId++;
      const start = this.refundRows * this.width;
      const lineCount = v[at + PR.line_count] as number;
      fillPackedRow(p, start, v, at, lineValues, l, dict, this.decode, id, this.snapshotId, this);
      this.sink?.row(p, start);
      for (let i = 0; i < lineCount; i++, l += PACKED_LINE_WIDTH) {
        pending.push(
          id,
          i + 1,
          lineValues[l + PL.sku],
          lineValues[l + PL.description],
          lineValues[l + PL.quantity],
          lineValues[l + PL.amount],
          lineValues[l + PL.tax],
          dict.get(lineValues[l + PL.role]),
        );
      }
      this.lineCount += lineCount;
      this.refundCount++;
      if (++this.refundRows === REFUND_BATCH) {
        this.refundMany.run(p);
        this.refundRows = 0;
        this.flushLines(false);
        pending = this.pendingLines; // flushLines replaces the buffer
      }
    }
  }

  /** Writes the pending lines in full batches (all: the tail too, with an exact-size statement). */
  private flushLines(all: boolean): void {
    const pending = this.pendingLines;
    const batch = this.lineParams;
    const width = LINE_BATCH * LINE_WIDTH;
    let from = 0;
    for (; from + width <= pending.length; from += width) {
      for (let j = 0; j < width; j++) batch[j] = pending[from + j];
      this.lineMany.run(batch);
    }
    if (all && from < pending.length) {
      const rest = pending.slice(from);
      this.db.prepare(insertSql('refund_lines', LINE_COLUMNS, rest.length / LINE_WIDTH)).run(rest);
      from = pending.length;
    }
    if (from > 0) this.pendingLines = from === pending.length ? [] : pending.slice(from);
  }

  /** Writes everything still buffered (the last partial batches). */
  flush(): void {
    if (this.refundRows > 0) {
      const rest = this.refundParams.slice(0, this.refundRows * this.width);
      this.db.prepare(insertSql('refunds', this.columns, this.refundRows)).run(rest);
      this.refundRows = 0;
    }
    this.flushLines(true);
  }
}

/**
 * Refunds already validated and packed by another thread (the parallel import): `batches` yields
 * them in order; throwing from it (a parse error) rolls the snapshot back like any other error.
 */
export interface PackedRefunds {
  packed: AsyncIterable<PackedBatch>;
}

export type RefundFeed = AsyncIterable<CanonicalRefundInput> | Iterable<CanonicalRefundInput> | PackedRefunds;

function isPacked(value: RefundFeed): value is PackedRefunds {
  return typeof (value as PackedRefunds).packed === 'object' && (value as PackedRefunds).packed !== null;
}

/**
 * Validates refund number `index` (1-based) of a snapshot of `side`: the parsed refund, or the
 * UserError the writer reports (the same text whichever thread validates).
 */
export function acceptRefund(
  input: CanonicalRefundInput,
  index: number,
  side: Side,
  enforceSide = true,
): CanonicalRefund {
  const checked = checkRefund(input);
  if (!checked.ok) {
    const id = typeof (input as { id?: unknown })?.id === 'string' ? ` (id ${(input as { id: string }).id})` : '';
    throw new UserError(
      'invalid_refund',
      `Refund number ${index}${id} is not a valid canonical refund: ${checked.issues.slice(0, 5).join('; ')}. Nothing was imported.`,
      { field: checked.issues[0]?.split(':')[0] },
    );
  }
  if (enforceSide && checked.refund.side !== side) {
    throw new UserError(
      'wrong_side',
      `Refund number ${index} (id ${checked.refund.id}) is a ${checked.refund.side} record but this is a ${side} snapshot. Import it as the ${checked.refund.side} side.`,
      { field: 'side' },
    );
  }
  return checked.refund;
}

function isAsyncIterable<T>(value: AsyncIterable<T> | Iterable<T>): value is AsyncIterable<T> {
  return typeof (value as AsyncIterable<T>)[Symbol.asyncIterator] === 'function';
}

/**
 * Writes one snapshot and its refunds in a single transaction (BEGIN IMMEDIATE … COMMIT). Any
 * error, a refund that fails validation, or an abort rolls everything back: the snapshot is
 * complete or absent. Returns the new snapshot id.
 *
 * The transaction stays open across `await`s while an async source is read, so give this
 * function a connection nothing else writes to meanwhile (the import job opens its own).
 */
export async function writeSnapshot(
  db: Db,
  meta: SnapshotMeta,
  refunds: RefundFeed,
  opts: WriteSnapshotOptions = {},
): Promise<number> {
  const { signal } = opts;
  if (signal?.aborted) throw abortError(signal);
  if (db.inTransaction) {
    throw new Error('writeSnapshot needs a connection with no open transaction (it owns BEGIN … COMMIT).');
  }
  // Import connection settings for the length of the write (restored after): foreign keys are
  // not re-checked row by row — this writer inserts the snapshot row first and gives every line
  // the id of a refund it has just inserted, so they hold by construction (PRAGMA foreign_keys is
  // a no-op inside a transaction, hence before BEGIN); a larger page cache keeps the
  // refunds(snapshot_id, order_key) index pages in memory (order keys do not arrive in index order).
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  db.pragma(`cache_size = ${IMPORT_CACHE_KIB}`);
  try {
    return await writeInTransaction(db, meta, refunds, opts);
  } finally {
    db.pragma(`cache_size = ${cacheSize}`);
    if (foreignKeys) db.pragma('foreign_keys = ON');
  }
}

/**
 * Turns off CHECK constraints on the connection while the writer inserts refunds and lines, and
 * returns the function that restores the setting (idempotent).
 *
 * Why: the IN-list CHECKs of refunds (record type, kind, status, the 0/1 flags) and refund_lines
 * (role) were ~40 % of the INSERTs' CPU (a write-only test of 200k refunds: 1.8 s → 1.0–1.2 s).
 * Why it is safe: every refund the writer receives has passed acceptRefund (here or on the parse
 * thread), whose enums are exactly the CHECK lists' values (writer-checks.test.ts reads both), and
 * the writer writes the flags as 0/1. Only the refund and line INSERTs run with it: it is turned on
 * after the snapshot row and off before the snapshot is finished. SQLite reads the flag when it
 * prepares a statement and expires every prepared statement when it changes, so it must stay on
 * for as long as the writer's statements run.
 */
function skipRowChecks(db: Db): () => void {
  const before = db.pragma('ignore_check_constraints', { simple: true }) as number;
  if (before) return () => {};
  db.pragma('ignore_check_constraints = ON');
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    db.pragma('ignore_check_constraints = OFF');
  };
}

/** Page cache for the import connection: 64 MB (negative = KiB). Peak RSS stays far below 1 GB. */
const IMPORT_CACHE_KIB = -65536;

async function writeInTransaction(
  db: Db,
  meta: SnapshotMeta,
  refunds: RefundFeed,
  opts: WriteSnapshotOptions,
): Promise<number> {
  const { signal, onProgress } = opts;
  const progressEvery = opts.progressEvery ?? 5000;
  const enforceSide = opts.enforceSide ?? true;
  // Another import or compare may be writing: wait for it without blocking this thread (busy.ts).
  await beginImmediateWhenFree(db, {
    signal,
    onWait: opts.onBusy,
    cancelled: () => (signal ? abortError(signal) : new UserError('cancelled', 'The import was cancelled.')),
  });
  let restoreChecks: (() => void) | undefined;
  try {
    const snapshotId = insertSnapshotRow(db, meta);
    restoreChecks = skipRowChecks(db);
    const writer = new BatchWriter(db, snapshotId, opts.rows ?? null);
    opts.onFirstRowId?.(writer.nextRefundId);
    let index = 0;
    const accept = (input: CanonicalRefundInput): void => {
      index++;
      writer.add(acceptRefund(input, index, meta.side, enforceSide));
      if (onProgress && writer.refundCount % progressEvery === 0) onProgress(writer.refundCount);
    };
    if (isPacked(refunds)) {
      let nextReport = progressEvery;
      for await (const batch of refunds.packed) {
        if (signal?.aborted) throw abortError(signal);
        writer.addPacked(batch);
        if (onProgress && writer.refundCount >= nextReport) {
          nextReport = (Math.floor(writer.refundCount / progressEvery) + 1) * progressEvery;
          onProgress(writer.refundCount);
        }
      }
    } else if (isAsyncIterable(refunds)) {
      for await (const refund of refunds) {
        if (signal?.aborted) throw abortError(signal);
        accept(refund);
      }
    } else {
      for (const refund of refunds) {
        if (signal?.aborted) throw abortError(signal);
        accept(refund);
      }
    }
    writer.flush();
    restoreChecks();
    if (signal?.aborted) throw abortError(signal);
    const final = { ...meta, ...(opts.finalMeta?.() ?? {}) };
    finishSnapshotRow(db, snapshotId, { refundCount: writer.refundCount, lineCount: writer.lineCount }, final);
    opts.beforeCommit?.(snapshotId);
    db.exec('COMMIT');
    onProgress?.(writer.refundCount);
    return snapshotId;
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    restoreChecks?.();
    throw error;
  }
}
