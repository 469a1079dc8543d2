import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ReconcileRules as RulesSchema } from '../../shared/contract/run';
import type { Side } from '../../shared/model';
import { detectFormat } from '../importers/detect';
import type { ReconcileResult } from '../reconcile/engine';
import { candidatePairs } from '../reconcile/flat-fast/candidate-pairs';
import { comboSnapshots, comboVerdicts } from '../reconcile/flat-fast/combos';
import { helperWanted } from '../reconcile/flat-fast/early-helper';
import { buffer, type FlatTable, flatTableOf, readFileBytes, readFlatTable } from '../reconcile/flat-fast/flat-table';
import { FlatHelper, type Formatted } from '../reconcile/flat-fast/helper-thread';
import { readOddRows } from '../reconcile/flat-fast/odd-rows';
import { type PlainPairs, prefixesOf, writeFormattedMerged, writePlainMerged } from '../reconcile/flat-fast/plain-rows';
import { withPlainPairs } from '../reconcile/flat-fast/plain-summary';
import { subsetSnapshot } from '../reconcile/flat-fast/subset';
import { csvRow, tableOrderKey } from '../reconcile/output';
import type { MemorySnapshot } from '../store/memory-snapshot';
import { compareAndStore } from './compare-snapshots';
import type { UseCaseContext } from './context';
import type { ReconcileFilesInput, ReconcileFilesResult } from './reconcile-files';

/**
 * The fast path of the one-shot `reconcile --format csv` of one flat canonical CSV a side (issue
 * 15, docs/benchmarks/flat.md): both files are read as bytes into typed columns (flat-table.ts),
 * the orders that are certainly plain matches are decided before the engine (candidate-pairs.ts,
 * with the engine's own verdict per combination, combos.ts) and written from the files' bytes
 * (plain-rows.ts); every other row goes through the general compare, on a memory snapshot of just
 * those rows, and its rows are merged in. With large files a helper thread reads the storefront
 * file and writes the plain rows to a temporary file while this thread runs that compare
 * (flat-fast/helper-thread.ts). The output is the general path's byte for byte
 * (test/integration/reconcile/flat-fast.test.ts). Returns null, having written nothing, whenever
 * the files or options are not ones it takes: the caller then runs the general path, whose
 * readers word any error. REFUND_RECON_FLAT_FAST=0 turns it off (A/B measurements).
 */
export async function reconcileFlatFast(
  ctx: UseCaseContext,
  input: ReconcileFilesInput,
  signal?: AbortSignal,
): Promise<ReconcileFilesResult | null> {
  if (process.env.REFUND_RECON_FLAT_FAST === '0') return null;
  const given = RulesSchema.parse(input.rules);
  if (
    input.format !== 'csv' ||
    input.keepWorkspace ||
    input.mapping ||
    (input.disputes ?? []).length > 0 ||
    input.workspaceSettings ||
    given.refundKeyField !== 'externalId' ||
    !takes(input.storefront) ||
    !takes(input.netsuite)
  ) {
    return null;
  }
  const sfFile = input.storefront.files[0]!;
  const nsFile = input.netsuite.files[0]!;
  if (!(await isCanonicalCsv(sfFile, 'storefront')) || !(await isCanonicalCsv(nsFile, 'netsuite'))) return null;

  // Both files at once: the storefront scanned on a helper thread (large files), NetSuite here, in
  // shared memory so the helper can later write the plain rows from both. The CLI may have started
  // it already, reading this storefront file (early-helper.ts); else it starts now.
  const early = input.earlyFlatHelper?.reading === sfFile ? input.earlyFlatHelper : null;
  if (input.earlyFlatHelper && !early) input.earlyFlatHelper.stop();
  const helper = early ?? (helperWanted(sfFile) ? new FlatHelper('storefront', signal) : null);
  try {
    return await reconcileTables(ctx, input, sfFile, nsFile, helper, signal);
  } finally {
    helper?.stop();
  }
}

