/**
 * Child process for the bounded-memory test (and for the figures in docs/reports.md):
 *   node --require tsx/cjs --expose-gc test/unit/reports/memory-child.ts <csv|xlsx|html> <rows> <out-dir>
 * Prints one JSON line: rows, milliseconds, bytes written, peak RSS and peak heap+external growth.
 */
import path from 'node:path';
import { exportReport } from '../../../src/main/reports/export-run';
import type { ReportFormat } from '../../../src/main/reports/report-model';
import { generatedRows, makeInput } from './helpers';

async function main(): Promise<void> {
  const [format, rowsArg, outDir] = process.argv.slice(2) as [ReportFormat, string, string];
  const rows = Number(rowsArg);
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const base = process.memoryUsage();
  const baseline = base.heapUsed + base.external;
  let peakRss = base.rss;
  let peakLive = 0;
  const sample = (): void => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakLive = Math.max(peakLive, m.heapUsed + m.external - baseline);
  };
  const timer = setInterval(sample, 5);
  const started = performance.now();
  const result = await exportReport(
    makeInput(generatedRows(rows)),
    format,
    path.join(outDir, `memory-${rows}.${format}`),
    {
      onProgress: sample,
    },
  );
  const ms = Math.round(performance.now() - started);
  clearInterval(timer);
  sample();
  process.stdout.write(
    `${JSON.stringify({
      format,
      rows: result.rows,
      ms,
      bytes: result.bytes,
      peakRssMB: Math.round(peakRss / 1e5) / 10,
      baseRssMB: Math.round(base.rss / 1e5) / 10,
      peakLiveGrowthMB: Math.round(peakLive / 1e5) / 10,
    })}\n`,
  );
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
