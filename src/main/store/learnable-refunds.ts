import type { LearnableRefund } from '../../shared/contract/accounts';
import type { Db } from './open';

/** The newest storefront snapshot an account's refunds are in, or null. */
export interface SnapshotHead {
  id: number;
  label: string;
  createdAt: string;
}

/**
 * The account's newest storefront snapshot: one pulled through its connection (linked to it)
 * first; else the newest storefront snapshot linked to no account, which is what importing a
 * store's export file makes. A snapshot of another storefront account is never taken.
 */
export function newestStorefrontSnapshot(db: Db, accountId: number): SnapshotHead | null {
  const sql = `SELECT id, label, created_at AS createdAt FROM snapshots
    WHERE side = 'storefront' AND storefront_account_id IS ? ORDER BY id DESC LIMIT 1`;
  const row = (db.prepare(sql).get(accountId) ?? db.prepare(sql).get(null)) as SnapshotHead | undefined;
  return row ?? null;
}

interface Row {
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
    .all(snapshotId, limit) as Row[];
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
