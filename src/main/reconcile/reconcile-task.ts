import type { ReconcileRulesInput, RunSummary } from '../../shared/contract/run';
import { UserError } from '../../shared/errors';
import type { JobContext } from '../jobs/types';
import { BUSY_MESSAGE, beginImmediateWhenFree } from '../store/busy';
import { openWorkspace } from '../store/open';
import { summaryJson } from './output';
import { compareSnapshots } from './run-reconcile';

export interface ReconcileTaskInput {
  storefrontSnapshotId: number;
  netsuiteSnapshotId: number;
  rules?: ReconcileRulesInput;
}

/** The `reconcile` job: runs in a worker (src/main/jobs), with progress and cancellation. */
export async function reconcileTask(
  input: ReconcileTaskInput,
  ctx: JobContext,
): Promise<{ runId: number; summary: RunSummary }> {
  const db = openWorkspace(ctx.workspacePath);
  try {
    if (ctx.signal.aborted) throw new UserError('cancelled', 'The comparison was cancelled.');
    // Another import or compare may be writing: wait for the lock without blocking (store/busy.ts),
    // then run the comparison inside this transaction (its own becomes a savepoint).
    await beginImmediateWhenFree(db, {
      signal: ctx.signal,
      onWait: () => ctx.progress({ phase: 'waiting', done: 0, total: null, unit: 'refunds', message: BUSY_MESSAGE }),
      cancelled: () => new UserError('cancelled', 'The comparison was cancelled; nothing was saved.'),
    });
    const { runId, output } = compareSnapshots(db, input, {
      // Results stream into the run; none are kept in the worker (flat memory on 1M-refund runs).
      keepResults: false,
      signal: ctx.signal,
      progress: (update) =>
        ctx.progress({
          phase: update.phase,
          done: update.done,
          total: update.total,
          unit: update.phase === 'saving' ? 'results' : 'refunds',
        }),
    });
    db.exec('COMMIT');
    return { runId: runId!, summary: summaryJson(output.summary) };
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    if (ctx.signal.aborted && !(error instanceof UserError)) {
      throw new UserError('cancelled', 'The comparison was cancelled; nothing was saved.');
    }
    throw error;
  } finally {
    db.close();
  }
}
