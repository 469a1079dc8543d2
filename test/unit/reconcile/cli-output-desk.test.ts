import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { demoCanonical, generateDemo } from '../../../src/main/demo/generate';
import { reconcile } from '../../../src/main/reconcile/engine';
import { writeCsv, writeTable } from '../../../src/main/reconcile/output';

/** Issue 16 item 11: the CLI table stays aligned; the CSV fills both sides of a currency mismatch. */
describe('CLI output', () => {
  const { storefront, netsuite } = demoCanonical(generateDemo());
  const out = reconcile(storefront, netsuite);

  it('keeps the table columns aligned with long code labels, and ranks the worst within a currency', () => {
    let text = '';
    writeTable(out, (c) => {
      text += c;
    });
    const lines = text.split('\n');
    const head = lines.findIndex((l) => l.startsWith('Result '));
    const rows = [lines[head]!];
    for (let i = head + 1; lines[i]; i++) rows.push(lines[i]!);
    expect(rows.some((r) => r.includes('(record_type_mismatch)'))).toBe(true);
    // The Severity column starts at the same position on every line of the counts table.
    const severityAt = rows[0]!.indexOf('Severity');
    for (const r of rows.slice(1)) expect(r.slice(severityAt).match(/^(ok|info|warning|error)\b/), r).not.toBeNull();
    // Worst differences: within one severity, currencies in blocks (JPY never interleaved with USD by minor units).
    const worst = lines.filter((l) => /^ {2}(ERROR|WARNING) /.test(l));
    // The difference column is right-aligned: every line ends at the same column.
    expect(new Set(worst.map((l) => l.trimEnd().length)).size, worst.join('\n')).toBe(1);
    const errors = worst.filter((l) => l.startsWith('  ERROR')).map((l) => /(USD|EUR|GBP|JPY) -?[\d.]+$/.exec(l)?.[1]);
    const blocks: string[] = [];
    for (const c of errors) if (c && blocks.at(-1) !== c) blocks.push(c);
    expect(new Set(blocks).size).toBe(blocks.length);
  });

  it('fills both sides’ totals of a currency mismatch, each with its currency', () => {
    let text = '';
    writeCsv(out, (c) => {
      text += c;
    });
    const rows = parse(text, { columns: true }) as Array<Record<string, string>>;
    const mismatch = rows.find((r) => r.code === 'currency_mismatch')!;
    expect(mismatch).toMatchObject({
      storefront_total: '31.90',
      storefront_currency: 'EUR',
      netsuite_total: '34.45',
      netsuite_currency: 'USD',
      difference: '',
    });
    expect(rows.find((r) => r.code === 'matched')).toMatchObject({ storefront_currency: '', netsuite_currency: '' });
  });
});
