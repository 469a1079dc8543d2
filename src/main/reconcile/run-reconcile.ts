import type { ReconcileRules, ReconcileRulesInput } from '../../shared/contract/run';
import { ReconcileRules as RulesSchema } from '../../shared/contract/run';
import type { Db } from '../store/open';
import { type ReconcileOutput, reconcile } from './engine';
import { finishRun, startRun, storeResults } from './run-store';
import { readRefundsForMatching } from './snapshot-reader';

export interface CompareSnapshotsInput {
  storefrontSnapshotId: number;
  netsuiteSnapshotId: number;
  rules?: ReconcileRulesInput;
}

export interface CompareProgress {
  phase: 'reading' | 'matching' | 'saving';
  done: number;
  total: number | null;
}

export interface CompareOptions {
  signal?: AbortSignal;
  progress?: (update: CompareProgress) => void;
  /** Store the run (default true); false for a dry comparison (benchmarks, previews). */
  store?: boolean;
}

export interface CompareTimings {
  readMs: number;
  matchMs: number;
  storeMs: number;
}

/**
 * Compares two snapshots of a workspace and stores the run with its rules and results. The
 * storefront account's `lineItemRefunds` capability replaces `auto` when the snapshot names an
 * account whose capability is known.
 */
export function compareSnapshots(
  db: Db,
  input: CompareSnapshotsInput,
  options: CompareOptions = {},
): { runId: number | null; output: ReconcileOutput; rules: ReconcileRules; timings: CompareTimings } {
  const rules = RulesSchema.parse(input.rules ?? {});
  const t0 = performance.now();
  options.progress?.({ phase: 'reading', done: 0, total: null });
  const storefront = readRefundsForMatching(db, input.storefrontSnapshotId, 'storefront');
  const netsuite = readRefundsForMatching(db, input.netsuiteSnapshotId, 'netsuite');
  const account = db
    .prepare(
      `SELECT a.id, a.line_item_refunds FROM snapshots s JOIN storefront_accounts a ON a.id = s.storefront_account_id WHERE s.id = ?`,
    )
    .get(input.storefrontSnapshotId) as { id: number; line_item_refunds: 'yes' | 'no' | 'unknown' } | undefined;
  if (rules.storefrontLineItems === 'auto' && account && account.line_item_refunds !== 'unknown') {
    rules.storefrontLineItems = account.line_item_refunds;
  }
  const t1 = performance.now();
  const output = reconcile(storefront, netsuite, rules, {
    signal: options.signal,
    progress: (done, total) => options.progress?.({ phase: 'matching', done, total }),
  });
  const t2 = performance.now();
  let runId: number | null = null;
  if (options.store !== false) {
    // One transaction: a run is stored complete, or (failed, cancelled, worker terminated) not at all.
    runId = db.transaction(() => {
      const id = startRun(db, {
        storefrontSnapshotId: input.storefrontSnapshotId,
        netsuiteSnapshotId: input.netsuiteSnapshotId,
        storefrontAccountId: account?.id ?? null,
        rules,
      });
      storeResults(
        db,
        id,
        output,
        (done, total) => options.progress?.({ phase: 'saving', done, total }),
        options.signal,
      );
      finishRun(db, id, 'complete', output.summary);
      return id;
    })();
  }
  const t3 = performance.now();
  return { runId, output, rules, timings: { readMs: t1 - t0, matchMs: t2 - t1, storeMs: t3 - t2 } };
}
