import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ReconcileRules, ReconcileRulesInput } from '../../shared/contract/run';
import { ReconcileRules as RulesSchema } from '../../shared/contract/run';
import type { ImportFormat } from '../../shared/contract/snapshot';
import { UserError } from '../../shared/errors';
import type { Side } from '../../shared/model';
import { refuseDeepJson } from '../importers/json-stream';
import { type MemoryImportInput, readFileIntoMemory, readFileIntoMemoryOnThread } from '../importers/memory-import';
import type { DisputeRead } from '../importers/shopify-disputes';
import { statRegularFileSync } from '../importers/source';
import type { EngineSummary } from '../reconcile/engine';
import type { FlatHelper } from '../reconcile/flat-fast/helper-thread';
import { keyFieldOf } from '../reconcile/match-columns';
import { outputSink, type ReconcileOutputFormat } from '../reconcile/output-sink';
import { BUSY_MESSAGE } from '../store/busy';
import type { SnapshotColumns } from '../store/match-cache';
import type { MemorySnapshot } from '../store/memory-snapshot';
import { type CompareSnapshotsInput, compareAndStore } from './compare-snapshots';
import type { UseCaseContext } from './context';
import {
  disputeOrderIds,
  importDisputesFile,
  readDisputesFileChecked,
  resolveDisputesInMemory,
  unresolvedDisputesNotice,
} from './import-disputes';
import { importSnapshotFile } from './import-file';
import { reconcileFlatFast } from './reconcile-flat-fast';

export type { ReconcileOutputFormat } from '../reconcile/output-sink';

export interface ReconcileSideInput {
  /** Export files, imported into the workspace first (in this order). */
  files: string[];
  /** Existing snapshots of the workspace, compared together with the imported files. */
  snapshotIds: number[];
  /** Skips format detection for the files. */
  format?: ImportFormat;
  /** The currency of files that do not say it (BigCommerce, WooCommerce, saved search without Currency). */
  currency?: string;
}

export interface ReconcileFilesInput {
  storefront: ReconcileSideInput;
  netsuite: ReconcileSideInput;
  /** Saved-search header mapping file for the NetSuite files. */
  mapping?: string;
  /** Shopify Payments disputes files (tenders.md §3.1), stored with the storefront snapshot. */
  disputes?: string[];
  /** Called with a notice for the user (stderr in the CLI): disputes whose order is not in the snapshot. */
  onNotice?(message: string): void;
  rules: ReconcileRulesInput;
  /**
   * Which rules the caller gave explicitly: the workspace's saved tolerances and date window
   * (use-cases/settings.ts) fill in the others. Absent: the rules as given.
   */
  workspaceSettings?: CompareSnapshotsInput['workspaceSettings'];
  /**
   * False for a workspace the caller deletes afterwards: nothing is written back (no match cache,
   * no stored run). True stores the run when exactly one snapshot per side is compared.
   */
  keepWorkspace: boolean;
  format: ReconcileOutputFormat;
  /**
   * Receives the output, in order, as it is produced. A Buffer chunk may be reused once write
   * returns (output-sink.ts copyFile, flat-fast/plain-rows.ts): copy it to keep it.
   */
  write(chunk: string | Buffer): void;
  /** Called after each phase (import storefront, import netsuite, read, match and write). */
  onPhase?(name: string): void;
  /** Called (with the message to show) while another import or compare holds the workspace. */
  onBusy?(message: string): void;
  /** Lets the face word its advice for a file of one side that failed to import (returns what to throw). */
  onImportError?(side: Side, error: unknown): unknown;
  /**
   * The flat fast path's helper thread, started by the face before loading its modules and already
   * reading the storefront file (reconcile/flat-fast/early-helper.ts): the fast path adopts it, or
   * it is stopped. The face stops it too when the command ends.
   */
  earlyFlatHelper?: FlatHelper | null;
}

