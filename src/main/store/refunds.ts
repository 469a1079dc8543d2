import type { LearnableRefund } from '../../shared/contract/accounts';
import { UserError } from '../../shared/errors';
import type { CanonicalRefund, Side } from '../../shared/model';
import type { Db } from './open';
import { withParts } from './presentment-parts';
import { snapshotSide } from './snapshots';
import { parseCreditDetail, parseTenders } from './tender-columns';

/**
 * The SQL of `refunds` and `refund_lines`, the refunds of every snapshot with their lines (one
 * owner for both: a refund's lines are part of it). Rows are written by the snapshot writer's
 * batched INSERTs (store/snapshot-writer.ts, through store/eliding-insert.ts) and never updated
 * except for the line summary (store/line-summary.ts). Readers that combine them with other
 * tables, or read them in a shape of their own on a hot path, are aggregates (see CONTRIBUTING.md).
 */

/** The id the next refund row takes: the writer numbers rows itself (lines point at them). */
export function nextRefundRowId(db: Db): number {
  const max = db.prepare('SELECT COALESCE(MAX(id), 0) AS m FROM refunds').get() as { m: number };
  return max.m + 1;
}

interface RefundRow {
  id: number;
  source_id: string;
  document_number: string;
  record_type: CanonicalRefund['recordType'];
  order_ref: string;
  created_from_type: NonNullable<CanonicalRefund['createdFrom']>['type'] | null;
  created_from_ref: string | null;
  date: string;
  currency: string;
  total: number;
  shipping: number;
  tax: number;
  adjustment: number;
  kind: CanonicalRefund['kind'];
  external_id: string;
  memo: string;
  is_test: number;
  status: CanonicalRefund['status'];
  applies_to: string;
  money_moved: number;
  presentment_currency: string | null;
  presentment_total: number | null;
  presentment_parts?: string | null;
  lines_exported?: number;
  tenders?: string | null;
  credit_detail?: string | null;
}

interface LineRow {
  refund_id: number;
  sku: string;
  description: string;
  quantity: number;
  amount: number;
  tax: number;
  role: CanonicalRefund['lines'][number]['role'];
}

function toRefund(side: Side, row: RefundRow): CanonicalRefund {
  const credit = parseCreditDetail(row.credit_detail, { side, total: row.total });
  return {
    side,
    id: row.source_id,
    documentNumber: row.document_number,
    recordType: row.record_type,
    orderRef: row.order_ref,
    createdFrom:
      row.created_from_type !== null ? { type: row.created_from_type, ref: row.created_from_ref ?? '' } : null,
    date: row.date,
    currency: row.currency,
    total: row.total,
    shipping: row.shipping,
    tax: row.tax,
    adjustment: row.adjustment,
    lines: [],
    kind: row.kind,
    externalId: row.external_id,
    memo: row.memo,
    isTest: row.is_test === 1,
    status: row.status,
    appliesTo: row.applies_to,
    moneyMoved: row.money_moved === 1,
    ...(row.lines_exported === 0 ? { linesExported: false } : {}),
    presentment:
      row.presentment_currency !== null && row.presentment_total !== null
        ? withParts({ currency: row.presentment_currency, total: row.presentment_total }, row.presentment_parts)
        : null,
    tenders: parseTenders(row.tenders, { recordType: row.record_type, total: row.total }),
    ...credit,
  };
}

/**
 * Streams a snapshot's refunds, with their lines, in import order. Two cursors walk refunds and
 * lines side by side (both ordered by refund id), so memory stays constant for any snapshot size.
 */
