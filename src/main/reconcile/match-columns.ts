import { UserError } from '../../shared/errors';
import {
  type CanonicalRefund,
  type CreditApplication,
  defaultTenders,
  normaliseOrderRef,
  type PresentmentParts,
  type RefundExchange,
  type RefundLine,
  type Side,
  type Tender,
} from '../../shared/model';
import type { KeyField } from '../store/column-collector';
import { computeLineSummaries, ensureLineSummaries, linesFromSummary, summaryHasItems } from '../store/line-summary';
import {
  decodeColumns,
  readableMatchCacheFormat,
  type SnapshotColumns,
  TextColumn,
  writeMatchCache,
} from '../store/match-cache';
import { dictValue, type MemorySnapshot } from '../store/memory-snapshot';
import type { Db } from '../store/open';
import { parsePresentmentParts } from '../store/presentment-parts';
import { snapshotSide } from '../store/snapshots';
import { type CreditDetail, parseCreditDetail, parseTenders, tenderColumnsSql } from '../store/tender-columns';
import { TenderTable } from '../store/tender-table';
import type { PlainColumns } from './plain-pairs';
import { QUICK_MIXED, quickClassOfTenders } from './tender-check';

const EMPTY_TEXT = new TextColumn('', new Uint32Array(1));

import type { StoredRefund } from './snapshot-reader';

/**
 * One side of a comparison as the matcher reads it: parallel arrays, one slot per record, holding
 * only what matching needs (no lines, no free text). Records are materialised as objects only
 * order by order (`record(i)`), so 2M refunds cost ~100 MB instead of ~2.7 GB of objects.
 */
export interface MatchColumns {
  readonly n: number;
  readonly side: Side;
  /** Source ids (storefront refund id, NetSuite internal id). */
  readonly id: string[];
  /** Normalised order key (`normaliseOrderRef`). */
  readonly orderKey: string[];
  /** Days since 1970-01-01 (UTC). */
  readonly day: Int32Array;
  readonly date: string[];
  readonly currency: string[];
  readonly total: Float64Array;
  /** Presentment currency (storefront), or null. */
  readonly presCurrency: Array<string | null>;
  readonly presTotal: Float64Array;
  readonly recordType: string[];
  /** status === 'ok' */
  readonly ok: Uint8Array;
  /** moneyMoved (as stored; the matcher also needs `ok`). */
  readonly moneyMoved: Uint8Array;
  /** The refund has at least one item line. */
  readonly hasItems: Uint8Array;
  /** appliesTo of record i (cut on demand: only Customer Refunds need it). */
  appliesTo(i: number): string;
  /** The value of the rules' `refundKeyField` of record i (NetSuite side; '' elsewhere). */
  keyValue(i: number): string;
  /** createdFrom.type, or null. */
  readonly createdFromType: Array<string | null>;
  /** The matcher's view of record i (lines rebuilt from the line summary when read from SQLite). */
  record(i: number): CanonicalRefund;
  /** Fields only needed to break ties between records with equal id and total (rare). */
  tie(i: number): { documentNumber: string; externalId: string };
  /** Columns read from a snapshot: what the engine's plain block decides from (plain-pairs.ts). */
  readonly plain?: PlainColumns;
}

const epochDays = (date: string): number =>
  Math.floor(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86400000);

function hasItemLines(r: CanonicalRefund): boolean {
  for (const l of r.lines) if (l.role === 'item') return true;
  return false;
}

