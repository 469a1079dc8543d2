import type { ReconcileRules, ReconcileRulesInput } from '../../shared/contract/run';
import { ReconcileRules as RulesSchema } from '../../shared/contract/run';
import type { CanonicalDispute, CanonicalRefund, Side } from '../../shared/model';
import { snapshotStorefrontAccount } from '../store/accounts';
import { readDisputes } from '../store/disputes';
import type { SnapshotColumns } from '../store/match-cache';
import type { MemorySnapshot } from '../store/memory-snapshot';
import type { Db } from '../store/open';
import { latestCaptureOf } from '../store/snapshots';
import type { ColumnsRemap } from '../tenders/remap-columns';
import { type ReconcileOutput, type ReconcileResult, reconcileColumns } from './engine';
import { hydrate, hydrateFromMemory, memoryMatchColumns, readMatchColumns } from './match-columns';
import type { PlainPairBatch } from './plain-pairs';
import { finishRun, ResultWriter, startRun } from './run-store';

export interface CompareSnapshotsInput {
  storefrontSnapshotId: number;
  netsuiteSnapshotId: number;
  rules?: ReconcileRulesInput;
}

/** The snapshots of each side compared together (the CLI may name several files or snapshots per side). */
export interface CompareSides {
  storefront: readonly number[];
  netsuite: readonly number[];
}

export interface CompareProgress {
  phase: 'reading' | 'matching' | 'saving';
  done: number;
  total: number | null;
}

export interface CompareOptions {
  signal?: AbortSignal;
  progress?: (update: CompareProgress) => void;
  /**
   * Store the run (default true; only ever with one snapshot per side). False for a dry
   * comparison (benchmarks, previews, a temporary workspace).
   */
  store?: boolean;
  /**
   * Write back what reading builds (the snapshot's match index: line summaries and the matcher's
   * columns), default true. False for a workspace deleted afterwards: nothing is written.
   */
  persist?: boolean;
  /**
   * Where the match columns come from: the workspace's snapshots, except those listed here (the
   * columns an import just built while writing the snapshot, `importFile`'s `matchColumns`).
   */
  knownColumns?: ReadonlyMap<number, SnapshotColumns>;
  /** Keep every result in `output.results` (default true). False for large runs: results stream to the store and `onResult`. */
  keepResults?: boolean;
  /**
   * Called with each result in result order, its display fields filled (`hydrate`): `hints` for
   * the records of results that are not a plain match, `all` for every record (JSON output).
   */
  onResult?: (result: ReconcileResult) => void;
  hydrate?: 'hints' | 'all';
  /** Called once both sides are read, before matching (the CLI's phase timings). */
  onRead?: () => void;
  /**
   * The sides as memory snapshots (the one-shot `reconcile` on files), not snapshots of `db`:
   * columns and display fields come from them; nothing is persisted or stored.
   */
  memory?: { storefront: readonly MemorySnapshot[]; netsuite: readonly MemorySnapshot[] };
  /** The workspace's tender mapping applied to the columns as read (tenders/remap-columns.ts). */
  remapTenders?: ColumnsRemap;
  /**
   * The storefront side's disputes (tenders.md §3.1) when the side is `memory`'s; else those stored
   * with the storefront snapshots are read.
   */
  disputes?: readonly CanonicalDispute[];
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
  return snapshotStorefrontAccount(db, storefrontSnapshotId);
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
  const captured = latestCaptureOf(db, netsuiteSnapshotIds);
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
  /** CPU time (user + system, this process) of writing the results: the benchmark's figure on a shared machine. */
  storeCpuMs: number;
}

export interface CompareOutcome {
  /** The stored run, or null when none was stored. */
  runId: number | null;
  output: ReconcileOutput;
  /** The rules as applied (the account's capability in place of `auto`). */
  rules: ReconcileRules;
  timings: CompareTimings;
}

/** Results handed to `onResult` in batches of this many: one hydrate query per batch. */
const HYDRATE_BATCH = 256;

/**
 * Compares two snapshots of a workspace and stores the run with its rules and results.
 * `compareSides` with one snapshot per side.
 */
export function compareSnapshots(db: Db, input: CompareSnapshotsInput, options: CompareOptions = {}): CompareOutcome {
  return compareSides(
    db,
    { storefront: [input.storefrontSnapshotId], netsuite: [input.netsuiteSnapshotId] },
    RulesSchema.parse(input.rules ?? {}),
    options,
  );
}

/**
 * The one compare-and-store of the app and the CLI. Both sides are read as columns
 * (`readMatchColumns`, or the columns an import just built), matched order by order, and each
 * order's results are written as they come: memory stays flat. With one snapshot per side the run
 * is stored with its rules and results, in one transaction (a savepoint inside the caller's):
 * complete, or not at all. When exactly one storefront snapshot is compared, its account's known
 * line-item capability replaces `auto` (`rules` is changed in place). `db` may be null when the
 * sides are memory snapshots only (`options.memory`, no snapshot ids) and nothing is stored: then
 * no workspace is needed, and a one-shot compare need not create one (cli/workspace-on-use.ts).
 */
