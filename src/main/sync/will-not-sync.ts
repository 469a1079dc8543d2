import type { Direction } from '../../shared/contract/workspace';
import { UserError } from '../../shared/errors';
import type { CanonicalRefund } from '../../shared/model';
import { ensureNetsuiteLinksView } from '../reconcile/runs/writer';
import type { Db } from '../store/open';
import { syncDirectionOf } from '../store/refund-sync-settings';
import { willNotSync } from './direction-policy';

export interface ResultWillNotSync {
  resultId: number;
  resultKey: string;
  side: 'storefront' | 'netsuite';
  refundId: string;
  orderRef: string;
  reason: string;
}

export interface RunWillNotSync {
  runId: number;
  accountId: number | null;
  direction: Direction;
  flags: ResultWillNotSync[];
}

interface Row {
  result_id: number;
  result_key: string;
  source_id: string;
  document_number: string;
  record_type: CanonicalRefund['recordType'];
  order_ref: string;
  external_id: string;
  memo: string;
  applies_to: string;
  status: string;
}

const COLUMNS = `r.id AS result_id, r.result_key, f.source_id, f.document_number, f.record_type, f.order_ref, f.external_id, f.memo, f.applies_to, f.status`;

/**
 * Spec §8 will-not-sync flags for the results of a comparison run, computed here (the engine is
 * left alone): the run's storefront account gives the direction; a result is flagged when a
 * receiving-side record in it has no counterpart on the source side and was made on the receiving
 * side (a NetSuite record without the sync's key and without a storefront refund while syncing
 * storefront → NetSuite; a storefront refund without the note key and without a NetSuite record the
 * other way). A receiving-side record paired with a source refund is a copy of it, not a refund of
 * its own (whether the sync would double it is the dry run's "already synced?" check). Records
 * the sync wrote, Customer Refunds that pay out a Credit Memo, and voided or failed records are not
 * flagged. `resultIds` limits the answer to the rows on screen.
 */
export function willNotSyncForRun(db: Db, runId: number, resultIds?: readonly number[]): RunWillNotSync {
  const run = db
    .prepare(
      `SELECT c.id, coalesce(c.storefront_account_id, s.storefront_account_id) AS account_id
       FROM comparison_runs c JOIN snapshots s ON s.id = c.storefront_snapshot_id WHERE c.id = ?`,
    )
    .get(runId) as { id: number; account_id: number | null } | undefined;
  if (!run) throw new UserError('run_not_found', `There is no comparison run ${runId}: list runs with run:list.`);
  const setting = run.account_id === null ? undefined : syncDirectionOf(db, run.account_id);
  const direction: Direction = setting ?? 'off';
  const out: RunWillNotSync = { runId, accountId: run.account_id, direction, flags: [] };
  if (direction === 'off') return out;

  // A result's NetSuite records: the row's one and the links table's (the view of migration 024).
  ensureNetsuiteLinksView(db);
  const only = resultIds && resultIds.length > 0 ? ` AND r.id IN (${resultIds.map(() => '?').join(',')})` : '';
  const params = [runId, ...(resultIds ?? [])];
  const rows =
    direction === 'storefront_to_netsuite'
      ? (db
          .prepare(
            `SELECT ${COLUMNS} FROM results r JOIN result_netsuite_refunds l ON l.result_id = r.id JOIN refunds f ON f.id = l.refund_id
             WHERE r.run_id = ? AND r.storefront_refund_id IS NULL${only} ORDER BY r.id, f.id`,
          )
          .all(...params) as Row[])
      : (db
          .prepare(
            `SELECT ${COLUMNS} FROM results r JOIN refunds f ON f.id = r.storefront_refund_id
             WHERE r.run_id = ? AND f.money_moved = 1${only}
               AND NOT EXISTS (SELECT 1 FROM result_netsuite_refunds l WHERE l.result_id = r.id) ORDER BY r.id`,
          )
          .all(...params) as Row[]);
  const seen = new Set<number>();
  for (const row of rows) {
    if (seen.has(row.result_id) || row.status !== 'ok') continue;
    if (row.record_type === 'customerRefund' && row.applies_to) continue;
    const flag = willNotSync(direction, {
      side: direction === 'storefront_to_netsuite' ? 'netsuite' : 'storefront',
      id: row.source_id,
      orderRef: row.order_ref,
      externalId: row.external_id,
      memo: row.memo,
      recordType: row.record_type,
      documentNumber: row.document_number,
    });
    if (!flag) continue;
    seen.add(row.result_id);
    out.flags.push({
      resultId: row.result_id,
      resultKey: row.result_key,
      side: flag.side,
      refundId: flag.id,
      orderRef: flag.orderRef,
      reason: flag.reason,
    });
  }
  return out;
}