/** Columns over canonical refunds already in memory (tests, small inputs): `record(i)` is the refund itself. */
export function columnsFromRefunds(
  side: Side,
  refunds: readonly CanonicalRefund[],
  refundKeyField: 'externalId' | 'memo' | 'documentNumber',
): MatchColumns {
  const n = refunds.length;
  const day = new Int32Array(n);
  const total = new Float64Array(n);
  const presTotal = new Float64Array(n);
  const ok = new Uint8Array(n);
  const moneyMoved = new Uint8Array(n);
  const hasItems = new Uint8Array(n);
  const dayOf = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const r = refunds[i]!;
    let d = dayOf.get(r.date);
    if (d === undefined) {
      d = epochDays(r.date);
      dayOf.set(r.date, d);
    }
    day[i] = d;
    total[i] = r.total;
    presTotal[i] = r.presentment ? r.presentment.total : 0;
    ok[i] = r.status === 'ok' ? 1 : 0;
    moneyMoved[i] = r.moneyMoved ? 1 : 0;
    hasItems[i] = hasItemLines(r) ? 1 : 0;
  }
  return {
    n,
    side,
    id: refunds.map((r) => r.id),
    orderKey: refunds.map((r) => normaliseOrderRef(r.orderRef)),
    day,
    date: refunds.map((r) => r.date),
    currency: refunds.map((r) => r.currency),
    total,
    presCurrency: refunds.map((r) => r.presentment?.currency ?? null),
    presTotal,
    recordType: refunds.map((r) => r.recordType),
    ok,
    moneyMoved,
    hasItems,
    appliesTo: (i) => refunds[i]!.appliesTo,
    keyValue:
      refundKeyField === 'externalId'
        ? (i) => refunds[i]!.externalId
        : refundKeyField === 'memo'
          ? (i) => refunds[i]!.memo
          : (i) => refunds[i]!.documentNumber,
    createdFromType: refunds.map((r) => r.createdFrom?.type ?? null),
    record: (i) => refunds[i]!,
    tie: (i) => refunds[i]!,
  };
}

function checkSnapshot(db: Db, snapshotId: number, expectedSide: Side): void {
  const side = snapshotSide(db, snapshotId);
  if (!side) {
    throw new UserError(
      'snapshot_not_found',
      `There is no snapshot ${snapshotId} in this workspace. List snapshots with "refund-recon import" output or the Snapshots screen.`,
    );
  }
  if (side !== expectedSide) {
    throw new UserError(
      'snapshot_wrong_side',
      `Snapshot ${snapshotId} holds ${side} refunds, but it was given as the ${expectedSide} side. Swap the two snapshot ids.`,
    );
  }
}

/**
 * A record read by `readMatchColumns`: the matcher's fields; display-only fields are filled by
 * `hydrate`. Text the matcher rarely reads — document number, order ref, applies-to, the line
 * summary — is cut from its column on first use, and `lines` are rebuilt from the line summary on
 * first use (prototype accessors, so the object keeps one fast shape): most of the 2M records of a
 * large comparison are paired without any of them (a pair with equal summaries never needs lines,
 * see compareLines). Setters let `hydrate` overwrite them.
 */