export interface ReconcileFilesResult {
  /** The stored run, or null when the comparison was not stored. */
  runId: number | null;
  summary: EngineSummary;
  rules: ReconcileRules;
}

/** Item mapping file: `{ "storefront-sku": "NetSuite item" }` or `[{ "storefront": …, "netsuite": … }]`. */
export function readItemMappingFile(file: string): Record<string, string> {
  statRegularFileSync(file); // a pipe would block the read forever
  let value: unknown;
  try {
    const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
    refuseDeepJson(path.basename(file), text);
    value = JSON.parse(text);
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(
      'bad_item_mapping',
      `Cannot read the item mapping: ${error instanceof Error ? error.message : String(error)}. Expected a JSON object {"storefront SKU": "NetSuite item"}.`,
      { file: path.basename(file) },
    );
  }
  const mapping: Record<string, string> = {};
  if (Array.isArray(value)) {
    value.forEach((entry, index) => {
      const e = entry as { storefront?: unknown; netsuite?: unknown };
      if (typeof e?.storefront !== 'string' || typeof e?.netsuite !== 'string') {
        throw new UserError(
          'bad_item_mapping',
          `Entry ${index + 1} is not {"storefront": "<SKU>", "netsuite": "<item>"}; found ${JSON.stringify(entry)?.slice(0, 80)}.`,
          { file: path.basename(file), field: `[${index}]` },
        );
      }
      mapping[e.storefront] = e.netsuite;
    });
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (typeof v !== 'string') {
        throw new UserError(
          'bad_item_mapping',
          `The mapping for "${k}" must be a NetSuite item name (a string); found ${JSON.stringify(v)}.`,
          {
            file: path.basename(file),
            field: k,
          },
        );
      }
      mapping[k] = v;
    }
  } else {
    throw new UserError(
      'bad_item_mapping',
      'Expected a JSON object {"storefront SKU": "NetSuite item"} or an array of {storefront, netsuite}.',
      {
        file: path.basename(file),
      },
    );
  }
  return mapping;
}

/**
 * Imports one side's files (after the given snapshots) with the app's import use-case. The
 * matcher's columns of each new snapshot are built while it is written and put in `known`, so the
 * comparison does not read them back.
 */
async function sideSnapshots(
  ctx: UseCaseContext,
  side: Side,
  input: ReconcileSideInput,
  mapping: string | undefined,
  refundKeyField: ReconcileRules['refundKeyField'],
  known: Map<number, SnapshotColumns>,
  signal: AbortSignal | undefined,
  onBusy: () => void,
  onImportError: ((side: Side, error: unknown) => unknown) | undefined,
): Promise<number[]> {
  const snapshotIds = [...input.snapshotIds];
  for (const file of input.files) {
    if (!fs.existsSync(file)) {
      throw new UserError('file_not_found', `The ${side} file does not exist. Check the path.`, { file });
    }
    const result = await importSnapshotFile(
      ctx,
      {
        file,
        side,
        format: input.format,
        mapping: side === 'netsuite' ? mapping : undefined,
        ...(input.currency ? { currency: input.currency } : {}),
        allowDuplicate: false,
        matchColumns: keyFieldOf(side, refundKeyField),
        onProgress: (p) => {
          if (p.phase === 'waiting') onBusy();
        },
      },
      signal,
    ).catch((error: unknown) => {
      throw onImportError ? onImportError(side, error) : error;
    });
    snapshotIds.push(result.snapshotId);
    if (result.matchColumns) known.set(result.snapshotId, result.matchColumns);
  }
  return snapshotIds;
}

/** A comparison of files only, in a workspace nobody keeps: it runs in memory (store/memory-snapshot.ts). */
function isOneShot(input: ReconcileFilesInput): boolean {
  return !input.keepWorkspace && input.storefront.snapshotIds.length === 0 && input.netsuite.snapshotIds.length === 0;
}

/** Storefront files at least this large are read on a worker thread; smaller ones here. */
const MEMORY_THREAD_MIN_BYTES = 8 * 1024 * 1024;

