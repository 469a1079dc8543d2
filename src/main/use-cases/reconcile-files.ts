import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ReconcileRules, ReconcileRulesInput } from '../../shared/contract/run';
import { ReconcileRules as RulesSchema } from '../../shared/contract/run';
import type { ImportFormat } from '../../shared/contract/snapshot';
import { UserError } from '../../shared/errors';
import type { CanonicalRefund, Side } from '../../shared/model';
import { importFile } from '../importers/import-file';
import { refuseDeepJson } from '../importers/json-stream';
import { type MemoryImportInput, readFileIntoMemory, readFileIntoMemoryOnThread } from '../importers/memory-import';
import { statRegularFileSync } from '../importers/source';
import { type EngineSummary, type ReconcileResult, reconcileColumns } from '../reconcile/engine';
import {
  hydrate,
  hydrateFromMemory,
  keyFieldOf,
  type MatchColumns,
  memoryMatchColumns,
  readMatchColumns,
} from '../reconcile/match-columns';
import { JsonResultsWriter, jsonHead, jsonTail, TableWriter } from '../reconcile/output';
import { applyAccountCapability, snapshotAccount } from '../reconcile/run-reconcile';
import { finishRun, ResultWriter, startRun } from '../reconcile/run-store';
import { SortedCsvWriter } from '../reconcile/sorted-csv';
import { BUSY_MESSAGE, beginImmediateWhenFree } from '../store/busy';
import type { SnapshotColumns } from '../store/match-cache';
import type { MemorySnapshot } from '../store/memory-snapshot';
import type { Db } from '../store/open';
import type { UseCaseContext } from './context';
import { withWorkspaceSettings } from './settings';

/** The output formats of a file reconciliation (spec §7). */
export type ReconcileOutputFormat = 'table' | 'json' | 'csv';

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
  rules: ReconcileRulesInput;
  /**
   * Which rules the caller gave explicitly: the workspace's saved tolerances and date window
   * (use-cases/settings.ts) fill in the others. Absent: the rules as given.
   */
  workspaceSettings?: Parameters<typeof withWorkspaceSettings>[2];
  /**
   * False for a workspace the caller deletes afterwards: nothing is written back (no match cache,
   * no stored run). True stores the run when exactly one snapshot per side is compared.
   */
  keepWorkspace: boolean;
  format: ReconcileOutputFormat;
  /** Receives the output, in order, as it is produced. */
  write(chunk: string | Buffer): void;
  /** Called after each phase (import storefront, import netsuite, read, match and write). */
  onPhase?(name: string): void;
  /** Called (with the message to show) while another import or compare holds the workspace. */
  onBusy?(message: string): void;
  /** Lets the face word its advice for a file of one side that failed to import (returns what to throw). */
  onImportError?(side: Side, error: unknown): unknown;
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
 * Imports one side's files (after the given snapshots); the matcher's columns of each new snapshot
 * are built while it is written and put in `known`, so matching does not read them back.
 */
async function sideSnapshots(
  db: Db,
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
    const result = await importFile(db, {
      file,
      side,
      format: input.format,
      mapping: side === 'netsuite' ? mapping : undefined,
      ...(input.currency ? { currency: input.currency } : {}),
      allowDuplicate: false,
      matchColumns: keyFieldOf(side, refundKeyField),
      ...(signal ? { signal } : {}),
      onProgress: (p) => {
        if (p.phase === 'waiting') onBusy();
      },
    }).catch((error: unknown) => {
      throw onImportError ? onImportError(side, error) : error;
    });
    snapshotIds.push(result.snapshotId);
    if (result.matchColumns) known.set(result.snapshotId, result.matchColumns);
  }
  return snapshotIds;
}

/** Where results go as the engine produces them (one of the three formats). */
interface OutputSink {
  add(result: ReconcileResult): void;
  finish(summary: EngineSummary, notCompared: CanonicalRefund[], rules: ReconcileRules): void;
}