class ColumnRecord implements CanonicalRefund {
  tax = 0;
  adjustment = 0;
  externalId = '';
  memo = '';
  isTest = false;
  hydrated = false;
  /** How the money went back: read from the side's tender table on first use (most records never need it). */
  private tendersValue: Tender[] | undefined = undefined;
  private creditValue: CreditDetail | undefined = undefined;
  private rebuilt: RefundLine[] | null = null;
  private summaryText: string | undefined = undefined;
  private documentNumberText: string | undefined = undefined;
  private orderRefText: string | undefined = undefined;
  private appliesToText: string | undefined = undefined;
  constructor(
    private readonly text: SnapshotColumns,
    private readonly tenderTable: TenderTable,
    private readonly at: number,
    public rowId: number,
    public side: Side,
    public id: string,
    public recordType: CanonicalRefund['recordType'],
    public createdFrom: CanonicalRefund['createdFrom'],
    public date: string,
    public currency: string,
    public total: number,
    public shipping: number,
    public kind: CanonicalRefund['kind'],
    public status: CanonicalRefund['status'],
    public moneyMoved: boolean,
    public presentment: CanonicalRefund['presentment'],
  ) {}
  get lineSummary(): string {
    this.summaryText ??= this.text.summary.get(this.at);
    return this.summaryText;
  }
  get documentNumber(): string {
    this.documentNumberText ??= this.text.documentNumber.get(this.at);
    return this.documentNumberText;
  }
  set documentNumber(value: string) {
    this.documentNumberText = value;
  }
  get orderRef(): string {
    this.orderRefText ??= this.text.orderRef.get(this.at);
    return this.orderRefText;
  }
  set orderRef(value: string) {
    this.orderRefText = value;
  }
  get appliesTo(): string {
    this.appliesToText ??= this.text.appliesTo.get(this.at);
    return this.appliesToText;
  }
  set appliesTo(value: string) {
    this.appliesToText = value;
  }
  get tenders(): Tender[] {
    this.tendersValue ??= this.tenderTable.tenders(this.at) ?? defaultTenders(this);
    return this.tendersValue;
  }
  set tenders(value: Tender[]) {
    this.tendersValue = value;
  }
  /** tender-check.ts `quickClass`, from the tender table (one read: no text, no parse). */
  get quickTenderClass(): number {
    if (this.tendersValue !== undefined) return quickClassOfTenders(this.tendersValue, this.exchange);
    const c = this.text.creditDetail;
    if (this.side === 'storefront' && c.offsets[this.at] !== c.offsets[this.at + 1]) return QUICK_MIXED;
    return this.tenderTable.quick[this.at]!;
  }
  private get credit(): CreditDetail {
    this.creditValue ??= parseCreditDetail(this.text.creditDetail.get(this.at), this);
    return this.creditValue;
  }
  get amountRemaining(): number | null {
    return this.credit.amountRemaining;
  }
  get applications(): CreditApplication[] {
    return this.credit.applications;
  }
  get recordTotal(): number | null {
    return this.credit.recordTotal;
  }
  get exchange(): RefundExchange | null {
    // No credit detail text (most records): its defaults have no exchange, so nothing to parse
    // (the tender check asks every compared storefront refund).
    if (this.creditValue === undefined) {
      const c = this.text.creditDetail;
      if (c.offsets[this.at] === c.offsets[this.at + 1]) return null;
    }
    return this.credit.exchange ?? null;
  }
  /** Sets what hydrate read (the same columns). */
  setCredit(value: CreditDetail): void {
    this.creditValue = value;
  }
  /**
   * Some line is an item line (lines.ts asks before comparing lines): read from the line summary
   * while the lines are not rebuilt, as the `hasItems` column is (most records never need lines).
   */
  hasItemLines(): boolean {
    if (this.rebuilt === null) return summaryHasItems(this.lineSummary);
    for (const l of this.rebuilt) if (l.role === 'item') return true;
    return false;
  }
  /** The line summary's values while the lines are not rebuilt (lines.ts aggregates roll-ups from them). */
  summaryValues(): Array<string | number> | null {
    return this.rebuilt === null ? (JSON.parse(this.lineSummary) as Array<string | number>) : null;
  }
  get lines(): RefundLine[] {
    this.rebuilt ??= linesFromSummary(this.lineSummary).lines;
    return this.rebuilt;
  }
  set lines(value: RefundLine[]) {
    this.rebuilt = value;
  }
}

/** A record read for matching, plus the row id; display-only fields are filled by `hydrate`. */
export type MatchRecord = StoredRefund & { hydrated?: boolean; lineSummary?: string };

