import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateFlatData } from './gen-flat-data';

/**
 * Flat reconcile benchmark (issue 15): 1,000,000 storefront vs ~1,005,000 NetSuite refunds, one
 * row each, 2 % planted differences. Runs, in the same process tree and back to back, the two
 * baselines (pandas read_csv x2 + outer merge; raw Node readline + split + Map) and the app:
 * `reconcile` from the canonical CSVs (one-shot), and the app's path (import both into a
 * workspace, compare, store the run). Each command runs REFUND_RECON_BENCH_RUNS times (default 3);
 * the median wall time and its peak RSS are reported, with ratios to pandas from the same run.
 * REFUND_RECON_BENCH_REFUNDS overrides N; REFUND_RECON_BENCH_APP_PATH=0 skips the app's path.
 * Wall, CPU (user + sys, all threads) and peak RSS come from time(1). Figures: docs/benchmarks/flat.md.
 */

const PYTHON = '/usr/bin/python3';
const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'bin', 'refund-recon.js');

interface Measured {
  wallMs: number;
  /** User + system CPU time (all threads): on a shared machine the steadier figure. */
  cpuMs: number;
  peakRssMb: number;
  stdout: string;
}

/** Runs a command under /usr/bin/time for its peak RSS (children included, as `time` reports). */
function measure(cmd: string, args: string[]): Measured {
  const t = performance.now();
  const run = spawnSync('/usr/bin/time', ['-f', 'maxrss=%M cpu=%U+%S', cmd, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    cwd: ROOT,
  });
  const wallMs = performance.now() - t;
  // reconcile exits 1 when differences exist: that is its success here.
  if (run.status !== 0 && run.status !== 1) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${run.status}: ${run.stderr.slice(-2000)}`);
  }
  const rss = /maxrss=(\d+)/.exec(run.stderr);
  const cpu = /cpu=([\d.]+)\+([\d.]+)/.exec(run.stderr);
  const cpuMs = cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : 0;
  return { wallMs, cpuMs, peakRssMb: rss ? Number(rss[1]) / 1024 : 0, stdout: run.stdout };
}

function median(runs: Measured[]): Measured {
  const sorted = [...runs].sort((a, b) => a.wallMs - b.wallMs);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Counts the app's result codes in its CSV output and checks every planted difference is there. */
function plantedFound(csvFile: string): Record<string, number> {
  const text = fs.readFileSync(csvFile, 'utf8');
  const counts: Record<string, number> = {};
  let start = text.indexOf('\n') + 1;
  while (start < text.length) {
    const end = text.indexOf('\n', start);
    const firstComma = text.indexOf(',', start);
    const secondComma = text.indexOf(',', firstComma + 1);
    const code = text.slice(firstComma + 1, secondComma);
    counts[code] = (counts[code] ?? 0) + 1;
    start = end < 0 ? text.length : end + 1;
  }
  return counts;
}

const fmt = (m: Measured) =>
  `${(m.wallMs / 1000).toFixed(2)} s (CPU ${(m.cpuMs / 1000).toFixed(2)} s), ${m.peakRssMb.toFixed(0)} MiB`;

export async function run(): Promise<void> {
  const n = Number(process.env.REFUND_RECON_BENCH_REFUNDS ?? 1_000_000);
  const runs = Number(process.env.REFUND_RECON_BENCH_RUNS ?? 3);
  if (!fs.existsSync(PYTHON) || spawnSync(PYTHON, ['-c', 'import pandas']).status !== 0) {
    console.log('pandas is missing: install it with `apt-get install -y python3-pandas` (Debian), then re-run.');
    process.exitCode = 1;
    return;
  }
  const t = performance.now();
  const data = generateFlatData(n);
  console.log(
    `data: ${data.storefrontRows} storefront, ${data.netsuiteRows} NetSuite rows; planted ${JSON.stringify(data.planted)} (${((performance.now() - t) / 1000).toFixed(1)} s, cached after the first run)`,
  );
  console.log(
    `load before: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );

  const out = path.join(data.dir, 'results.csv');
  const workspace = path.join(data.dir, 'workspace.sqlite');
  const series: Record<string, Measured[]> = { pandas: [], node: [], reconcile: [], appPath: [] };
  for (let r = 0; r < runs; r++) {
    series.pandas!.push(
      measure(PYTHON, [path.join(__dirname, 'baselines', 'pandas-merge.py'), data.storefrontFlat, data.netsuiteFlat]),
    );
    series.node!.push(
      measure(process.execPath, [
        path.join(__dirname, 'baselines', 'node-map.js'),
        data.storefrontFlat,
        data.netsuiteFlat,
      ]),
    );
    series.reconcile!.push(
      measure(process.execPath, [
        CLI,
        'reconcile',
        '--storefront',
        data.storefrontCanonical,
        '--netsuite',
        data.netsuiteCanonical,
        '--format',
        'csv',
        '--out',
        out,
      ]),
    );
    // REFUND_RECON_BENCH_APP_PATH=0 leaves the app's path out (it runs longest; a loaded machine).
    if (process.env.REFUND_RECON_BENCH_APP_PATH === '0') continue;
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(workspace + suffix, { force: true });
    series.appPath!.push(
      measure(process.execPath, [
        CLI,
        'reconcile',
        '--storefront',
        data.storefrontCanonical,
        '--netsuite',
        data.netsuiteCanonical,
        '--workspace',
        workspace,
        '--format',
        'csv',
        '--out',
        `${out}.workspace.csv`,
      ]),
    );
  }
  const pandas = median(series.pandas!);
  const node = median(series.node!);
  const reconcile = median(series.reconcile!);
  const appPath = series.appPath!.length > 0 ? median(series.appPath!) : null;
  console.log(`pandas baseline: ${fmt(pandas)} ${pandas.stdout.trim()}`);
  console.log(`raw Node baseline: ${fmt(node)} ${node.stdout.trim()}`);
  const ratio = (m: Measured) =>
    `${(m.wallMs / pandas.wallMs).toFixed(2)}x pandas wall, ${(m.cpuMs / pandas.cpuMs).toFixed(2)}x pandas CPU, ${(m.peakRssMb / pandas.peakRssMb).toFixed(2)}x pandas RSS, ${(m.wallMs / node.wallMs).toFixed(2)}x raw Node wall, ${(m.cpuMs / node.cpuMs).toFixed(2)}x raw Node CPU`;
  console.log(`reconcile (one-shot, canonical CSV): ${fmt(reconcile)} = ${ratio(reconcile)}`);
  console.log(
    `app path (import both, compare, store the run): ${appPath ? `${fmt(appPath)} = ${ratio(appPath)}` : 'not run'}`,
  );
  const all = (k: string) => series[k]!.map((m) => (m.wallMs / 1000).toFixed(2)).join(' / ');
  console.log(
    `all runs (s): pandas ${all('pandas')}; node ${all('node')}; reconcile ${all('reconcile')}; app path ${all('appPath')}`,
  );

  const codes = plantedFound(out);
  console.log(`result codes: ${JSON.stringify(codes)}`);
  const p = data.planted;
  const checks = [
    ['missing_in_netsuite', (codes.missing_in_netsuite ?? 0) === p.missing],
    ['missing_in_storefront', (codes.missing_in_storefront ?? 0) === p.extra],
    ['duplicate', (codes.duplicate ?? 0) === p.duplicate],
    ['amount_mismatch + rounding', (codes.amount_mismatch ?? 0) + (codes.rounding ?? 0) === p.changed],
    // Issue 18: store credit on the storefront, cash in NetSuite (REFUND_RECON_BENCH_TENDERS=0: none planted).
    ['tender_mismatch', (codes.tender_mismatch ?? 0) === (p.tender ?? 0)],
  ] as const;
  for (const [name, ok] of checks) console.log(`planted ${name}: ${ok ? 'all reported' : 'MISMATCH'}`);
  if (checks.some(([, ok]) => !ok)) process.exitCode = 1;
  console.log(
    `load after: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
}
