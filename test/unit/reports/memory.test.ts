import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers';

/**
 * 100,000-row exports run in a child process (clean heap, --expose-gc) and must stay in bounded
 * memory: the live heap + external buffers may not grow with the number of rows. A non-streaming
 * exporter would hold ~100 MB of row objects and cell strings at 100k rows.
 */

const tmp = tempDir('reports-memory-');
afterAll(tmp.cleanup);

interface Figures {
  format: string;
  rows: number;
  ms: number;
  bytes: number;
  peakRssMB: number;
  baseRssMB: number;
  peakLiveGrowthMB: number;
}

function measure(format: 'csv' | 'xlsx', rows: number): Figures {
  const child = path.join(__dirname, 'memory-child.ts');
  const result = spawnSync(
    process.execPath,
    ['--require', 'tsx/cjs', '--expose-gc', child, format, String(rows), tmp.dir],
    {
      cwd: path.join(__dirname, '..', '..', '..'),
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  if (result.status !== 0) throw new Error(`memory child failed: ${result.stderr}`);
  const figures = JSON.parse(result.stdout.trim().split('\n').pop()!) as Figures;
  console.log(JSON.stringify(figures));
  return figures;
}

describe('bounded memory', () => {
  it.each(['csv', 'xlsx'] as const)(
    '%s: 100,000 rows stream through in bounded memory',
    (format) => {
      const small = measure(format, 10_000);
      const large = measure(format, 100_000);
      expect(large.rows).toBe(100_000);
      // Absolute bound, far below what holding 100k rows would need.
      expect(large.peakLiveGrowthMB).toBeLessThan(64);
      // And flat: ten times the rows, nowhere near ten times the memory.
      expect(large.peakLiveGrowthMB).toBeLessThan(small.peakLiveGrowthMB * 2 + 24);
      expect(large.peakRssMB - large.baseRssMB).toBeLessThan(160);
    },
    180_000,
  );
});