/** Reads one snapshot's matching columns with SQL (the first comparison of a snapshot). */
function readSnapshotColumns(db: Db, snapshotId: number, keyColumn: string, persist: boolean): SnapshotColumns {
  let computed: ((rowId: number, shipping: number) => string) | null = null;
  if (persist) ensureLineSummaries(db, snapshotId);
  else computed = computeLineSummaries(db, snapshotId);
  const n = (db.prepare('SELECT count(*) AS n FROM refunds WHERE snapshot_id = ?').get(snapshotId) as { n: number }).n;
  const c: SnapshotColumns = {
    n,
    rowId: new Float64Array(n),
    day: new Int32Array(n),
    total: new Float64Array(n),
    presTotal: new Float64Array(n),
    shipping: new Float64Array(n),
    flags: new Uint8Array(n),
    currency: new Array(n),
    presCurrency: new Array(n),
    recordType: new Array(n),
    createdFromType: new Array(n),
    id: new Array(n),
    orderKey: new Array(n),
    appliesTo: EMPTY_TEXT,
    keyValue: EMPTY_TEXT,
    summary: EMPTY_TEXT,
    orderRef: EMPTY_TEXT,
    documentNumber: EMPTY_TEXT,
    tenders: EMPTY_TEXT,
    creditDetail: EMPTY_TEXT,
  };
  const appliesTo: string[] = new Array(n);
  const keyValue: string[] = new Array(n);
  const summary: string[] = new Array(n);
  const orderRef: string[] = new Array(n);
  const documentNumber: string[] = new Array(n);
  const tenders: string[] = new Array(n);
  const creditDetail: string[] = new Array(n);
  const intern = new Map<string, string>();
  const s = (v: string): string => {
    const hit = intern.get(v);
    if (hit !== undefined) return hit;
    if (intern.size < 10_000) intern.set(v, v);
    return v;
  };
  const stmt = db
    .prepare(
      `SELECT id, source_id, order_key, CAST(julianday(date) - 2440587.5 AS INTEGER), currency, total,
              presentment_currency, presentment_total, record_type,
              (status = 'ok') | (money_moved << 1) | ((kind = 'line_item') << 2), applies_to, ${keyColumn},
              created_from_type, line_summary, shipping, order_ref, document_number, ${tenderColumnsSql(db)}
       FROM refunds WHERE snapshot_id = ?
       ORDER BY order_key, 4, source_id, total, document_number, currency, external_id, record_type`,
    )
    .raw(true);
  let k = 0;
  let lastKey = '';
  for (const row of stmt.iterate(snapshotId) as IterableIterator<unknown[]>) {
    c.rowId[k] = row[0] as number;
    c.id[k] = row[1] as string;
    const key = row[2] as string;
    if (key !== lastKey) lastKey = key;
    c.orderKey[k] = lastKey;
    c.day[k] = row[3] as number;
    c.currency[k] = s(row[4] as string);
    c.total[k] = row[5] as number;
    const pc = row[6] as string | null;
    c.presCurrency[k] = pc === null ? null : s(pc);
    c.presTotal[k] = (row[7] as number | null) ?? 0;
    c.recordType[k] = s(row[8] as string);
    const sum = (row[13] as string | null) ?? (computed ? computed(row[0] as number, row[14] as number) : '[0,0]');
    c.flags[k] = (row[9] as number) | (summaryHasItems(sum) ? 8 : 0);
    appliesTo[k] = row[10] as string;
    keyValue[k] = row[11] as string;
    const cf = row[12] as string | null;
    c.createdFromType[k] = cf === null ? null : s(cf);
    summary[k] = sum;
    c.shipping[k] = row[14] as number;
    orderRef[k] = row[15] as string;
    documentNumber[k] = row[16] as string;
    tenders[k] = (row[17] as string | null) ?? '';
    creditDetail[k] = (row[18] as string | null) ?? '';
    k++;
  }
  c.appliesTo = TextColumn.from(appliesTo);
  c.keyValue = TextColumn.from(keyValue);
  c.summary = TextColumn.from(summary);
  c.orderRef = TextColumn.from(orderRef);
  c.documentNumber = TextColumn.from(documentNumber);
  c.tenders = TextColumn.from(tenders);
  c.tenderTable = TenderTable.fromText(c.tenders);
  c.creditDetail = TextColumn.from(creditDetail);
  return c;
}

/** The refund-key field a side's columns carry (the storefront side has none). */
export function keyFieldOf(side: Side, refundKeyField: 'externalId' | 'memo' | 'documentNumber'): KeyField {
  return side === 'storefront' ? 'none' : refundKeyField;
}

/** A snapshot's matching columns: from `snapshot_match_cache`, else read with SQL and cached. */
export function snapshotColumns(
  db: Db,
  snapshotId: number,
  refundKeyField: 'externalId' | 'memo' | 'documentNumber',
  side: Side,
  persist = true,
  useCache = true,
): SnapshotColumns {
  const keyField = keyFieldOf(side, refundKeyField);
  const cached = !useCache
    ? undefined
    : (db
        .prepare('SELECT format, data FROM snapshot_match_cache WHERE snapshot_id = ? AND key_field = ?')
        .get(snapshotId, keyField) as { format: number; data: Buffer } | undefined);
  // An index of an older format is not read: the columns are read with SQL and stored anew below.
  if (cached && readableMatchCacheFormat(cached.format)) {
    const decoded = decodeColumns(cached.data);
    if (decoded) return decoded;
  }
  const keyColumn =
    keyField === 'none'
      ? "''"
      : keyField === 'externalId'
        ? 'external_id'
        : keyField === 'memo'
          ? 'memo'
          : 'document_number';
  const columns = readSnapshotColumns(db, snapshotId, keyColumn, persist);
  if (persist) writeMatchCache(db, snapshotId, keyField, columns);
  return columns;
}

