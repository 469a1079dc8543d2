import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateFlatData } from './gen-flat-data';
import { generateImportData, importDataPaths } from './gen-import-data';

/**
 * Import benchmark (issue "Importers"): 1,000,000 Shopify refunds as NDJSON REST orders (about 2.5
 * lines each), the matching NetSuite saved-search CSV, and the flat benchmark's storefront file as
 * canonical CSV (one row per refund, bench/gen-flat-data.ts), each imported into a fresh workspace
 * in a child process measured with /usr/bin/time -v (peak RSS) and its own clock.
 * IMPORT_BENCH_REFUNDS changes the size; IMPORT_BENCH_FILES (default `shopify,netsuite,canonical`)
 * chooses the files. Targets (issue 15): canonical CSV ≥ 250k rows/s, saved-search CSV ≥ 400k
 * rows/s, Shopify NDJSON ≥ 200 MB/s; each under 20 s and 1 GB peak RSS at 1M refunds.
 *
 * IMPORT_BENCH_MODES (default `auto`) lists parse-thread modes to run per side, e.g. `never,auto`
 * for the single-thread figure beside the parallel one. Per-thread CPU (Linux) shows the split:
 * on an idle 2-core machine the wall time is about max(parse thread, writing thread, all CPU / 2).
 */
function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

export async function run(): Promise<void> {
  const refunds = Number(process.env.IMPORT_BENCH_REFUNDS ?? 1_000_000);
  const wanted = new Set((process.env.IMPORT_BENCH_FILES ?? 'shopify,netsuite,canonical').split(','));
  let paths = importDataPaths(refunds);
  if (
    (wanted.has('shopify') || wanted.has('netsuite')) &&
    (!fs.existsSync(paths.shopify) || !fs.existsSync(paths.netsuite))
  ) {
    console.log(`generating ${refunds.toLocaleString('en-US')} refunds into bench/data …`);
    paths = generateImportData(refunds);
  }
  const canonical = wanted.has('canonical') ? generateFlatData(refunds).storefrontCanonical : '';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-bench-'));
  const root = path.join(__dirname, '..');
  const modes = (process.env.IMPORT_BENCH_MODES ?? 'auto').split(',');
  const runs = (
    [
      ['shopify', 'storefront', paths.shopify],
      ['netsuite', 'netsuite', paths.netsuite],
      ['canonical', 'storefront', canonical],
    ] as const
  )
    .filter(([name]) => wanted.has(name))
    .flatMap(([, side, file]) => modes.map((mode) => [side, file, mode] as const));
  for (const [side, file, mode] of runs) {
    const workspace = path.join(dir, `${side}-${path.basename(file)}.sqlite`);
    const args = [
      '-v',
      process.execPath,
      '--require',
      'tsx/cjs',
      path.join(__dirname, 'import-child.ts'),
      file,
      side,
      workspace,
      mode,
    ];
    const useTime = fs.existsSync('/usr/bin/time');
    const loadBefore = loadAverage();
    const child = useTime
      ? spawnSync('/usr/bin/time', args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24 })
      : spawnSync(args[1]!, args.slice(2), { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24 });
    if (child.status !== 0) throw new Error(`${side} import failed: ${child.stderr}`);
    const figures = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as {
      format: string;
      refunds: number;
      lines: number;
      rows: number;
      bytes: number;
      ms: number;
      cpuMs: number;
      mainThreadCpuMs: number | null;
      parseThreadCpuMs: number | null;
      maxRssKb: number;
    };
    const loadAfter = loadAverage();
    const timeRss = /Maximum resident set size \(kbytes\): (\d+)/.exec(child.stderr ?? '')?.[1];
    // The whole child's CPU (user + sys, every thread, startup included) from time(1), else the child's own figure.
    const user = /User time \(seconds\): ([\d.]+)/.exec(child.stderr ?? '')?.[1];
    const sys = /System time \(seconds\): ([\d.]+)/.exec(child.stderr ?? '')?.[1];
    const cpuS = user !== undefined && sys !== undefined ? Number(user) + Number(sys) : figures.cpuMs / 1000;
    const rssMb = Number(timeRss ?? figures.maxRssKb) / 1024;
    const s = figures.ms / 1000;
    const writerS = figures.mainThreadCpuMs !== null ? figures.mainThreadCpuMs / 1000 : null;
    const parserS = figures.parseThreadCpuMs !== null ? figures.parseThreadCpuMs / 1000 : null;
    const threads =
      writerS === null
        ? ''
        : parserS === null
          ? `  one thread: ${writerS.toFixed(1)} s CPU parsing and writing`
          : `  parse thread ${parserS.toFixed(1)} s CPU, writing thread ${writerS.toFixed(1)} s CPU, other threads (GC, I/O, start-up) ${(cpuS - parserS - writerS).toFixed(1)} s; idle 2-core estimate ≥ ${Math.max(parserS, writerS, cpuS / 2).toFixed(1)} s wall (at this load's CPU speed)`;
    console.log(
      [
        `${side.padEnd(10)} ${figures.format} (parse thread: ${mode}): ${figures.refunds.toLocaleString('en-US')} refunds, ${figures.lines.toLocaleString('en-US')} lines, ${figures.rows.toLocaleString('en-US')} rows, ${(figures.bytes / 1048576).toFixed(0)} MB`,
        `  ${s.toFixed(1)} s wall, ${cpuS.toFixed(1)} s CPU (user+sys; import alone ${(figures.cpuMs / 1000).toFixed(1)} s), ${Math.round(figures.rows / s).toLocaleString('en-US')} rows/s, ${Math.round(figures.refunds / s).toLocaleString('en-US')} refunds/s, ${(figures.bytes / 1048576 / s).toFixed(1)} MB/s, peak RSS ${rssMb.toFixed(0)} MB`,
        ...(threads ? [threads] : []),
        `  load average (1/5/15 min) before ${loadBefore}, after ${loadAfter} on ${os.cpus().length} cores`,
        `  targets: < 20 s wall ${s < 20 ? 'met' : 'NOT met'} (CPU ${cpuS < 20 ? `${(20 - cpuS).toFixed(1)} s under` : `${(cpuS - 20).toFixed(1)} s over`}); < 1 GB RSS ${rssMb < 1024 ? 'met' : 'NOT met'}`,
      ].join('\n'),
    );
    fs.rmSync(workspace, { force: true });
    fs.rmSync(`${workspace}-wal`, { force: true });
    fs.rmSync(`${workspace}-shm`, { force: true });
  }
  fs.rmSync(dir, { recursive: true, force: true });
}
