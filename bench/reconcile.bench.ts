import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateReconcileData } from './gen-reconcile-data';

/**
 * Reconcile benchmark (issue 4): N storefront refunds vs ~N NetSuite records, 2% planted
 * differences of every kind; end to end from files (the CLI path), matching on snapshots already
 * in a workspace, and the sqlite3-shell baseline (import two flat CSVs, join by order and amount).
 * REFUND_RECON_BENCH_REFUNDS overrides N (default 1,000,000). Figures: docs/benchmarks/reconcile.md.
 */

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** One step in its own process; adds the load average before/after (the machine is shared). */
function step(...args: string[]): Record<string, unknown> {
  const loadBefore = load();
  const run = spawnSync(
    process.execPath,
    ['--require', 'tsx/cjs', path.join(__dirname, 'reconcile-step.ts'), ...args],
    {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
      env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=4096' },
    },
  );
  if (run.status !== 0) throw new Error(`reconcile-step ${args[0]} failed: ${run.stderr}`);
  const out = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
  out.load = `${loadBefore} → ${load()}`;
  return out;
}

const sec = (ms: unknown) => `${((ms as number) / 1000).toFixed(1)} s`;

function baselineWithRss(dir: string): { wallMs: number; peakRssMb: number; joined: number } {
  const db = path.join(dir, 'baseline.sqlite');
  if (fs.existsSync(db)) fs.rmSync(db);
  const script = [
    '.mode csv',
    `.import ${path.join(dir, 'sf-flat.csv')} sf`,
    `.import ${path.join(dir, 'ns-flat.csv')} ns`,
    'SELECT count(*) FROM sf JOIN ns ON ns.order_ref = sf.order_ref AND ns.total = sf.total;',
  ].join('\n');
  const t = performance.now();
  const run = spawnSync('/usr/bin/time', ['-f', 'maxrss=%M', '/usr/bin/sqlite3', db], {
    input: script,
    encoding: 'utf8',
  });
  const wallMs = Math.round(performance.now() - t);
  fs.rmSync(db, { force: true });
  if (run.status !== 0) throw new Error(`sqlite3 baseline failed: ${run.stderr}`);
  const rss = /maxrss=(\d+)/.exec(run.stderr);
  return { wallMs, peakRssMb: rss ? Math.round(Number(rss[1]) / 1024) : 0, joined: Number(run.stdout.trim()) };
}

export async function run(): Promise<void> {
  const n = Number(process.env.REFUND_RECON_BENCH_REFUNDS ?? 1_000_000);
  const t = performance.now();
  const data = generateReconcileData(n);
  console.log(
    `data: ${JSON.stringify(data)} (${((performance.now() - t) / 1000).toFixed(1)} s, cached after the first run)`,
  );
  const sf = path.join(data.dir, 'shopify-orders.ndjson');
  const ns = path.join(data.dir, 'netsuite-refunds.csv');
  const sizeMb = (f: string) => (fs.statSync(f).size / 1e6).toFixed(0);
  console.log(`files: ${sizeMb(sf)} MB Shopify NDJSON, ${sizeMb(ns)} MB NetSuite CSV`);

  const base = baselineWithRss(data.dir);
  console.log(
    `baseline sqlite3 shell (import 2 flat CSVs + join by order and amount): ${(base.wallMs / 1000).toFixed(2)} s, peak RSS ${base.peakRssMb} MB, ${base.joined} joined rows`,
  );

  // The chargeback cases need their disputes (tenders.md §3.1): `--disputes` end to end, stored with the snapshot in a workspace.
  const disputes = data.disputes ? [data.disputes] : [];
  const e2e = step('e2e', sf, ns, path.join(data.dir, 'results.csv'), ...disputes);
  const e2eMs = e2e.wallMs as number;
  console.log(
    `end to end from files (CLI: read both files and the disputes in memory, match, write CSV with hints): wall ${sec(e2eMs)}, CPU ${sec(e2e.cpuMs)}, peak RSS ${e2e.peakRssMb} MB, ${(e2eMs / base.wallMs).toFixed(1)}× baseline, load ${e2e.load}  [targets: < 45 s, < 2048 MB]`,
  );

  const ws = path.join(data.dir, 'workspace.sqlite');
  const prep = step('prepare', sf, ns, ws, ...disputes);
  console.log(
    `setup: import into a workspace: storefront ${sec(prep.importStorefrontMs)}, NetSuite ${sec(prep.importNetsuiteMs)}, load ${prep.load}`,
  );
  const truth = path.join(data.dir, 'truth.tsv');
  const first = step('snapshots', ws, String(prep.sfId), String(prep.nsId), truth);
  console.log(
    `first comparison of the pair (fills missing line summaries, writes both match caches): read ${sec(first.readMs)} + match ${sec(first.matchMs)}, CPU ${sec(first.cpuMs)}, peak RSS ${first.matchPeakRssMb} MB, load ${first.load}`,
  );
  const snap = step('snapshots', ws, String(prep.sfId), String(prep.nsId), truth);
  const onSnapshots = (snap.readMs as number) + (snap.matchMs as number);
  console.log(
    `matching on snapshots: read ${sec(snap.readMs)} + match ${sec(snap.matchMs)} = wall ${sec(onSnapshots)}, CPU ${sec(snap.cpuMs)}, peak RSS ${snap.matchPeakRssMb} MB, ${(onSnapshots / base.wallMs).toFixed(1)}× baseline, load ${snap.load}  [target: < 5 s]`,
  );
  console.log(
    `results: ${snap.results} for ${snap.storefront} storefront refunds and ${snap.netsuite} NetSuite records`,
  );
  const read = step('read', ws, String(prep.sfId), String(prep.nsId));
  console.log(
    `reading both sides: from the match cache wall ${sec(read.cacheWallMs)}, CPU ${sec(read.cacheCpuMs)}; with SQL (no cache) wall ${sec(read.sqlWallMs)}, CPU ${sec(read.sqlCpuMs)}; load ${read.load}`,
  );
  const stored = step('store', ws, String(prep.sfId), String(prep.nsId));
  console.log(
    `read, match and store the run in the workspace: wall ${sec(stored.wallMs)} (read ${sec(stored.readMs)}, match ${sec(stored.matchMs)}, store ${sec(stored.storeMs)} wall, ${sec(stored.storeCpuMs)} CPU), CPU ${sec(stored.cpuMs)}, peak RSS ${stored.peakRssMb} MB, load ${stored.load}`,
  );
  console.log('recall / precision per code (record by record against the planted truth):');
  const score = snap.score as Record<string, { expected: number; found: number; correct: number }>;
  for (const [code, s] of Object.entries(score).sort()) {
    const recall = s.expected ? ((100 * s.correct) / s.expected).toFixed(2) : 'n/a';
    const precision = s.found ? ((100 * s.correct) / s.found).toFixed(2) : 'n/a';
    console.log(
      `  ${code.padEnd(22)} expected ${String(s.expected).padStart(8)}  found ${String(s.found).padStart(8)}  recall ${recall}%  precision ${precision}%`,
    );
  }
}