function concat(parts: SnapshotColumns[]): SnapshotColumns {
  if (parts.length === 1) return parts[0]!;
  const n = parts.reduce((acc, p) => acc + p.n, 0);
  const typed = <T extends Float64Array | Int32Array | Uint8Array>(
    make: (n: number) => T,
    pick: (p: SnapshotColumns) => T,
  ) => {
    const out = make(n);
    let at = 0;
    for (const p of parts) {
      out.set(pick(p), at);
      at += p.n;
    }
    return out;
  };
  const list = <T>(pick: (p: SnapshotColumns) => T[]): T[] => parts.flatMap(pick);
  return {
    n,
    rowId: typed(
      (k) => new Float64Array(k),
      (p) => p.rowId,
    ),
    day: typed(
      (k) => new Int32Array(k),
      (p) => p.day,
    ),
    total: typed(
      (k) => new Float64Array(k),
      (p) => p.total,
    ),
    presTotal: typed(
      (k) => new Float64Array(k),
      (p) => p.presTotal,
    ),
    shipping: typed(
      (k) => new Float64Array(k),
      (p) => p.shipping,
    ),
    flags: typed(
      (k) => new Uint8Array(k),
      (p) => p.flags,
    ),
    currency: list((p) => p.currency),
    presCurrency: list((p) => p.presCurrency),
    recordType: list((p) => p.recordType),
    createdFromType: list((p) => p.createdFromType),
    id: list((p) => p.id),
    orderKey: list((p) => p.orderKey),
    appliesTo: TextColumn.concat(parts.map((p) => p.appliesTo)),
    keyValue: TextColumn.concat(parts.map((p) => p.keyValue)),
    summary: TextColumn.concat(parts.map((p) => p.summary)),
    orderRef: TextColumn.concat(parts.map((p) => p.orderRef)),
    documentNumber: TextColumn.concat(parts.map((p) => p.documentNumber)),
    tenders: TextColumn.concat(parts.map((p) => p.tenders)),
    creditDetail: TextColumn.concat(parts.map((p) => p.creditDetail)),
  };
}

/**
 * The matching columns of one side (one or more snapshots): from the snapshot's match cache when
 * it has one (one blob), else read from `refunds` (no lines: their summary instead, filled first
 * where missing) and cached for the next comparison. `persist: false` (a temporary workspace):
 * missing summaries are computed in memory and nothing is written.
 */
export function readMatchColumns(
  db: Db,
  snapshotIds: readonly number[],
  side: Side,
  refundKeyField: 'externalId' | 'memo' | 'documentNumber' = 'externalId',
  options: {
    persist?: boolean;
    useCache?: boolean;
    /**
     * Columns already built for some of the snapshots (by the import that just wrote them, see
     * `importFile`'s `matchColumns`, with this `refundKeyField`): used instead of reading them back.
     */
    known?: ReadonlyMap<number, SnapshotColumns>;
    /** Applied to each snapshot's columns after the match index is read or written (never cached). */
    remap?: (snapshotId: number, columns: SnapshotColumns) => SnapshotColumns;
  } = {},
): MatchColumns & { rowId: Float64Array } {
  for (const id of snapshotIds) checkSnapshot(db, id, side);
  const persist = options.persist !== false;
  const remap = options.remap ?? ((_id: number, columns: SnapshotColumns) => columns);
  const c = concat(
    snapshotIds.map((id) => {
      const known = options.known?.get(id);
      if (!known) return remap(id, snapshotColumns(db, id, refundKeyField, side, persist, options.useCache !== false));
      if (persist) writeMatchCache(db, id, keyFieldOf(side, refundKeyField), known);
      return remap(id, known);
    }),
  );
  const tieStmt = db.prepare('SELECT document_number, external_id FROM refunds WHERE id = ?');
  // Presentment parts (migration 009) are read only when a comparison needs them: refunds in a
  // second currency are few, and only those NetSuite recorded in it read their parts.
  const partsStmt = db.prepare('SELECT presentment_parts FROM refunds WHERE id = ?').pluck();
  return columnsView(c, side, {
    tie: (i) => {
      const row = tieStmt.get(c.rowId[i]) as { document_number: string; external_id: string };
      return { documentNumber: row.document_number, externalId: row.external_id };
    },
    presentmentParts: (rowId) => partsStmt.get(rowId),
  });
}