/**
 * One side's files read into memory snapshots (large storefront files on a worker thread, so both
 * sides are read at once). Row ids never repeat within a comparison: each file starts its own range.
 */
async function memorySide(
  side: Side,
  input: ReconcileSideInput,
  mapping: string | undefined,
  refundKeyField: ReconcileRules['refundKeyField'],
  onImportError: ((side: Side, error: unknown) => unknown) | undefined,
  signal: AbortSignal | undefined,
  orderIdsOf: string[] = [],
): Promise<MemorySnapshot[]> {
  const out: MemorySnapshot[] = [];
  for (const [index, file] of input.files.entries()) {
    if (!fs.existsSync(file)) {
      throw new UserError('file_not_found', `The ${side} file does not exist. Check the path.`, { file });
    }
    const request: MemoryImportInput = {
      file,
      side,
      ...(input.format ? { format: input.format } : {}),
      ...(side === 'netsuite' && mapping ? { mapping } : {}),
      ...(input.currency ? { currency: input.currency } : {}),
      keyField: keyFieldOf(side, refundKeyField),
      firstRowId: (side === 'storefront' ? 1 : 2 ** 40) + index * 2 ** 32,
      ...(orderIdsOf.length > 0 ? { orderIdsOf } : {}),
    };
    // The storefront files go to a worker, the NetSuite files are read here meanwhile: both sides at
    // once, one per core, with one worker's heap and one copy of columns across threads.
    // REFUND_RECON_PARSE_THREAD (always / never) decides here too, as for an import (parse-thread.ts).
    const mode = process.env.REFUND_RECON_PARSE_THREAD;
    const onThread =
      mode === 'always' ||
      (mode !== 'never' && side === 'storefront' && fs.statSync(file).size >= MEMORY_THREAD_MIN_BYTES);
    const read = onThread ? readFileIntoMemoryOnThread(request, signal) : readFileIntoMemory(request);
    out.push(
      await read.catch((error: unknown) => {
        throw onImportError ? onImportError(side, error) : error;
      }),
    );
  }
  return out;
}

/**
 * The disputes of a one-shot comparison, resolved against the storefront files read into memory as
 * they would be against the stored snapshot; the user is told, per file, of those naming no order.
 */
function oneShotDisputes(
  files: Array<{ file: string; read: DisputeRead[] }>,
  storefront: readonly MemorySnapshot[],
  onNotice: ((message: string) => void) | undefined,
): NonNullable<CompareSnapshotsInput['disputes']> {
  const names = new Map<string, string>();
  for (const s of storefront) for (const [id, name] of s.orderNames ?? []) if (!names.has(id)) names.set(id, name);
  const resolved = resolveDisputesInMemory(
    files.flatMap((f) => f.read),
    names,
    storefront.map((s) => s.columns),
  );
  const unresolved = new Set(resolved.unresolved);
  for (const f of files) {
    const ids = f.read.filter((d) => unresolved.has(d.id)).map((d) => d.id);
    if (ids.length > 0) onNotice?.(unresolvedDisputesNotice(f.file, ids));
  }
  return resolved.disputes;
}

/**
 * Reconciles export files and/or snapshots of the workspace (`refund-recon reconcile`): imports
 * each file as the app's `snapshot:import` does, compares with the use-case of the app's
 * `run:compare` (compare-snapshots.ts) and streams the results in the chosen format to
 * `input.write`. With one snapshot per side and a kept workspace, the run is stored too.
 */
