import type { RunSummary } from '../../shared/contract/run';
import type { JobContext } from '../jobs/types';
import { BUSY_MESSAGE } from '../store/busy';
import { openWorkspace } from '../store/open';
import { type CompareSnapshotsInput, compareAndStore } from '../use-cases/compare-snapshots';
import { summaryJson } from './output';

export interface ReconcileTaskInput {
  storefrontSnapshotId: number;
  netsuiteSnapshotId: number;
  rules?: CompareSnapshotsInput['rules'];
  workspaceSettings?: CompareSnapshotsInput['workspaceSettings'];
}

/**
 * The `reconcile` job of `run:compare`: runs in a worker (src/main/jobs) with its own connection,
 * with progress and cancellation; the comparison is the use-case `refund-recon reconcile` calls.
 */
export async function reconcileTask(
  input: ReconcileTaskInput,
  ctx: JobContext,
): Promise<{ runId: number; summary: RunSummary }> {
  const db = openWorkspace(ctx.workspacePath);
  try {
    const { runId, summary } = await compareAndStore(
      { db, workspacePath: ctx.workspacePath },
      {
        storefront: [input.storefrontSnapshotId],
        netsuite: [input.netsuiteSnapshotId],
        ...(input.rules ? { rules: input.rules } : {}),
        ...(input.workspaceSettings ? { workspaceSettings: input.workspaceSettings } : {}),
        onBusy: () => ctx.progress({ phase: 'waiting', done: 0, total: null, unit: 'refunds', message: BUSY_MESSAGE }),
        onProgress: (update) =>
          ctx.progress({
            phase: update.phase,
            done: update.done,
            total: update.total,
            unit: update.phase === 'saving' ? 'results' : 'refunds',
          }),
      },
      ctx.signal,
    );
    return { runId: runId!, summary: summaryJson(summary) };
  } finally {
    db.close();
  }
}