/** Copies a file to `write` in 4 MB chunks. */
function copyFile(file: string, write: (chunk: Buffer) => void): void {
  const fd = fs.openSync(file, 'r');
  try {
    const chunk = Buffer.allocUnsafe(4 << 20);
    for (;;) {
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n <= 0) break;
      write(chunk.subarray(0, n));
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Appends to a spool file synchronously. */
function spoolWriter(fd: number): (chunk: string) => void {
  return (chunk) => {
    fs.writeSync(fd, chunk);
  };
}

/**
 * The output of `format`: the table's counts stream as results come; CSV rows are sorted like the
 * table (held a run at a time, larger outputs merged from sorted runs on disk); the JSON
 * document starts with the summary (spec §7), so its results are spooled to a temporary file and
 * copied after the summary once matching is done. Nothing holds all results.
 */
function outputSink(
  format: ReconcileOutputFormat,
  write: (chunk: string | Buffer) => void,
  mapping: Readonly<Record<string, string>>,
  spoolDir: () => string,
): OutputSink {
  if (format === 'csv') {
    // In the table's order: sorted in runs on disk when large (sorted-csv.ts).
    const csv = new SortedCsvWriter(write, spoolDir);
    return { add: (r) => csv.add(r), finish: () => csv.finish() };
  }
  if (format === 'table') {
    const table = new TableWriter(write);
    return { add: (r) => table.add(r), finish: (summary) => table.finish(summary) };
  }
  const spool = path.join(spoolDir(), 'results.json.part');
  const spoolFd = fs.openSync(spool, 'w');
  const body = new JsonResultsWriter(spoolWriter(spoolFd), mapping);
  return {
    add: (r) => body.add(r),
    finish: (summary, notCompared, rules) => {
      body.finish();
      fs.closeSync(spoolFd);
      write(jsonHead(summary, rules));
      copyFile(spool, write);
      fs.rmSync(spool, { force: true });
      write(jsonTail(notCompared));
    },
  };
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
    };
    // REFUND_RECON_PARSE_THREAD (always / never) decides here too, as for an import (parse-thread.ts).
    // The storefront files go to a worker, the NetSuite files are read here meanwhile: both sides at
    // once, one per core, with one worker's heap and one copy of columns across threads.
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
 * Matches the two sides and streams the results into the output format; `hydrate` fills the
 * display fields of the records about to be written (from the workspace or from memory).
 */
function matchAndWrite(
  input: ReconcileFilesInput,
  rules: ReconcileRules,
  sf: MatchColumns,
  ns: MatchColumns,
  hydrateRecords: (records: CanonicalRefund[]) => void,
  spoolDir: () => string,
  signal: AbortSignal | undefined,
): ReturnType<typeof reconcileColumns> {
  const sink = outputSink(input.format, input.write, rules.itemMapping, spoolDir);
  // Display fields: every record for JSON, the records of results with a hint otherwise.
  const hydrateAll = input.format === 'json';
  let batch: ReconcileResult[] = [];
  const drain = () => {
    const records: CanonicalRefund[] = [];
    for (const r of batch) {
      if (!hydrateAll && r.code === 'matched') continue;
      for (const x of r.storefront) records.push(x);
      for (const x of r.netsuite) records.push(x);
    }
    if (records.length > 0) hydrateRecords(records);
    for (const r of batch) sink.add(r);
    batch = [];
  };
  const out = reconcileColumns(sf, ns, rules, signal ? { signal } : {}, {
    add: (r) => {
      batch.push(r);
      if (batch.length >= 256) drain();
    },
  });
  drain();
  hydrateRecords(out.notCompared);
  sink.finish(out.summary, out.notCompared, rules);
  return out;
}

/**
 * Reconciles export files and/or snapshots of the workspace: imports the files, matches both sides
 * and streams the results in the chosen format to `input.write`. With one snapshot per side and a
 * kept workspace, the run is stored too (in one transaction: complete or not at all).
 */
export async function reconcileFiles(
  ctx: UseCaseContext,
  input: ReconcileFilesInput,
  signal?: AbortSignal,
): Promise<ReconcileFilesResult> {
  const { db } = ctx;
  let rules = RulesSchema.parse(input.rules);
  if (input.workspaceSettings) rules = withWorkspaceSettings(db, rules, input.workspaceSettings);
  const phase = input.onPhase ?? (() => {});
  let spoolDir: string | undefined;
  const spool = () => {
    spoolDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'refund-recon-'));
    return spoolDir;
  };
  try {
    const key = rules.refundKeyField;
    if (isOneShot(input)) {
      // No workspace to keep and no snapshot to read: nothing goes through SQLite at all.
      const [sfMem, nsMem] = await Promise.all([
        memorySide('storefront', input.storefront, input.mapping, key, input.onImportError, signal),
        memorySide('netsuite', input.netsuite, input.mapping, key, input.onImportError, signal),
      ]);
      phase('import storefront');
      phase('import netsuite');
      applyAccountCapability(rules, undefined);
      const sf = memoryMatchColumns(sfMem, 'storefront');
      const ns = memoryMatchColumns(nsMem, 'netsuite');
      phase('read');
      const all = [...sfMem, ...nsMem];
      const out = matchAndWrite(input, rules, sf, ns, (records) => hydrateFromMemory(all, records), spool, signal);
      phase('match and write');
      return { runId: null, summary: out.summary, rules };
    }
    const known = new Map<number, SnapshotColumns>();
    const onBusy = () => input.onBusy?.(BUSY_MESSAGE);
    const sfIds = await sideSnapshots(
      db,
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
    const nsIds = await sideSnapshots(
      db,
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
    // As in the app's compare: the storefront account's known line-item capability replaces `auto`.
    const account = sfIds.length === 1 ? snapshotAccount(db, sfIds[0]!) : undefined;
    applyAccountCapability(rules, account);
    // A temporary workspace is deleted afterwards: no match cache, no line summaries written back.
    const keep = input.keepWorkspace;
    // Another import or compare may be writing to the workspace: wait for the lock without
    // blocking (store/busy.ts), then match and store in this one transaction (committed below).
    if (keep) await beginImmediateWhenFree(db, { onWait: onBusy });
    const sf = readMatchColumns(db, sfIds, 'storefront', key, { persist: keep, known });
    const ns = readMatchColumns(db, nsIds, 'netsuite', key, { persist: keep, known });
    phase('read');
    const sink = outputSink(input.format, input.write, rules.itemMapping, () => {
      spoolDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'refund-recon-'));
      return spoolDir;
    });
    // Display fields (document numbers, source refs, external ids, status) come from the
    // workspace in batches: every record for JSON, the records of results with a hint otherwise.
    const hydrateAll = input.format === 'json';
    let batch: ReconcileResult[] = [];
    let writer: ResultWriter | null = null;
    const drain = () => {
      const records: CanonicalRefund[] = [];
      for (const r of batch) {
        if (!hydrateAll && r.code === 'matched') continue;
        for (const x of r.storefront) records.push(x);
        for (const x of r.netsuite) records.push(x);
      }
      if (records.length > 0) hydrate(db, records);
      for (const r of batch) {
        writer?.add(r);
        sink.add(r);
      }
      batch = [];
    };
    const match = () => {
      const out = reconcileColumns(sf, ns, rules, signal ? { signal } : {}, {
        add: (r) => {
          batch.push(r);
          if (batch.length >= 256) drain();
        },
      });
      drain();
      hydrate(db, out.notCompared);
      return out;
    };
    let out: ReturnType<typeof match>;
    let runId: number | null = null;
    if (keep && sfIds.length === 1 && nsIds.length === 1) {
      // One transaction: the run is stored complete, or not at all.
      out = db.transaction(() => {
        runId = startRun(db, {
          storefrontSnapshotId: sfIds[0]!,
          netsuiteSnapshotId: nsIds[0]!,
          storefrontAccountId: account?.id ?? null,
          rules,
        });
        writer = new ResultWriter(db, runId);
        const done = match();
        writer.finish();
        finishRun(db, runId, 'complete', done.summary);
        return done;
      })();
    } else out = match();
    sink.finish(out.summary, out.notCompared, rules);
    if (db.inTransaction) db.exec('COMMIT');
    phase('match and write');
    return { runId, summary: out.summary, rules };
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
    if (spoolDir) fs.rmSync(spoolDir, { recursive: true, force: true });
  }
}
