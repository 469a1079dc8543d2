import { UserError } from '../../shared/errors';
import { type CanonicalRefund, normaliseOrderRef, type RefundLine, type Side } from '../../shared/model';
import type { Db } from '../store/open';
import { ensureLineSummaries, linesFromSummary, summaryHasItems } from './line-summary';
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
  readonly appliesTo: string[];
  /** The value of the rules' `refundKeyField` (NetSuite side; '' elsewhere). */
  readonly keyValue: string[];
  /** createdFrom.type, or null. */
  readonly createdFromType: Array<string | null>;
  /** The matcher's view of record i (lines rebuilt from the line summary when read from SQLite). */
  record(i: number): CanonicalRefund;
  /** Fields only needed to break ties between records with equal id and total (rare). */
  tie(i: number): { documentNumber: string; externalId: string };
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
    appliesTo: refunds.map((r) => r.appliesTo),
    keyValue: refunds.map((r) =>
      refundKeyField === 'externalId' ? r.externalId : refundKeyField === 'memo' ? r.memo : r.documentNumber,
    ),
    createdFromType: refunds.map((r) => r.createdFrom?.type ?? null),
    record: (i) => refunds[i]!,
    tie: (i) => refunds[i]!,
  };
}

function checkSnapshot(db: Db, snapshotId: number, expectedSide: Side): void {
  const snapshot = db.prepare('SELECT side FROM snapshots WHERE id = ?').get(snapshotId) as { side: Side } | undefined;
  if (!snapshot) {
    throw new UserError(
      'snapshot_not_found',
      `There is no snapshot ${snapshotId} in this workspace. List snapshots with "refund-recon import" output or the Snapshots screen.`,
    );
  }
  if (snapshot.side !== expectedSide) {
    throw new UserError(
      'snapshot_wrong_side',
      `Snapshot ${snapshotId} holds ${snapshot.side} refunds, but it was given as the ${expectedSide} side. Swap the two snapshot ids.`,
    );
  }
}

const EMPTY_LINES: RefundLine[] = [];

/** A record read for matching, plus the row id; display-only fields are filled by `hydrate`. */
export type MatchRecord = StoredRefund & { hydrated?: boolean };

/**
 * Reads the matching columns of one side (one or more snapshots) from SQLite: 14 columns, no
 * lines (their summary instead, filled first where missing), rows grouped by order key so the
 * matcher's sort finds them almost sorted. Repeated strings (dates, currencies, types, order keys
 * of consecutive rows) are interned.
 */