export async function reconcileFiles(
  ctx: UseCaseContext,
  input: ReconcileFilesInput,
  signal?: AbortSignal,
): Promise<ReconcileFilesResult> {
  const phase = input.onPhase ?? (() => {});
  const onBusy = () => input.onBusy?.(BUSY_MESSAGE);
  // The import builds the columns the comparison reads: with the key field of the rules as given
  // (the workspace's settings change tolerances and the date window, never the key field).
  const given = RulesSchema.parse(input.rules);
  const key = given.refundKeyField;
  let memory: { storefront: MemorySnapshot[]; netsuite: MemorySnapshot[] } | undefined;
  let memoryDisputes: CompareSnapshotsInput['disputes'];
  if (isOneShot(input)) {
    // One flat canonical CSV a side to CSV: the plain matches decided and written from the bytes
    // (reconcile-flat-fast.ts); null when the files or options are not ones it takes.
    const fast = await reconcileFlatFast(ctx, input, signal);
    if (fast) return fast;
  }
  // The general path does without the fast path's helper thread (and its copy of the file).
  input.earlyFlatHelper?.stop();
  if (isOneShot(input)) {
    // No workspace to keep and no snapshot to read: the files are read into memory, both sides at
    // once, and compared from there; nothing goes through SQLite (docs/benchmarks/flat.md). The
    // disputes files are read first (small): the storefront import resolves the order ids they name.
    const disputeFiles = (input.disputes ?? []).map((file) => ({ file, read: readDisputesFileChecked(file) }));
    const orderIdsOf = disputeOrderIds(disputeFiles.flatMap((f) => f.read));
    const [sf, ns] = await Promise.all([
      memorySide('storefront', input.storefront, input.mapping, key, input.onImportError, signal, orderIdsOf),
      memorySide('netsuite', input.netsuite, input.mapping, key, input.onImportError, signal),
    ]);
    memory = { storefront: sf, netsuite: ns };
    if (disputeFiles.length > 0) memoryDisputes = oneShotDisputes(disputeFiles, sf, input.onNotice);
  }
  const known = new Map<number, SnapshotColumns>();
  const storefront = memory
    ? []
    : await sideSnapshots(
        ctx,
        'storefront',
        input.storefront,
        input.mapping,
        key,
        known,
        signal,
        onBusy,
        input.onImportError,
      );
  phase('import storefront');
  const netsuite = memory
    ? []
    : await sideSnapshots(
        ctx,
        'netsuite',
        input.netsuite,
        input.mapping,
        key,
        known,
        signal,
        onBusy,
        input.onImportError,
      );
  phase('import netsuite');
  // Disputes are stored with the storefront snapshot, where the comparison reads them (§3.1).
  for (const disputesFile of memory ? [] : (input.disputes ?? [])) {
    const unresolved = importDisputesFile(ctx, { file: disputesFile, storefrontSnapshotId: storefront[0]! });
    if (unresolved.length > 0) input.onNotice?.(unresolvedDisputesNotice(disputesFile, unresolved));
  }
  let spoolDir: string | undefined;
  try {
    const sink = outputSink(input.format, input.write, given.itemMapping, () => {
      spoolDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'refund-recon-'));
      return spoolDir;
    });
    const compared = await compareAndStore(
      ctx,
      {
        storefront,
        netsuite,
        rules: input.rules,
        ...(input.workspaceSettings ? { workspaceSettings: input.workspaceSettings } : {}),
        // A temporary workspace is deleted afterwards: no match index written back, no run stored.
        persist: input.keepWorkspace,
        knownColumns: known,
        ...(memory ? { memory } : {}),
        ...(memoryDisputes ? { disputes: memoryDisputes } : {}),
        onResult: (r) => sink.add(r),
        // Display fields (document numbers, source refs, external ids, status) from the workspace in
        // batches: every record for JSON, the records of results with a hint otherwise.
        hydrate: input.format === 'json' ? 'all' : 'hints',
        onBusy,
        onRead: () => phase('read'),
      },
      signal,
    );
    sink.finish(compared.summary, compared.notCompared, compared.rules);
    phase('match and write');
    return { runId: compared.runId, summary: compared.summary, rules: compared.rules };
  } finally {
    if (spoolDir) fs.rmSync(spoolDir, { recursive: true, force: true });
  }
}