/** The rest of reconcileFlatFast, with the helper thread if there is one (it stops it). */
async function reconcileTables(
  ctx: UseCaseContext,
  input: ReconcileFilesInput,
  sfFile: string,
  nsFile: string,
  helper: FlatHelper | null,
  signal?: AbortSignal,
): Promise<ReconcileFilesResult | null> {
  const phase = input.onPhase ?? (() => {});
  let ns: FlatTable | null;
  try {
    // The storefront file's bytes first, read here while the helper thread is still starting (its
    // start-up is the longer part), then scanned there while this thread reads the NetSuite file.
    if (helper && helper.reading !== sfFile) {
      const sfBytes = readFileBytes(sfFile, true);
      if (!sfBytes) return null;
      helper.scan(sfBytes);
    }
    // The NetSuite bytes the CLI had read in the background, if it did (early-helper.ts).
    const prefetched = helper?.prefetched?.file === nsFile ? await helper.prefetched.bytes : null;
    if (helper) helper.prefetched = null;
    ns = prefetched ? flatTableOf(prefetched, 'netsuite', true) : readFlatTable(nsFile, 'netsuite', helper !== null);
  } catch {
    // Unreadable as a flat table: the general path reads it and says why.
    return null;
  }
  if (!ns) return null;
  // The helper decides the candidate pairs (candidate-pairs.ts) once it has scanned the storefront
  // file, while this thread reads the rows with a tenders cell; null if it fails (then the
  // general path runs: nothing is written before the candidates are known).
  const deciding = helper ? helper.decide(ns).catch(() => null) : null;
  // Rows with a tenders cell, read by the full importer as the general path's reader reads them:
  // NetSuite's first, while the helper still scans the storefront file (this thread would wait).
  const nsOdd = await readOddRows(ns, nsFile);
  if (!nsOdd) return null;
  let sf: FlatTable | null;
  try {
    sf = helper ? await helper.table : readFlatTable(sfFile, 'storefront');
  } catch {
    // The helper failed, say: the general path reads the file and says why.
    return null;
  }
  phase('import storefront');
  phase('import netsuite');
  if (!sf) return null;
  // The helper sorts the candidate pairs once decided, while this thread reads the odd rows, asks
  // the engine's verdicts and builds the subset snapshots: the formatting then only filters them.
  helper?.sortCandidates(prefixesOf(sf));
  const sfOdd = await readOddRows(sf, sfFile);
  if (!sfOdd) return null;
  phase('read odd rows');

  const candidates = deciding ? await deciding : candidatePairs(sf, ns);
  if (!candidates) return null;
  // From here on the fast path answers (the phase tells tests and timings it was taken).
  phase('decide plain orders');
  // The engine's verdict on each combination of a candidate pair (combos.ts).
  const synthetic: ReconcileResult[] = [];
  const comboSides = comboSnapshots(candidates.combos, sf, ns);
  await compareAndStore(
    ctx,
    {
      storefront: [],
      netsuite: [],
      rules: input.rules,
      persist: false,
      memory: { storefront: [comboSides.storefront], netsuite: [comboSides.netsuite] },
      onResult: (r) => synthetic.push(r),
      hydrate: 'hints',
    },
    signal,
  );
  const verdicts = comboVerdicts(candidates.combos, synthetic);
  phase('engine verdicts');

  // The plain pairs; every other row goes to the general compare.
  const sfTaken = new Uint8Array(sf.n);
  const nsTaken = new Uint8Array(ns.n);
  const shared = helper !== null;
  const pairs: PlainPairs = {
    count: 0,
    sfRow: new Uint32Array(buffer(candidates.count * 4, shared)),
    nsRow: new Uint32Array(buffer(candidates.count * 4, shared)),
    combo: new Uint16Array(buffer(candidates.count * 2, shared)),
  };
  for (let p = 0; p < candidates.count; p++) {
    const combo = candidates.combo[p]!;
    if (!verdicts[combo]!.plain) continue;
    const s = candidates.sfRow[p]!;
    const n = candidates.nsRow[p]!;
    sfTaken[s] = 1;
    nsTaken[n] = 1;
    pairs.sfRow[pairs.count] = s;
    pairs.nsRow[pairs.count] = n;
    pairs.combo[pairs.count] = combo;
    pairs.count++;
  }
  pairs.sfRow = pairs.sfRow.subarray(0, pairs.count);
  pairs.nsRow = pairs.nsRow.subarray(0, pairs.count);
  pairs.combo = pairs.combo.subarray(0, pairs.count);
  // The helper writes the plain rows to a file of its own while this thread compares the rest.
  const tempDir = helper ? fs.mkdtempSync(path.join(os.tmpdir(), 'refund-recon-flat-')) : null;
  try {
    const plainFile = tempDir ? path.join(tempDir, 'plain-rows.csv') : '';
    const formatting: Promise<Formatted | null> | null = helper
      ? helper.format({ ns, pairs, verdicts, prefixes: prefixesOf(sf), file: plainFile }).catch(() => null)
      : null;
    // Row ids as memorySide (reconcile-files.ts) gives them to the first file of each side.
    const memory: { storefront: MemorySnapshot[]; netsuite: MemorySnapshot[] } = {
      storefront: [subsetSnapshot(sf, sfTaken, 'none', 1, sfOdd)],
      netsuite: [subsetSnapshot(ns, nsTaken, 'externalId', 2 ** 40, nsOdd)],
    };
    phase('subset snapshots');
    const general: Array<[string, string]> = [];
    const compared = await compareAndStore(
      ctx,
      {
        storefront: [],
        netsuite: [],
        rules: input.rules,
        persist: false,
        memory,
        onResult: (r) => general.push([tableOrderKey(r), csvRow(r)]),
        hydrate: 'hints',
        onRead: () => phase('read'),
      },
      signal,
    );
    general.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    phase('compare the other orders');
    // The helper's file when it wrote it, else the rows are written here (a failed helper included).
    const formatted = formatting ? await formatting : null;
    // Its work is done: its heap goes now, not after the writing (the tables it read are shared).
    helper?.stop();
    if (formatted) {
      phase('plain rows from the helper');
      writeFormattedMerged(sf, pairs, formatted.order, formatted.starts, plainFile, general, input.write);
    } else writePlainMerged(sf, ns, pairs, verdicts, general, input.write);
    const summary = withPlainPairs(compared.summary, sf, ns, pairs, verdicts);
    phase('match and write');
    return { runId: null, summary, rules: compared.rules };
  } finally {
    if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
  }
}

/** One file, no snapshot, no currency given, canonical CSV or detected. */
function takes(side: ReconcileFilesInput['storefront']): boolean {
  return (
    side.files.length === 1 &&
    side.snapshotIds.length === 0 &&
    side.currency === undefined &&
    (side.format === undefined || side.format === 'canonical-csv')
  );
}

/** The file is detected as canonical CSV (as readFileIntoMemory detects it); false on any doubt. */
async function isCanonicalCsv(file: string, side: Side): Promise<boolean> {
  try {
    if (!fs.statSync(file).isFile()) return false;
    return (await detectFormat(file, side)).format === 'canonical-csv';
  } catch {
    return false;
  }
}