/** What a side's records read from where the snapshot is kept (SQLite or memory), on demand. */
interface RowLookups {
  /** Document number and external id of record i (in the matcher's order). */
  tie(i: number): { documentNumber: string; externalId: string };
  /** The `presentment_parts` text of a row (or null). */
  presentmentParts(rowId: number): unknown;
}

/**
 * The matching columns of one side compared without a workspace (the one-shot `reconcile`): the
 * snapshots read into memory (store/memory-snapshot.ts), in the order given.
 */
export function memoryMatchColumns(
  snapshots: readonly MemorySnapshot[],
  side: Side,
): MatchColumns & { rowId: Float64Array } {
  const c = concat(snapshots.map((s) => s.columns));
  const at = (rowId: number): { s: MemorySnapshot; k: number } => {
    for (const s of snapshots) {
      const k = rowId - s.firstRowId;
      if (k >= 0 && k < s.columns.n) return { s, k };
    }
    throw new Error(`memory snapshot: no row ${rowId}`);
  };
  return columnsView(c, side, {
    tie: (i) => {
      const { s, k } = at(c.rowId[i]!);
      return { documentNumber: c.documentNumber.get(i), externalId: s.display.externalId.get(k) };
    },
    presentmentParts: (rowId) => {
      const { s, k } = at(rowId);
      return s.display.presentmentParts.get(k) ?? null;
    },
  });
}