export function* iterateSnapshotRefunds(db: Db, snapshotId: number): Generator<CanonicalRefund> {
  const side = snapshotSide(db, snapshotId);
  if (!side) throw new UserError('not_found', `There is no snapshot ${snapshotId} in this workspace.`);
  const refunds = db
    .prepare('SELECT * FROM refunds WHERE snapshot_id = ? ORDER BY id')
    .iterate(snapshotId) as IterableIterator<RefundRow>;
  // A second statement needs its own connection while the first iterates: better-sqlite3 allows
  // one open iterator per statement, and several statements per connection, so this is fine.
  const lines = db
    .prepare(
      `SELECT l.refund_id, l.sku, l.description, l.quantity, l.amount, l.tax, l.role
       FROM refund_lines l JOIN refunds r ON r.id = l.refund_id
       WHERE r.snapshot_id = ? ORDER BY l.refund_id, l.line_no`,
    )
    .iterate(snapshotId) as IterableIterator<LineRow>;
  let pending = lines.next();
  try {
    for (const row of refunds) {
      const refund = toRefund(side, row);
      while (!pending.done && pending.value.refund_id < row.id) pending = lines.next();
      while (!pending.done && pending.value.refund_id === row.id) {
        const l = pending.value;
        refund.lines.push({
          sku: l.sku,
          description: l.description,
          quantity: l.quantity,
          amount: l.amount,
          tax: l.tax,
          role: l.role,
        });
        pending = lines.next();
      }
      yield refund;
    }
  } finally {
    lines.return?.();
  }
}

/** All refunds of a snapshot with their lines (see iterateSnapshotRefunds for large snapshots). */
export function readSnapshotRefunds(db: Db, snapshotId: number): CanonicalRefund[] {
  return [...iterateSnapshotRefunds(db, snapshotId)];
}

/** Deletes a snapshot's refunds and their lines. */
export function deleteSnapshotRefunds(db: Db, snapshotId: number): void {
  db.prepare('DELETE FROM refund_lines WHERE refund_id IN (SELECT id FROM refunds WHERE snapshot_id = ?)').run(
    snapshotId,
  );
  db.prepare('DELETE FROM refunds WHERE snapshot_id = ?').run(snapshotId);
}

/** A snapshot's refund row ids in order-key order (the index the match columns are sorted by). */
export function refundIdsByOrderKey(db: Db, snapshotId: number): number[] {
  return db
    .prepare('SELECT id FROM refunds INDEXED BY refunds_by_snapshot_order WHERE snapshot_id = ? ORDER BY order_key')
    .pluck()
    .all(snapshotId) as number[];
}

/** A reader of refunds' external ids by row id: one prepared statement for any number of reads. */
export function externalIdReader(db: Db): (rowId: number) => string {
  const externalId = db.prepare('SELECT external_id FROM refunds WHERE id = ?').pluck();
  return (rowId) => externalId.get(rowId) as string;
}

/** The order name of a snapshot's first refund with this normalised order key, if any. */
export function orderRefOfOrderKey(db: Db, snapshotId: number, orderKey: string): string | undefined {
  return db
    .prepare('SELECT order_ref FROM refunds WHERE snapshot_id = ? AND order_key = ? LIMIT 1')
    .pluck()
    .get(snapshotId, orderKey) as string | undefined;
}

interface LearnableRow {
  source_id: string;
  document_number: string;
  order_ref: string;
  date: string;
  currency: string;
  total: number;
  is_test: number;
}

/**
 * A snapshot's refunds as the learn form lists them: test orders' first (the ones the seed
 * advice refunds by hand), then the newest. Read from the refunds table alone (no lines, no
 * tenders), and at most `limit`, so a snapshot of a million refunds answers at once.
 */
export function learnableRefunds(
  db: Db,
  snapshotId: number,
  limit: number,
): { refunds: LearnableRefund[]; refundCount: number; testCount: number } {
  const rows = db
    .prepare(
      `SELECT source_id, document_number, order_ref, date, currency, total, is_test FROM refunds
       WHERE snapshot_id = ? ORDER BY is_test DESC, date DESC, id DESC LIMIT ?`,
    )
    .all(snapshotId, limit) as LearnableRow[];
  const counts = db
    .prepare('SELECT COUNT(*) AS n, COALESCE(SUM(is_test), 0) AS t FROM refunds WHERE snapshot_id = ?')
    .get(snapshotId) as { n: number; t: number };
  return {
    refunds: rows.map((r) => ({
      refundId: r.source_id,
      documentNumber: r.document_number,
      orderRef: r.order_ref,
      date: r.date,
      currency: r.currency,
      total: r.total,
      isTest: r.is_test === 1,
    })),
    refundCount: counts.n,
    testCount: counts.t,
  };
}
