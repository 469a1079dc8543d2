import { UserError } from '../../shared/errors';
import type { CanonicalRefund, RefundLine, Side } from '../../shared/model';
import type { Db } from '../store/open';
import { withParts } from '../store/presentment-parts';
import { snapshotSide } from '../store/snapshots';
import { parseCreditDetail, parseTenders, tenderColumnsSql } from '../store/tender-columns';

/** A canonical refund read from a snapshot, with its `refunds` row id (results point at it). */
export type StoredRefund = CanonicalRefund & { rowId: number };

const EMPTY_LINES: RefundLine[] = [];

/**
 * Reads a snapshot's refunds for matching: raw rows (no per-row objects from SQLite), repeated
 * strings interned, lines attached through an array indexed by row id (a snapshot's refunds are
 * one contiguous id range from the snapshot writer; a Map covers anything else).
 */
export function readRefundsForMatching(db: Db, snapshotId: number, expectedSide?: Side): StoredRefund[] {
  const side = snapshotSide(db, snapshotId);
  if (!side) {
    throw new UserError(
      'snapshot_not_found',
      `There is no snapshot ${snapshotId} in this workspace. List snapshots with "refund-recon import" output or the Snapshots screen.`,
    );
  }
  if (expectedSide && side !== expectedSide) {
    throw new UserError(
      'snapshot_wrong_side',
      `Snapshot ${snapshotId} holds ${side} refunds, but it was given as the ${expectedSide} side. Swap the two snapshot ids.`,
    );
  }
  const intern = new Map<string, string>();
  const s = (value: string): string => {
    const hit = intern.get(value);
    if (hit !== undefined) return hit;
    if (intern.size < 50_000) intern.set(value, value);
    return value;
  };
  const refunds: StoredRefund[] = [];
  const stmt = db
    .prepare(
      `SELECT id, source_id, document_number, record_type, order_ref, created_from_type, created_from_ref, date,
              currency, total, shipping, tax, adjustment, kind, external_id, memo, is_test, status, applies_to,
              money_moved, presentment_currency, presentment_total, presentment_parts, lines_exported,
              ${tenderColumnsSql(db)}
       FROM refunds WHERE snapshot_id = ? ORDER BY id`,
    )
    .raw(true);
  let minId = Number.MAX_SAFE_INTEGER;
  let maxId = 0;
  for (const row of stmt.iterate(snapshotId) as IterableIterator<unknown[]>) {
    const rowId = row[0] as number;
    if (rowId < minId) minId = rowId;
    if (rowId > maxId) maxId = rowId;
    const createdFromType = row[5] as string | null;
    const presentmentCurrency = row[20] as string | null;
    refunds.push({
      rowId,
      side: side,
      id: row[1] as string,
      documentNumber: row[2] as string,
      recordType: s(row[3] as string) as CanonicalRefund['recordType'],
      orderRef: row[4] as string,
      createdFrom: createdFromType
        ? {
            type: s(createdFromType) as NonNullable<CanonicalRefund['createdFrom']>['type'],
            ref: (row[6] as string) ?? '',
          }
        : null,
      date: s(row[7] as string),
      currency: s(row[8] as string),
      total: row[9] as number,
      shipping: row[10] as number,
      tax: row[11] as number,
      adjustment: row[12] as number,
      lines: EMPTY_LINES,
      kind: s(row[13] as string) as CanonicalRefund['kind'],
      externalId: row[14] as string,
      memo: row[15] as string,
      isTest: row[16] === 1,
      status: s(row[17] as string) as CanonicalRefund['status'],
      appliesTo: row[18] as string,
      moneyMoved: row[19] === 1,
      ...(row[23] === 0 ? { linesExported: false } : {}),
      presentment: presentmentCurrency
        ? withParts({ currency: presentmentCurrency, total: row[21] as number }, row[22])
        : null,
      tenders: parseTenders(row[24], { recordType: row[3] as CanonicalRefund['recordType'], total: row[9] as number }),
      ...parseCreditDetail(row[25], { side: side, total: row[9] as number }),
    });
  }
  if (refunds.length === 0) return refunds;
  const contiguous = maxId - minId + 1 === refunds.length;
  const byId = contiguous ? null : new Map(refunds.map((r) => [r.rowId, r]));
  const lineStmt = db
    .prepare(
      `SELECT l.refund_id, l.sku, l.quantity, l.amount, l.tax, l.role FROM refund_lines l
       WHERE l.refund_id BETWEEN ? AND ? ORDER BY l.refund_id, l.line_no`,
    )
    .raw(true);
  let current: StoredRefund | undefined;
  for (const row of lineStmt.iterate(minId, maxId) as IterableIterator<unknown[]>) {
    const refundId = row[0] as number;
    if (!current || current.rowId !== refundId) {
      current = byId ? byId.get(refundId) : refunds[refundId - minId];
      if (!current) continue;
      current.lines = [];
    }
    current.lines.push({
      sku: s(row[1] as string),
      description: '',
      quantity: row[2] as number,
      amount: row[3] as number,
      tax: row[4] as number,
      role: s(row[5] as string) as RefundLine['role'],
    });
  }
  return refunds;
}

