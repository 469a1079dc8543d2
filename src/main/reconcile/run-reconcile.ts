import type { ReconcileRules, ReconcileRulesInput } from '../../shared/contract/run';
import { ReconcileRules as RulesSchema } from '../../shared/contract/run';
import { readDisputes } from '../store/disputes';
import type { Db } from '../store/open';
import { type ReconcileOutput, type ReconcileResult, reconcileColumns } from './engine';
import { hydrate, readMatchColumns } from './match-columns';
import { finishRun, ResultWriter, startRun } from './run-store';

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
  /** Keep every result in `output.results` (default true). False for large runs: results stream to the store and `onResult`. */
  keepResults?: boolean;
  /** Called with each result as it is produced (in result order). */
  onResult?: (result: ReconcileResult) => void;
}

/**
 * The storefront account a snapshot belongs to and whether it can refund single lines (null when
 * the snapshot names no account). Both the app's compare and the CLI's reconcile let a known
 * capability replace the rules' `auto`.
 */
export function snapshotAccount(
  db: Db,
  storefrontSnapshotId: number,
): { id: number; line_item_refunds: 'yes' | 'no' | 'unknown' } | undefined {
  return db
    .prepare(
      `SELECT a.id, a.line_item_refunds FROM snapshots s JOIN storefront_accounts a ON a.id = s.storefront_account_id WHERE s.id = ?`,
    )
    .get(storefrontSnapshotId) as { id: number; line_item_refunds: 'yes' | 'no' | 'unknown' } | undefined;
}

/** Replaces `auto` by the account's known line-item capability. */
export function applyAccountCapability(
  rules: ReconcileRules,
  account: { line_item_refunds: 'yes' | 'no' | 'unknown' } | undefined,
): void {
  if (rules.storefrontLineItems === 'auto' && account && account.line_item_refunds !== 'unknown') {
    rules.storefrontLineItems = account.line_item_refunds;
  }
}

/**
 * tenders.md §2 rule 3: `asOf` is the rules' (the CLI's --as-of) else the capture date of the
 * NetSuite snapshot (the latest of several) — never the wall clock at comparison time, and stored
 * in the run's rules, so a stored run re-reads the same.
 */
export function resolveAsOf(db: Db, rules: ReconcileRules, netsuiteSnapshotIds: readonly number[]): void {
  if (rules.asOf !== null || netsuiteSnapshotIds.length === 0) return;
  const captured = db
    .prepare(`SELECT MAX(created_at) FROM snapshots WHERE id IN (${netsuiteSnapshotIds.map(() => '?').join(',')})`)
    .pluck()
    .get(...netsuiteSnapshotIds) as string | null;
  if (captured && /^\d{4}-\d{2}-\d{2}/.test(captured)) rules.asOf = captured.slice(0, 10);
}

/** The disputes stored with the storefront snapshots (§3.1), or undefined when there are none. */
export function snapshotDisputes(db: Db, storefrontSnapshotIds: readonly number[]) {
  const disputes = readDisputes(db, storefrontSnapshotIds);
  return disputes.length > 0 ? disputes : undefined;
}

export interface CompareTimings {
  readMs: number;
  matchMs: number;
  /** Writing the results (interleaved with matching when the run is stored; measured separately). */
  storeMs: number;
}

/**
 * Compares two snapshots of a workspace and stores the run with its rules and results. The
 * storefront account's `lineItemRefunds` capability replaces `auto` when the snapshot names an
 * account whose capability is known. Both sides are read as columns (`readMatchColumns`), matched
 * order by order, and each order's results are written as they come: memory stays flat.
 */
export function compareSnapshots(
  db: Db,
  input: CompareSnapshotsInput,
  options: CompareOptions = {},
): { runId: number | null; output: ReconcileOutput; rules: ReconcileRules; timings: CompareTimings } {
  const rules = RulesSchema.parse(input.rules ?? {});
  const store = options.store !== false;
  const keep = options.keepResults !== false;
  const t0 = performance.now();
  options.progress?.({ phase: 'reading', done: 0, total: null });
  const storefront = readMatchColumns(db, [input.storefrontSnapshotId], 'storefront', rules.refundKeyField);
  const netsuite = readMatchColumns(db, [input.netsuiteSnapshotId], 'netsuite', rules.refundKeyField);
  const account = snapshotAccount(db, input.storefrontSnapshotId);
  applyAccountCapability(rules, account);
  resolveAsOf(db, rules, [input.netsuiteSnapshotId]);
  const disputes = snapshotDisputes(db, [input.storefrontSnapshotId]);
  const t1 = performance.now();
  const results: ReconcileResult[] = [];
  let storeMs = 0;
  const match = (writer: ResultWriter | null) => {
    const out = reconcileColumns(
      storefront,
      netsuite,
      rules,
      {
        signal: options.signal,
        progress: (done, total) => options.progress?.({ phase: 'matching', done, total }),
        ...(disputes ? { disputes } : {}),
      },
      {
        add: (r) => {
          if (writer) {
            const w0 = performance.now();
            writer.add(r);
            storeMs += performance.now() - w0;
          }
          if (keep) results.push(r);
          options.onResult?.(r);
        },
      },
    );
    if (keep) hydrate(db, out.notCompared);
    return { results, summary: out.summary, notCompared: out.notCompared, rules };
  };
  let runId: number | null = null;
  let output: ReconcileOutput;
  if (store) {
    // One transaction: a run is stored complete, or (failed, cancelled, worker terminated) not at all.
    const stored = db.transaction(() => {
      const id = startRun(db, {
        storefrontSnapshotId: input.storefrontSnapshotId,
        netsuiteSnapshotId: input.netsuiteSnapshotId,
        storefrontAccountId: account?.id ?? null,
        rules,
      });
      const writer = new ResultWriter(
        db,
        id,
        (done, total) => options.progress?.({ phase: 'saving', done, total }),
        options.signal,
      );
      const out = match(writer);
      const w0 = performance.now();
      writer.finish();
      finishRun(db, id, 'complete', out.summary);
      storeMs += performance.now() - w0;
      return { id, out };
    })();
    runId = stored.id;
    output = stored.out;
  } else output = match(null);
  // Kept results are shown (hints, detail): give them their display fields.
  if (keep) for (const r of results) if (r.code !== 'matched') hydrate(db, [...r.storefront, ...r.netsuite]);
  const t3 = performance.now();
  return {
    runId,
    output,
    rules,
    timings: { readMs: t1 - t0, matchMs: t3 - t1 - storeMs, storeMs },
  };
}
