import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { generateReconcileData } from './gen-reconcile-data';

/**
 * Reconcile benchmark (issue 4): N storefront refunds vs ~N NetSuite records, 2% planted
 * differences of every kind; end to end from files (the CLI path), matching on snapshots already
 * in a workspace, and the sqlite3-shell baseline (import two flat CSVs, join by order and amount).
 * REFUND_RECON_BENCH_REFUNDS overrides N (default 1,000,000). Figures: docs/benchmarks/reconcile.md.
 */

function step(...args: string[]): Record<string, unknown> {
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
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!);
}

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

  const e2e = step('e2e', sf, ns, path.join(data.dir, 'results.csv'));
  const e2eMs = e2e.wallMs as number;
  console.log(
    `end to end from files (import both, match, write CSV): ${(e2eMs / 1000).toFixed(1)} s, peak RSS ${e2e.peakRssMb} MB, ${(e2eMs / base.wallMs).toFixed(1)}× baseline  [targets: < 45 s, < 2048 MB]`,
  );

  const ws = path.join(data.dir, 'workspace.sqlite');
  const prep = step('prepare', sf, ns, ws);
  console.log(
    `setup: import into a workspace: storefront ${prep.importStorefrontMs} ms, NetSuite ${prep.importNetsuiteMs} ms`,
  );
  const snap = step('snapshots', ws, String(prep.sfId), String(prep.nsId), path.join(data.dir, 'truth.tsv'));
  const onSnapshots = (snap.readMs as number) + (snap.matchMs as number);
  console.log(
    `matching on snapshots: read ${snap.readMs} ms + match ${snap.matchMs} ms = ${(onSnapshots / 1000).toFixed(2)} s, peak RSS ${snap.matchPeakRssMb} MB, ${(onSnapshots / base.wallMs).toFixed(1)}× baseline  [target: < 5 s]`,
  );
  console.log(
    `results: ${snap.results} for ${snap.storefront} storefront refunds and ${snap.netsuite} NetSuite records`,
  );
  const stored = step('store', ws, String(prep.sfId), String(prep.nsId));
  console.log(
    `read, match and store the run in the workspace: ${((stored.wallMs as number) / 1000).toFixed(1)} s (read ${stored.readMs} ms, match ${stored.matchMs} ms, store ${stored.storeMs} ms), peak RSS ${stored.peakRssMb} MB`,
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
