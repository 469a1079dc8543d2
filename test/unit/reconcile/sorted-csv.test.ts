import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { demoCanonical, generateDemo } from '../../../src/main/demo/generate';
import { reconcile } from '../../../src/main/reconcile/engine';
import { tableOrderKey, writeCsv } from '../../../src/main/reconcile/output';
import { SortedCsvWriter } from '../../../src/main/reconcile/sorted-csv';
import { severityRank } from '../../../src/shared/codes';

/** Issue 16 item 11: `--format csv` is sorted like the table, also when it is merged from runs on disk. */
describe('CSV in the table’s order', () => {
  const { storefront, netsuite } = demoCanonical(generateDemo());
  const out = reconcile(storefront, netsuite);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-sorted-csv-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  function sortedCsv(runRows: number): string {
    let text = '';
    const writer = new SortedCsvWriter(
      (c) => (text += c),
      () => tmp,
      runRows,
    );
    // Engine order reversed: the writer, not the input, decides the order.
    for (const r of [...out.results].reverse()) writer.add(r);
    writer.finish();
    return text;
  }

  it('rows come worst first: severity, then within a currency the absolute difference, then key', () => {
    const rows = parse(sortedCsv(1000), { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(out.results.length);
    const byKey = new Map(out.results.map((r) => [r.key, r]));
    for (let i = 1; i < rows.length; i++) {
      const a = byKey.get(rows[i - 1]!.key!)!;
      const b = byKey.get(rows[i]!.key!)!;
      const order =
        severityRank(b.severity) - severityRank(a.severity) ||
        (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0) ||
        Math.abs(b.difference) - Math.abs(a.difference) ||
        (a.key < b.key ? -1 : 1);
      expect(order, `${a.key} before ${b.key}`).toBeLessThan(0);
    }
    // JPY 21,000 is not ranked by minor units above USD amounts: currencies come in blocks per severity.
    const errors = rows.filter((r) => r.severity === 'error').map((r) => r.currency);
    const blocks = errors.filter((c, i) => c !== errors[i - 1]);
    expect(new Set(blocks).size).toBe(blocks.length);
  });

  it('merging sorted runs from disk gives the same bytes as sorting in memory, and leaves no run behind', () => {
    const inMemory = sortedCsv(1_000_000);
    expect(sortedCsv(5)).toBe(inMemory);
    expect(sortedCsv(1)).toBe(inMemory);
    expect(fs.readdirSync(tmp)).toEqual([]);
    let whole = '';
    writeCsv(out, (c) => (whole += c));
    expect(whole).toBe(inMemory);
  });

  it('the order key sorts like the table for non-ASCII keys and huge differences', () => {
    const base = out.results[0]!;
    const a = { ...base, severity: 'error' as const, currency: 'USD', difference: Number.MAX_SAFE_INTEGER, key: 'é' };
    const b = { ...a, difference: -1, key: 'a' };
    const c = { ...a, currency: 'EU', difference: 0, key: 'z' };
    const d = { ...a, severity: 'warning' as const, currency: 'AAA', key: '0' };
    const sorted = [d, b, a, c].sort((x, y) => (tableOrderKey(x) < tableOrderKey(y) ? -1 : 1));
    expect(sorted.map((r) => r.key)).toEqual(['z', 'é', 'a', '0']);
  });
});