export function compareSides(
  dbOrNull: Db | null,
  sides: CompareSides,
  rules: ReconcileRules,
  options: CompareOptions = {},
): CompareOutcome {
  const memory = options.memory;
  const persist = options.persist !== false && !memory;
  const workspace = (): Db => {
    if (!dbOrNull) throw new Error('compareSides: snapshots of a workspace need its database.');
    return dbOrNull;
  };
  const store = options.store !== false && persist && sides.storefront.length === 1 && sides.netsuite.length === 1;
  const keep = options.keepResults !== false;
  const t0 = performance.now();
  options.progress?.({ phase: 'reading', done: 0, total: null });
  const read = (side: Side) => ({
    persist,
    ...(options.knownColumns ? { known: options.knownColumns } : {}),
    ...(options.remapTenders ? { remap: options.remapTenders.bind(null, side) } : {}),
  });
  const storefront = memory
    ? memoryMatchColumns(memory.storefront, 'storefront')
    : readMatchColumns(workspace(), sides.storefront, 'storefront', rules.refundKeyField, read('storefront'));
  const netsuite = memory
    ? memoryMatchColumns(memory.netsuite, 'netsuite')
    : readMatchColumns(workspace(), sides.netsuite, 'netsuite', rules.refundKeyField, read('netsuite'));
  const all = memory ? [...memory.storefront, ...memory.netsuite] : [];
  const hydrateRecords = (records: Iterable<CanonicalRefund>) =>
    memory ? hydrateFromMemory(all, records) : hydrate(workspace(), records);
  const account = sides.storefront.length === 1 ? snapshotAccount(workspace(), sides.storefront[0]!) : undefined;
  applyAccountCapability(rules, account);
  if (sides.netsuite.length > 0) resolveAsOf(workspace(), rules, sides.netsuite);
  // Memory snapshots are captured as they are read, now: the date an import would have stored.
  if (memory && memory.netsuite.length > 0 && rules.asOf === null) rules.asOf = new Date().toISOString().slice(0, 10);
  const disputes =
    options.disputes && options.disputes.length > 0
      ? options.disputes
      : sides.storefront.length > 0
        ? snapshotDisputes(workspace(), sides.storefront)
        : undefined;
  options.onRead?.();
  const t1 = performance.now();
  const results: ReconcileResult[] = [];
  let storeMs = 0;
  let storeCpuUs = 0;
  const cpuNow = () => {
    const c = process.cpuUsage();
    return c.user + c.system;
  };
  // Results for `onResult` wait here until a batch is full, then get their display fields at once.
  const onResult = options.onResult;
  const hydrateAll = options.hydrate === 'all';
  let batch: ReconcileResult[] = [];
  const drain = () => {
    if (!onResult) return;
    const records: CanonicalRefund[] = [];
    for (const r of batch) {
      if (!hydrateAll && r.code === 'matched') continue;
      for (const x of r.storefront) records.push(x);
      for (const x of r.netsuite) records.push(x);
    }
    if (records.length > 0) hydrateRecords(records);
    for (const r of batch) onResult(r);
    batch = [];
  };
  const match = (writer: ResultWriter | null): ReconcileOutput => {
    const out = reconcileColumns(
      storefront,
      netsuite,
      rules,
      {
        ...(options.signal ? { signal: options.signal } : {}),
        progress: (done, total) => options.progress?.({ phase: 'matching', done, total }),
        ...(disputes ? { disputes } : {}),
      },
      {
        add: (r) => {
          // Not timed per result (a system call each): the writer times its batches.
          writer?.add(r);
          if (keep) results.push(r);
          if (onResult) {
            batch.push(r);
            if (batch.length >= HYDRATE_BATCH) drain();
          }
        },
        // Only the run takes the results (the app's compare): plain pairs go to it as batches,
        // without a result object each (plain-pairs.ts); anyone else here needs the objects.
        ...(writer && !keep && !onResult ? { addPlain: (b: PlainPairBatch) => writer.addPlain(b) } : {}),
      },
    );
    drain();
    if (keep || onResult) hydrateRecords(out.notCompared);
    return { results, summary: out.summary, notCompared: out.notCompared, rules };
  };
  let runId: number | null = null;
  let output: ReconcileOutput;
  if (store) {
    const db = workspace();
    // One transaction: a run is stored complete, or (failed, cancelled, worker terminated) not at all.
    const stored = db.transaction(() => {
      const id = startRun(db, {
        storefrontSnapshotId: sides.storefront[0]!,
        netsuiteSnapshotId: sides.netsuite[0]!,
        storefrontAccountId: account?.id ?? null,
        rules,
      });
      const cw = cpuNow();
      const ww = performance.now();
      const writer = new ResultWriter(
        db,
        id,
        (done, total) => options.progress?.({ phase: 'saving', done, total }),
        options.signal,
        null,
        Math.max(storefront.n, netsuite.n),
      );
      storeCpuUs += cpuNow() - cw;
      storeMs += performance.now() - ww;
      const out = match(writer);
      // The batches written while matching; the last one, the totals and the commit are timed below.
      const flushCpuUs = writer.flushCpuUs;
      const flushWallMs = writer.flushWallMs;
      const w0 = performance.now();
      const c0 = cpuNow();
      writer.finish();
      finishRun(db, id, 'complete', out.summary);
      // The commit (writing the run's pages) counts to the store too: measured from here on.
      storeCpuUs -= c0;
      storeMs -= w0;
      return { id, out, flushCpuUs, flushWallMs };
    })();
    storeCpuUs += cpuNow();
    storeMs += performance.now();
    storeCpuUs += stored.flushCpuUs;
    storeMs += stored.flushWallMs;
    runId = stored.id;
    output = stored.out;
  } else output = match(null);
  // Kept results are shown (hints, detail): give them their display fields.
  if (keep) for (const r of results) if (r.code !== 'matched') hydrateRecords([...r.storefront, ...r.netsuite]);
  const t3 = performance.now();
  return {
    runId,
    output,
    rules,
    timings: { readMs: t1 - t0, matchMs: t3 - t1 - storeMs, storeMs, storeCpuMs: storeCpuUs / 1000 },
  };
}