export function readMatchColumns(
  db: Db,
  snapshotIds: readonly number[],
  side: Side,
  refundKeyField: 'externalId' | 'memo' | 'documentNumber' = 'externalId',
  options: { display?: boolean } = {},
): MatchColumns & { rowId: Float64Array; summary: Array<string | null> } {
  const display = options.display === true;
  for (const id of snapshotIds) checkSnapshot(db, id, side);
  for (const id of snapshotIds) ensureLineSummaries(db, id);
  let n = 0;
  for (const id of snapshotIds) {
    n += (db.prepare('SELECT count(*) AS n FROM refunds WHERE snapshot_id = ?').get(id) as { n: number }).n;
  }
  const rowId = new Float64Array(n);
  const id: string[] = new Array(n);
  const orderKey: string[] = new Array(n);
  const day = new Int32Array(n);
  const date: string[] = new Array(n);
  const currency: string[] = new Array(n);
  const total = new Float64Array(n);
  const presCurrency: Array<string | null> = new Array(n);
  const presTotal = new Float64Array(n);
  const recordType: string[] = new Array(n);
  const ok = new Uint8Array(n);
  const moneyMoved = new Uint8Array(n);
  const hasItems = new Uint8Array(n);
  const lineItem = new Uint8Array(n);
  const appliesTo: string[] = new Array(n);
  const keyValue: string[] = new Array(n);
  const createdFromType: Array<string | null> = new Array(n);
  const shipping = new Float64Array(n);
  const summary: Array<string | null> = new Array(n);
  const orderRef: string[] = display ? new Array(n) : [];
  const documentNumber: string[] = display ? new Array(n) : [];
  const intern = new Map<string, string>();
  const s = (v: string): string => {
    const hit = intern.get(v);
    if (hit !== undefined) return hit;
    if (intern.size < 10_000) intern.set(v, v);
    return v;
  };
  const dateOf = new Map<number, string>();
  const keyColumn =
    side === 'storefront'
      ? "''"
      : refundKeyField === 'externalId'
        ? 'external_id'
        : refundKeyField === 'memo'
          ? 'memo'
          : 'document_number';
  const stmt = db
    .prepare(
      `SELECT id, source_id, order_key, CAST(julianday(date) - 2440587.5 AS INTEGER), currency, total,
              presentment_currency, presentment_total, record_type,
              (status = 'ok') | (money_moved << 1) | ((kind = 'line_item') << 2), applies_to, ${keyColumn},
              created_from_type, line_summary, shipping${display ? ', order_ref, document_number' : ''}
       FROM refunds WHERE snapshot_id = ? ORDER BY order_key`,
    )
    .raw(true);
  let k = 0;
  let lastKey = '';
  for (const snapshotId of snapshotIds) {
    for (const row of stmt.iterate(snapshotId) as IterableIterator<unknown[]>) {
      rowId[k] = row[0] as number;
      id[k] = row[1] as string;
      const ok2 = row[2] as string;
      if (ok2 !== lastKey) lastKey = ok2;
      orderKey[k] = lastKey;
      const d = row[3] as number;
      day[k] = d;
      let ds = dateOf.get(d);
      if (ds === undefined) {
        ds = new Date(d * 86400000).toISOString().slice(0, 10);
        dateOf.set(d, ds);
      }
      date[k] = ds;
      currency[k] = s(row[4] as string);
      total[k] = row[5] as number;
      const pc = row[6] as string | null;
      presCurrency[k] = pc === null ? null : s(pc);
      presTotal[k] = (row[7] as number | null) ?? 0;
      recordType[k] = s(row[8] as string);
      const flags = row[9] as number;
      ok[k] = flags & 1;
      moneyMoved[k] = (flags >> 1) & 1;
      lineItem[k] = (flags >> 2) & 1;
      appliesTo[k] = row[10] as string;
      keyValue[k] = row[11] as string;
      const cf = row[12] as string | null;
      createdFromType[k] = cf === null ? null : s(cf);
      const sum = row[13] as string | null;
      summary[k] = sum;
      hasItems[k] = sum !== null && summaryHasItems(sum) ? 1 : 0;
      shipping[k] = row[14] as number;
      if (display) {
        const ref = row[15] as string;
        orderRef[k] = ref === ok2 ? ok2 : ref;
        documentNumber[k] = row[16] as string;
      }
      k++;
    }
  }
  // Display fields (tax, adjustment, source ref, memo…; without `display` also the document number
  // and order ref) are not read here: `hydrate` fills them for the results shown with a hint.
  const tieStmt = db.prepare('SELECT document_number, external_id FROM refunds WHERE id = ?');
  const sideName = side;
  const record = (i: number): MatchRecord => {
    const sum = summary[i];
    const rebuilt = sum ? linesFromSummary(sum) : null;
    const cft = createdFromType[i];
    const pc = presCurrency[i];
    return {
      rowId: rowId[i]!,
      side: sideName,
      id: id[i]!,
      documentNumber: display ? documentNumber[i]! : '',
      recordType: recordType[i] as CanonicalRefund['recordType'],
      orderRef: display ? orderRef[i]! : '',
      createdFrom: cft ? { type: cft as NonNullable<CanonicalRefund['createdFrom']>['type'], ref: '' } : null,
      date: date[i]!,
      currency: currency[i]!,
      total: total[i]!,
      shipping: shipping[i]!,
      tax: 0,
      adjustment: 0,
      lines: rebuilt ? rebuilt.lines : EMPTY_LINES,
      kind: lineItem[i] ? 'line_item' : 'general',
      externalId: '',
      memo: '',
      isTest: false,
      status: ok[i] ? 'ok' : 'failed',
      appliesTo: appliesTo[i]!,
      moneyMoved: moneyMoved[i] === 1,
      presentment: pc === null || pc === undefined ? null : { currency: pc, total: presTotal[i]! },
      hydrated: false,
    };
  };
  return {
    n,
    side,
    rowId,
    summary,
    id,
    orderKey,
    day,
    date,
    currency,
    total,
    presCurrency,
    presTotal,
    recordType,
    ok,
    moneyMoved,
    hasItems,
    appliesTo,
    keyValue,
    createdFromType,
    record,
    tie: (i) => {
      const row = tieStmt.get(rowId[i]) as { document_number: string; external_id: string };
      return { documentNumber: row.document_number, externalId: row.external_id };
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
  for (let start = 0; start < pending.length; start += 500) {
    const batch = pending.slice(start, start + 500);
    const rows = db
      .prepare(
        `SELECT id, document_number, order_ref, created_from_ref, tax, adjustment, kind, external_id, memo, is_test, status
         FROM refunds WHERE id IN (${batch.map(() => '?').join(',')})`,
      )
      .raw(true)
      .all(...batch.map((r) => r.rowId)) as unknown[][];
    const byId = new Map<number, unknown[]>();
    for (const row of rows) byId.set(row[0] as number, row);
    for (const r of batch) {
      const row = byId.get(r.rowId);
      if (!row) continue;
      r.documentNumber = row[1] as string;
      r.orderRef = row[2] as string;
      if (r.createdFrom) r.createdFrom = { type: r.createdFrom.type, ref: (row[3] as string | null) ?? '' };
      r.tax = row[4] as number;
      r.adjustment = row[5] as number;
      r.kind = row[6] as CanonicalRefund['kind'];
      r.externalId = row[7] as string;
      r.memo = row[8] as string;
      r.isTest = row[9] === 1;
      r.status = row[10] as CanonicalRefund['status'];
      r.hydrated = true;
    }
  }
}