/** The matcher's view of one side's columns; `lookups` reach what the columns do not hold. */
function columnsView(c: SnapshotColumns, side: Side, lookups: RowLookups): MatchColumns & { rowId: Float64Array } {
  const n = c.n;
  // Tenders as typed columns: the match index's (read at import), or read from the text when the
  // columns were remapped or joined from several snapshots.
  const tenderTable = c.tenderTable ? c.tenderTable.for(c.tenders) : TenderTable.fromText(c.tenders);
  const ok = new Uint8Array(n);
  const moneyMoved = new Uint8Array(n);
  const hasItems = new Uint8Array(n);
  // Dates as shared strings: a dense table over the days present (a Map when they spread too far).
  let minDay = Number.MAX_SAFE_INTEGER;
  let maxDay = Number.MIN_SAFE_INTEGER;
  for (let i = 0; i < n; i++) {
    const d = c.day[i]!;
    if (d < minDay) minDay = d;
    if (d > maxDay) maxDay = d;
  }
  const dense = n > 0 && maxDay - minDay < 1_000_000;
  const dateTable: Array<string | undefined> = dense ? new Array(maxDay - minDay + 1) : [];
  const dateOf = new Map<number, string>();
  const dateString = (d: number): string => new Date(d * 86400000).toISOString().slice(0, 10);
  const date: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const f = c.flags[i]!;
    ok[i] = f & 1;
    moneyMoved[i] = (f >> 1) & 1;
    hasItems[i] = (f >> 3) & 1;
    const d = c.day[i]!;
    let ds = dense ? dateTable[d - minDay] : dateOf.get(d);
    if (ds === undefined) {
      ds = dateString(d);
      if (dense) dateTable[d - minDay] = ds;
      else dateOf.set(d, ds);
    }
    date[i] = ds;
  }
  const presentmentOf = (i: number, currency: string): NonNullable<CanonicalRefund['presentment']> => {
    const rowId = c.rowId[i]!;
    let parts: PresentmentParts | undefined | null = null;
    const p = { currency, total: c.presTotal[i]! } as NonNullable<CanonicalRefund['presentment']>;
    Object.defineProperty(p, 'parts', {
      enumerable: true,
      get: () => {
        if (parts === null) parts = parsePresentmentParts(lookups.presentmentParts(rowId));
        return parts;
      },
    });
    return p;
  };
  const record = (i: number): MatchRecord => {
    const cft = c.createdFromType[i];
    const pc = c.presCurrency[i];
    return new ColumnRecord(
      c,
      tenderTable,
      i,
      c.rowId[i]!,
      side,
      c.id[i]!,
      c.recordType[i] as CanonicalRefund['recordType'],
      cft ? { type: cft as NonNullable<CanonicalRefund['createdFrom']>['type'], ref: '' } : null,
      date[i]!,
      c.currency[i]!,
      c.total[i]!,
      c.shipping[i]!,
      c.flags[i]! & 4 ? 'line_item' : 'general',
      ok[i] ? 'ok' : 'failed',
      moneyMoved[i] === 1,
      pc === null || pc === undefined ? null : presentmentOf(i, pc),
    );
  };
  return {
    n,
    side,
    rowId: c.rowId,
    id: c.id,
    orderKey: c.orderKey,
    day: c.day,
    date,
    currency: c.currency,
    total: c.total,
    presCurrency: c.presCurrency,
    presTotal: c.presTotal,
    recordType: c.recordType,
    ok,
    moneyMoved,
    hasItems,
    appliesTo: (i) => c.appliesTo.get(i),
    keyValue: (i) => c.keyValue.get(i),
    createdFromType: c.createdFromType,
    record,
    tie: lookups.tie,
    plain: {
      summary: c.summary,
      // ColumnRecord.quickTenderClass of a record not yet read (what the engine asks first).
      quickClass: (i) => {
        const o = c.creditDetail.offsets;
        return side === 'storefront' && o[i] !== o[i + 1] ? QUICK_MIXED : tenderTable.quick[i]!;
      },
      rowId: c.rowId,
      orderRef: c.orderRef,
      flags: c.flags,
    },
  };
}

/**
 * Fills the display fields (document number, order ref, source ref, tax, adjustment, kind, memo,
 * external id, status, test flag) of records read by `readMatchColumns`, in one query per batch.
 * Lines stay as rebuilt from the summary, exactly what the matcher compared.
 */
export function hydrate(db: Db, records: Iterable<CanonicalRefund>): void {
  const pending: MatchRecord[] = [];
  for (const r of records) {
    const m = r as MatchRecord;
    if (m.hydrated === false) pending.push(m);
  }
  if (pending.length === 0) return;
  const stmt = hydrateStatement(db);
  for (let start = 0; start < pending.length; start += 500) {
    const batch = pending.slice(start, start + 500);
    const rows = stmt.all(JSON.stringify(batch.map((r) => r.rowId))) as unknown[][];
    const byId = new Map<number, unknown[]>();
    for (const row of rows) byId.set(row[0] as number, row);
    for (const r of batch) {
      const row = byId.get(r.rowId);
      if (!row) continue;
      applyDisplay(r, {
        documentNumber: row[1] as string,
        orderRef: row[2] as string,
        createdFromRef: row[3] as string | null,
        tax: row[4] as number,
        adjustment: row[5] as number,
        kind: row[6] as CanonicalRefund['kind'],
        externalId: row[7] as string,
        memo: row[8] as string,
        isTest: row[9] === 1,
        status: row[10] as CanonicalRefund['status'],
        linesExported: row[11] !== 0,
        tenders: row[12],
        creditDetail: row[13],
        recordType: row[14] as CanonicalRefund['recordType'],
        total: row[15] as number,
      });
    }
  }
}

/**
 * hydrate's query, prepared once per connection and column list: the row ids go in as one JSON
 * array. (A statement per batch, with a placeholder per id, was compiled for every batch: with
 * the column check, ~12 % of a first comparison's CPU at 100k refunds.)
 */
