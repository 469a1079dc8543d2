import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { readMatchColumns } from '../src/main/reconcile/match-columns';
import { compareSnapshots } from '../src/main/reconcile/run-reconcile';
import { openWorkspace } from '../src/main/store/open';
import { importDisputesFile } from '../src/main/use-cases/import-disputes';
import { importSnapshotFile } from '../src/main/use-cases/import-file';

/**
 * One measured step of the reconcile benchmark, in its own process so its peak RSS is its own.
 * Prints one JSON line. Modes:
 *   e2e <storefront> <netsuite> <out.csv> [disputes]
 *                                             the CLI path: read both files (and `--disputes`), match, write CSV
 *   prepare <storefront> <netsuite> <ws> [disputes]
 *                                             import both files into a workspace as the app does (the import
 *                                             use case: snapshots and their match index; the disputes stored
 *                                             with the storefront snapshot; setup, not a target)
 *   snapshots <ws> <sfId> <nsId> <truth.tsv>  read both snapshots, match (timed), score recall/precision
 *   store <ws> <sfId> <nsId>                  read, match and store the run in the workspace
 *   read <ws> <sfId> <nsId>                   read both sides from the match cache, then with SQL (no cache)
 */
function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

async function main(): Promise<void> {
  const [mode, a, b, c, d] = process.argv.slice(2);
  // The disputes file of a tender set (tenders.md §3.1): the fifth argument of e2e and prepare.
  const disputes = mode === 'e2e' || mode === 'prepare' ? d : undefined;
  const t0 = performance.now();
  if (mode === 'e2e') {
    // The CLI as a user runs it: the built code, in its own process (peak RSS and CPU from time(1)).
    const cli = path.join(__dirname, '..', 'bin', 'refund-recon.js');
    const run = spawnSync(
      '/usr/bin/time',
      [
        '-f',
        'cpu=%U+%S maxrss=%M',
        process.execPath,
        cli,
        'reconcile',
        '--storefront',
        a!,
        '--netsuite',
        b!,
        '--format',
        'csv',
        '--out',
        c!,
        ...(disputes ? ['--disputes', disputes] : []),
      ],
      { encoding: 'utf8', maxBuffer: 64 << 20 },
    );
    const wallMs = Math.round(performance.now() - t0);
    const times = /cpu=([\d.]+)\+([\d.]+) maxrss=(\d+)/.exec(run.stderr);
    if (!times || (run.status !== 0 && run.status !== 1))
      throw new Error(`reconcile failed: ${run.stderr.slice(-2000)}`);
    process.stdout.write(
      `${JSON.stringify({ mode, status: run.status, wallMs, cpuMs: Math.round((Number(times[1]) + Number(times[2])) * 1000), peakRssMb: Math.round(Number(times[3]) / 1024) })}\n`,
    );
    return;
  }
  if (mode === 'prepare') {
    if (fs.existsSync(c!)) fs.rmSync(c!);
    const db = openWorkspace(c!);
    const ctx = { db, workspacePath: c! };
    const sf = await importSnapshotFile(ctx, { file: a!, side: 'storefront' });
    if (disputes) {
      const unresolved = importDisputesFile(ctx, { file: disputes, storefrontSnapshotId: sf.snapshotId });
      if (unresolved.length > 0) throw new Error(`${unresolved.length} disputes name no order of ${a}`);
    }
    const t1 = performance.now();
    const ns = await importSnapshotFile(ctx, { file: b!, side: 'netsuite' });
    const t2 = performance.now();
    db.close();
    process.stdout.write(
      `${JSON.stringify({ mode, sfId: sf.snapshotId, nsId: ns.snapshotId, importStorefrontMs: Math.round(t1 - t0), importNetsuiteMs: Math.round(t2 - t1), peakRssMb: peakRssMb() })}\n`,
    );
    return;
  }
  if (mode === 'snapshots') {
    const db = openWorkspace(a!);
    const maxRow = (db.prepare('SELECT COALESCE(max(id), 0) AS m FROM refunds').get() as { m: number }).m;
    // While timed, only the code and result number per refunds row (typed arrays): scoring by
    // source id against the planted truth happens after the clock stops.
    const codes: string[] = [];
    const codeIndex = new Map<string, number>();
    const codeOf = new Uint8Array(maxRow + 1);
    const seqOf = new Int32Array(maxRow + 1).fill(-1);
    let seq = 0;
    const mark = (rowId: number, code: string) => {
      let c = codeIndex.get(code);
      if (c === undefined) {
        c = codes.length;
        codes.push(code);
        codeIndex.set(code, c);
      }
      codeOf[rowId] = c;
      seqOf[rowId] = seq;
    };
    const cpu0 = process.cpuUsage();
    const { output, timings } = compareSnapshots(
      db,
      { storefrontSnapshotId: Number(b), netsuiteSnapshotId: Number(c) },
      {
        store: false,
        keepResults: false,
        onResult: (r) => {
          for (const s of r.storefront) mark((s as unknown as { rowId: number }).rowId, r.code);
          for (const n of r.netsuite) mark((n as unknown as { rowId: number }).rowId, r.code);
          seq++;
        },
      },
    );
    for (const n of output.notCompared) mark((n as unknown as { rowId: number }).rowId, 'not_compared');
    const cpu = process.cpuUsage(cpu0);
    const matchPeak = peakRssMb();
    // Recall and precision per code against the planted truth, record by record (a repeated id:
    // the code of its last result, as before).
    const truth = new Map<string, string>();
    for (const line of fs.readFileSync(d!, 'utf8').split('\n')) {
      const tab = line.indexOf('\t');
      if (tab > 0) truth.set(line.slice(0, tab), line.slice(tab + 1));
    }
    const got = new Map<string, { code: string; seq: number }>();
    const rows = db
      .prepare(
        'SELECT r.id, r.source_id, s.side FROM refunds r JOIN snapshots s ON s.id = r.snapshot_id WHERE r.snapshot_id IN (?, ?)',
      )
      .raw(true);
    for (const [rowId, sourceId, side] of rows.iterate(Number(b), Number(c)) as IterableIterator<
      [number, string, string]
    >) {
      if (seqOf[rowId]! < 0) continue;
      const key = `${side === 'storefront' ? 'sf' : 'ns'}:${sourceId}`;
      const prev = got.get(key);
      if (!prev || seqOf[rowId]! >= prev.seq) got.set(key, { code: codes[codeOf[rowId]!]!, seq: seqOf[rowId]! });
    }
    const score: Record<string, { expected: number; found: number; correct: number }> = {};
    const entry = (code: string) => (score[code] ??= { expected: 0, found: 0, correct: 0 });
    for (const [key, code] of truth) {
      entry(code).expected++;
      const g = got.get(key)?.code ?? 'absent';
      entry(g).found++;
      if (g === code) entry(code).correct++;
    }
    db.close();
    process.stdout.write(
      `${JSON.stringify({
        mode,
        readMs: Math.round(timings.readMs),
        matchMs: Math.round(timings.matchMs),
        cpuMs: Math.round((cpu.user + cpu.system) / 1000),
        matchPeakRssMb: matchPeak,
        results: output.summary.results,
        storefront: output.summary.storefrontRefunds,
        netsuite: output.summary.netsuiteRecords,
        score,
        peakRssMb: peakRssMb(),
      })}\n`,
    );
    return;
  }
  if (mode === 'read') {
    // Reading both sides for matching: from the match cache, and with SQL (ORDER BY, no cache).
    const db = openWorkspace(a!);
    const out: Record<string, number> = {};
    for (const variant of ['cache', 'sql'] as const) {
      const cpu0 = process.cpuUsage();
      const w0 = performance.now();
      const opts = { persist: false, useCache: variant === 'cache' };
      const sfc = readMatchColumns(db, [Number(b)], 'storefront', 'externalId', opts);
      const nsc = readMatchColumns(db, [Number(c)], 'netsuite', 'externalId', opts);
      const cpu = process.cpuUsage(cpu0);
      out[`${variant}WallMs`] = Math.round(performance.now() - w0);
      out[`${variant}CpuMs`] = Math.round((cpu.user + cpu.system) / 1000);
      out[`${variant}Records`] = sfc.n + nsc.n;
    }
    db.close();
    process.stdout.write(`${JSON.stringify({ mode, ...out, peakRssMb: peakRssMb() })}\n`);
    return;
  }
  if (mode === 'store') {
    const db = openWorkspace(a!);
    const cpu0 = process.cpuUsage();
    const { timings, runId } = compareSnapshots(
      db,
      { storefrontSnapshotId: Number(b), netsuiteSnapshotId: Number(c) },
      { keepResults: false },
    );
    const cpu = process.cpuUsage(cpu0);
    db.close();
    process.stdout.write(
      `${JSON.stringify({ mode, runId, wallMs: Math.round(performance.now() - t0), cpuMs: Math.round((cpu.user + cpu.system) / 1000), ...Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v)])), peakRssMb: peakRssMb() })}\n`,
    );
    return;
  }
  throw new Error(`unknown mode ${mode}`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