/** Full refunds (with line descriptions) by row id, for the detail view. */
export function readRefundsByRowIds(db: Db, rowIds: number[]): StoredRefund[] {
  if (rowIds.length === 0) return [];
  const placeholders = rowIds.map(() => '?').join(',');
  const rows = db
    .prepare(
      `SELECT id, snapshot_id, source_id, document_number, record_type, order_ref, created_from_type, created_from_ref,
              date, currency, total, shipping, tax, adjustment, kind, external_id, memo, is_test, status, applies_to,
              money_moved, presentment_currency, presentment_total, presentment_parts, lines_exported,
              ${tenderColumnsSql(db)},
              (SELECT side FROM snapshots WHERE snapshots.id = refunds.snapshot_id) AS side
       FROM refunds WHERE id IN (${placeholders})`,
    )
    .all(...rowIds) as Array<Record<string, unknown>>;
  const lines = db
    .prepare(
      `SELECT refund_id, sku, description, quantity, amount, tax, role FROM refund_lines
       WHERE refund_id IN (${placeholders}) ORDER BY refund_id, line_no`,
    )
    .all(...rowIds) as Array<Record<string, unknown>>;
  const byId = new Map<number, StoredRefund>();
  for (const row of rows) {
    byId.set(row.id as number, {
      rowId: row.id as number,
      side: row.side as Side,
      id: row.source_id as string,
      documentNumber: row.document_number as string,
      recordType: row.record_type as CanonicalRefund['recordType'],
      orderRef: row.order_ref as string,
      createdFrom: row.created_from_type
        ? {
            type: row.created_from_type as NonNullable<CanonicalRefund['createdFrom']>['type'],
            ref: (row.created_from_ref as string) ?? '',
          }
        : null,
      date: row.date as string,
      currency: row.currency as string,
      total: row.total as number,
      shipping: row.shipping as number,
      tax: row.tax as number,
      adjustment: row.adjustment as number,
      lines: [],
      kind: row.kind as CanonicalRefund['kind'],
      externalId: row.external_id as string,
      memo: row.memo as string,
      isTest: row.is_test === 1,
      status: row.status as CanonicalRefund['status'],
      appliesTo: row.applies_to as string,
      moneyMoved: row.money_moved === 1,
      ...(row.lines_exported === 0 ? { linesExported: false } : {}),
      presentment: row.presentment_currency
        ? withParts(
            { currency: row.presentment_currency as string, total: row.presentment_total as number },
            row.presentment_parts,
          )
        : null,
      tenders: parseTenders(row.tenders, {
        recordType: row.record_type as CanonicalRefund['recordType'],
        total: row.total as number,
      }),
      ...parseCreditDetail(row.credit_detail, { side: row.side as Side, total: row.total as number }),
    });
  }
  for (const line of lines) {
    byId.get(line.refund_id as number)?.lines.push({
      sku: line.sku as string,
      description: line.description as string,
      quantity: line.quantity as number,
      amount: line.amount as number,
      tax: line.tax as number,
      role: line.role as RefundLine['role'],
    });
  }
  return rowIds.map((id) => byId.get(id)).filter((r): r is StoredRefund => r !== undefined);
}
