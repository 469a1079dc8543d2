import type { ReconcileRules, ReconcileRulesInput } from '../../shared/contract/run';
import { ReconcileRules as RulesSchema } from '../../shared/contract/run';
import { UserError } from '../../shared/errors';
import type { CanonicalRefund } from '../../shared/model';
import type { EngineSummary, ReconcileResult } from '../reconcile/engine';
import { type CompareOptions, type CompareProgress, type CompareSides, compareSides } from '../reconcile/run-reconcile';
import { beginImmediateWhenFree } from '../store/busy';
import type { SnapshotColumns } from '../store/match-cache';
import { tenderColumnsRemap } from '../tenders/remap-columns';
import type { UseCaseContext } from './context';
import { withWorkspaceSettings } from './settings';
import { readTenderSettings } from './tender-settings';
import { snapshotPlatformOf } from './workspace-tender-kinds';

export interface CompareSnapshotsInput extends CompareSides {
  rules?: ReconcileRulesInput;
  /**
   * Which rules the caller gave explicitly: the workspace's saved tolerances and date window
   * (use-cases/settings.ts) fill in the others. Absent: the rules as given.
   */
  workspaceSettings?: Parameters<typeof withWorkspaceSettings>[2];
  /**
   * False for a workspace the caller deletes afterwards: nothing is written back (no match index,
   * no stored run), and no write lock is taken. Default true: the run is stored when exactly one
   * snapshot per side is compared.
   */
  persist?: boolean;
  /**
   * Where the match columns come from: the workspace's snapshots, except those given here (built
   * by the import that just wrote them; see `importSnapshotFile`'s `matchColumns`).
   */
  knownColumns?: ReadonlyMap<number, SnapshotColumns>;
  /**
   * The sides read into memory instead of snapshots of the workspace (the one-shot `reconcile` on
   * files, store/memory-snapshot.ts): `storefront` and `netsuite` are then empty, and nothing is
   * read from or written to the workspace.
   */
  memory?: CompareOptions['memory'];
  /** The disputes of `memory`'s storefront side (tenders.md §3.1); snapshots of the workspace carry their own. */
  disputes?: CompareOptions['disputes'];
  /** Each result as it comes, in result order, with its display fields (`hints`: of results that are not a plain match). */
  onResult?: (result: ReconcileResult) => void;
  hydrate?: 'hints' | 'all';
  onProgress?: (update: CompareProgress) => void;
  /** Called while another import or compare holds the workspace's write lock. */
  onBusy?: () => void;
  /** Called once both sides are read, before matching. */
  onRead?: () => void;
}

export interface CompareSnapshotsResult {
  /** The stored run, or null when none was stored. */
  runId: number | null;
  summary: EngineSummary;
  /** Failed or voided NetSuite records: kept but not compared (spec §3), display fields filled when `onResult` is given. */
  notCompared: CanonicalRefund[];
  /** The rules as applied: the workspace's settings and the account's line-item capability filled in. */
  rules: ReconcileRules;
}

const cancelled = () => new UserError('cancelled', 'The comparison was cancelled; nothing was saved.');

/**
 * Compares snapshots of the workspace and stores the run: the app's `run:compare` (in a worker,
 * reconcile/reconcile-task.ts) and `refund-recon reconcile` (after importing its files,
 * use-cases/reconcile-files.ts) both call this. Another import or compare may be writing: the
 * write lock is awaited without blocking (store/busy.ts), then reading, matching and storing run
 * in this one transaction — the run is stored complete, or not at all.
 */
export async function compareAndStore(
  ctx: UseCaseContext,
  input: CompareSnapshotsInput,
  signal?: AbortSignal,
): Promise<CompareSnapshotsResult> {
  let rules = RulesSchema.parse(input.rules ?? {});
  if (input.workspaceSettings) rules = withWorkspaceSettings(ctx.db, rules, input.workspaceSettings);
  const persist = input.persist !== false;
  // Memory snapshots compared without storing need no workspace: `ctx.db` is not read, so a CLI
  // one-shot never creates its temporary one (cli/workspace-on-use.ts).
  const db = input.memory && !persist ? null : ctx.db;
  if (signal?.aborted) throw cancelled();
  try {
    if (persist && db) {
      await beginImmediateWhenFree(db, {
        ...(signal ? { signal } : {}),
        ...(input.onBusy ? { onWait: input.onBusy } : {}),
        cancelled,
      });
    }
    // The workspace's tender mapping counts in every comparison of its snapshots (tenders.md §1.3).
    const remapTenders =
      input.memory || !db ? undefined : tenderColumnsRemap(readTenderSettings(db).mapping, snapshotPlatformOf(db));
    const { runId, output } = compareSides(db, input, rules, {
      ...(remapTenders ? { remapTenders } : {}),
      persist,
      // Results stream into the run and to `onResult`; none are kept (flat memory on 1M-refund runs).
      keepResults: false,
      ...(signal ? { signal } : {}),
      ...(input.knownColumns ? { knownColumns: input.knownColumns } : {}),
      ...(input.memory ? { memory: input.memory } : {}),
      ...(input.disputes ? { disputes: input.disputes } : {}),
      ...(input.onResult ? { onResult: input.onResult, hydrate: input.hydrate ?? 'hints' } : {}),
      ...(input.onProgress ? { progress: input.onProgress } : {}),
      ...(input.onRead ? { onRead: input.onRead } : {}),
    });
    if (db?.inTransaction) db.exec('COMMIT');
    return { runId, summary: output.summary, notCompared: output.notCompared, rules };
  } catch (error) {
    if (db?.inTransaction) db.exec('ROLLBACK');
    if (signal?.aborted && !(error instanceof UserError)) throw cancelled();
    throw error;
  }
}
