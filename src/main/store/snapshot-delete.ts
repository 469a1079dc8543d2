import { UserError } from '../../shared/errors';
import { deleteSnapshotDisputes } from './disputes';
import type { Db } from './open';
import { deleteSnapshotRefunds } from './refunds';
import { deleteSnapshotRow } from './snapshots';

/**
 * Deletes a snapshot and its refunds (cascade). Refuses when a comparison run uses it: runs are
 * the record of a review and must keep their inputs. An aggregate: it asks `comparison_runs`
 * (whose owner is in reconcile/, above the store) whether the snapshot is in use.
 */
export function deleteSnapshot(db: Db, snapshotId: number): boolean {
  const used = db
    .prepare(
      'SELECT id FROM comparison_runs WHERE storefront_snapshot_id = ? OR netsuite_snapshot_id = ? ORDER BY id LIMIT 1',
    )
    .get(snapshotId, snapshotId) as { id: number } | undefined;
  if (used) {
    throw new UserError(
      'snapshot_in_use',
      `Snapshot ${snapshotId} is used by comparison run ${used.id}; delete that run first if you really want to remove it.`,
    );
  }
  const result = db.transaction(() => {
    deleteSnapshotRefunds(db, snapshotId);
    deleteSnapshotDisputes(db, snapshotId);
    return deleteSnapshotRow(db, snapshotId);
  })();
  return result.changes > 0;
}