function hydrateStatement(db: Db): ReturnType<Db['prepare']> {
  const tenderColumns = tenderColumnsSql(db);
  let byColumns = HYDRATE_STATEMENTS.get(db);
  if (!byColumns) {
    byColumns = new Map();
    HYDRATE_STATEMENTS.set(db, byColumns);
  }
  let stmt = byColumns.get(tenderColumns);
  if (!stmt) {
    stmt = db
      .prepare(
        `SELECT id, document_number, order_ref, created_from_ref, tax, adjustment, kind, external_id, memo, is_test, status,
                lines_exported, ${tenderColumns}, record_type, total
         FROM refunds WHERE id IN (SELECT value FROM json_each(?))`,
      )
      .raw(true);
    byColumns.set(tenderColumns, stmt);
  }
  return stmt;
}

const HYDRATE_STATEMENTS = new WeakMap<Db, Map<string, ReturnType<Db['prepare']>>>();

/** The display fields of one refunds row, as `hydrate` reads them (or a memory snapshot holds them). */
interface DisplayFields {
  /** Absent: the record's own (cut from the same columns). */
  documentNumber?: string;
  orderRef?: string;
  createdFromRef: string | null;
  tax: number;
  adjustment: number;
  kind: CanonicalRefund['kind'];
  externalId: string;
  memo: string;
  isTest: boolean;
  status: CanonicalRefund['status'];
  linesExported: boolean;
  /** The `tenders` text; undefined: the record's own (its columns hold the same text). */
  tenders?: unknown;
  creditDetail: unknown;
  recordType: CanonicalRefund['recordType'];
  total: number;
}

function applyDisplay(r: MatchRecord, d: DisplayFields): void {
  if (d.documentNumber !== undefined) r.documentNumber = d.documentNumber;
  if (d.orderRef !== undefined) r.orderRef = d.orderRef;
  if (r.createdFrom) r.createdFrom = { type: r.createdFrom.type, ref: d.createdFromRef ?? '' };
  r.tax = d.tax;
  r.adjustment = d.adjustment;
  r.kind = d.kind;
  r.externalId = d.externalId;
  r.memo = d.memo;
  r.isTest = d.isTest;
  r.status = d.status;
  if (!d.linesExported) r.linesExported = false;
  if (d.tenders !== undefined || !(r instanceof ColumnRecord)) {
    r.tenders = parseTenders(d.tenders ?? null, { recordType: d.recordType, total: d.total });
  }
  const credit = parseCreditDetail(d.creditDetail, { side: r.side, total: d.total });
  if (r instanceof ColumnRecord) r.setCredit(credit);
  else {
    r.amountRemaining = credit.amountRemaining;
    r.applications = credit.applications;
    r.recordTotal = credit.recordTotal;
    r.exchange = credit.exchange ?? null;
  }
  r.hydrated = true;
}

/**
 * `hydrate` for records of memory snapshots (the one-shot `reconcile`): the same fields, from the
 * snapshots' display columns.
 */
export function hydrateFromMemory(snapshots: readonly MemorySnapshot[], records: Iterable<CanonicalRefund>): void {
  for (const r of records) {
    const m = r as MatchRecord;
    if (m.hydrated !== false) continue;
    const s = snapshots.find(
      (x) => x.side === m.side && m.rowId >= x.firstRowId && m.rowId < x.firstRowId + x.columns.n,
    );
    if (!s) continue;
    const k = m.rowId - s.firstRowId;
    const d = s.display;
    applyDisplay(m, {
      createdFromRef: d.createdFromRef.get(k),
      tax: d.tax[k]!,
      adjustment: d.adjustment[k]!,
      kind: dictValue(d.kind, k) as CanonicalRefund['kind'],
      externalId: d.externalId.get(k),
      memo: d.memo.get(k),
      isTest: (d.bits[k]! & 1) !== 0,
      status: dictValue(d.status, k) as CanonicalRefund['status'],
      linesExported: (d.bits[k]! & 2) === 0,
      // The snapshot's match columns hold the same tenders (memory columns are never remapped):
      // the record reads them from its tender table, not by parsing the text again.
      creditDetail: d.creditDetail.get(k) ?? null,
      recordType: m.recordType,
      total: m.total,
    });
  }
}
