import path from 'node:path';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanText } from '../../../src/main/reports/cells';
import { exportReport } from '../../../src/main/reports/export-run';
import type { ReportRow } from '../../../src/main/reports/report-model';
import { writeXlsxReport, xlsxText } from '../../../src/main/reports/xlsx';
import { CURRENCY_CODES, formatAmount } from '../../../src/shared/money';
import { HOSTILE_TEXT, makeInput, makeRow, memorySink, readZipEntries, sampleRows, tempDir } from './helpers';

const tmp = tempDir('reports-xlsx-');
afterAll(tmp.cleanup);

const TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r', '\n', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20']);
function dangerous(cell: string): boolean {
  if (cell.startsWith("'")) return false;
  const first = cell[0];
  const afterBlanks = cell.replace(/^[\s\u200b-\u200d\u2060\ufeff\u00ad]+/, '')[0];
  return (first !== undefined && TRIGGERS.has(first)) || (afterBlanks !== undefined && TRIGGERS.has(afterBlanks));
}

function readerDecode(text: string): string {
  return text.replace(
    /&(lt|gt|amp|quot|apos);/g,
    (_m, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[e]!,
  );
}

async function readWorkbook(source: string | Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  if (typeof source === 'string') await workbook.xlsx.readFile(source);
  else await workbook.xlsx.load(source as unknown as ArrayBuffer);
  return workbook;
}

async function xlsxOf(rows: ReportRow[]): Promise<ExcelJS.Workbook> {
  const sink = memorySink();
  await writeXlsxReport(makeInput(rows), sink.stream);
  return readWorkbook(sink.buffer());
}

/** Every cell of a worksheet, with its address. */
function cells(sheet: ExcelJS.Worksheet): ExcelJS.Cell[] {
  const out: ExcelJS.Cell[] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    row.eachCell({ includeEmpty: false }, (cell) => {
      out.push(cell);
    });
  });
  return out;
}

describe('XLSX export', () => {
  let workbook: ExcelJS.Workbook;
  let results: ExcelJS.Worksheet;
  let summary: ExcelJS.Worksheet;

  beforeAll(async () => {
    const file = path.join(tmp.dir, 'run.xlsx');
    const result = await exportReport(makeInput(sampleRows()), 'xlsx', file);
    expect(result.rows).toBe(6);
    workbook = await readWorkbook(file);
    results = workbook.getWorksheet('Results')!;
    summary = workbook.getWorksheet('Summary')!;
  });

  it('has a Summary and a Results sheet', () => {
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Summary', 'Results']);
  });

  it('writes a header, frozen, with an autofilter over every row and column widths', () => {
    expect(results.getRow(1).values).toEqual([
      undefined,
      'Code',
      'Severity',
      'Order',
      'Currency',
      'Date',
      'Storefront refund',
      'Storefront total',
      'NetSuite documents',
      'NetSuite total',
      'Difference',
      'Hint',
      'Status',
      'Reason',
      'Storefront tenders',
      'NetSuite tenders',
      'Tender split (storefront / NetSuite)',
      'Exchange',
      'Chargeback',
    ]);
    expect(results.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(results.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(results.autoFilter).toBe('A1:R7');
    expect(results.getColumn(11).width).toBe(60);
    expect(results.getColumn(1).width).toBe(22);
    expect(results.rowCount).toBe(7);
  });

  it('writes amounts as typed numbers with a number format per currency', () => {
    const usd = results.getRow(2);
    for (const [col, value] of [
      [7, 12.34],
      [9, 12.35],
      [10, -0.01],
    ] as const) {
      const cell = usd.getCell(col);
      expect(cell.type).toBe(ExcelJS.ValueType.Number);
      expect(cell.value).toBe(value);
      expect(cell.numFmt).toBe('"USD "#,##0.00;[Red]-"USD "#,##0.00');
    }
    const jpy = results.getRow(4);
    expect(jpy.getCell(7).value).toBe(1200);
    expect(jpy.getCell(7).numFmt).toBe('"JPY "#,##0;[Red]-"JPY "#,##0');
    expect(jpy.getCell(9).value).toBeNull(); // no NetSuite record
    const bhd = results.getRow(5);
    expect(bhd.getCell(9).value).toBe(1.005);
    expect(bhd.getCell(10).value).toBe(-1.005);
    expect(bhd.getCell(10).numFmt).toBe('"BHD "#,##0.000;[Red]-"BHD "#,##0.000');
    expect(results.getRow(7).getCell(7).value).toBe(1234567.89);
  });

  it('writes dates as dates and leaves missing values empty', () => {
    const date = results.getRow(2).getCell(5);
    expect(date.type).toBe(ExcelJS.ValueType.Date);
    expect((date.value as Date).toISOString()).toBe('2026-01-02T00:00:00.000Z');
    expect(date.numFmt).toBe('yyyy-mm-dd');
    expect(results.getRow(6).getCell(5).value).toBeNull();
    expect(results.getRow(5).getCell(6).value).toBeNull();
  });

  it('neutralises free text and never writes a formula cell', () => {
    const row = results.getRow(7);
    expect(row.getCell(3).value).toBe("'-1006");
    expect(row.getCell(11).value).toBe(`'=HYPERLINK("http://evil.example","x")`);
    expect(row.getCell(13).value).toBe("'@evil");
    for (const sheet of [results, summary]) {
      for (const cell of cells(sheet)) {
        expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
        if (typeof cell.value === 'string') expect(dangerous(cell.value), cell.address).toBe(false);
      }
    }
  });

  it('summarises counts by code, totals per currency, rules, filters and sign-off', () => {
    const text = new Map<string, ExcelJS.Row>();
    summary.eachRow((row) => {
      const first = row.getCell(1).value;
      if (typeof first === 'string') text.set(first, row);
    });
    expect(summary.getRow(1).getCell(1).value).toBe('Refund reconciliation — January 2026');
    expect(text.get('Run')!.getCell(2).value).toBe('42');
    expect(text.get('Workspace')!.getCell(2).value).toBe('Acme books');
    expect(text.get('Tolerance')!.getCell(2).value).toBe('0.01');
    expect(text.get('Date window (days)')!.getCell(2).value).toBe(7);
    expect(text.get('Filters')!.getCell(2).value).toBe('None');
    expect(text.get('amount_mismatch')!.getCell(4).value).toBe(1);
    expect(text.get('amount_mismatch')!.getCell(2).value).toBe('Amount mismatch');
    expect(text.get('duplicate')!.getCell(4).value).toBe(0);
    expect(text.get('Total')!.getCell(4).value).toBe(6);
    const bhd = text.get('BHD')!;
    expect(bhd.getCell(3).value).toBe(1.005);
    expect(bhd.getCell(4).value).toBe(-1.005);
    expect(bhd.getCell(4).numFmt).toBe('"BHD "#,##0.000;[Red]-"BHD "#,##0.000');
    expect(text.get('USD')!.getCell(2).value).toBe(1234630.23);
    expect(text.get('JPY')!.getCell(2).numFmt).toBe('"JPY "#,##0;[Red]-"JPY "#,##0');
    expect(text.get('Preparer')!.getCell(2).value).toBe('Ann Preparer');
    expect(text.get('Preparer')!.getCell(3).type).toBe(ExcelJS.ValueType.Date);
    expect(text.get('Reviewer')!.getCell(2).value).toBe('(not signed)');
  });

  it('neutralises hostile strings in every text cell, including the summary', async () => {
    const hostile = HOSTILE_TEXT.join(' | ');
    const sink = memorySink();
    const rows = HOSTILE_TEXT.map((t) =>
      makeRow({ orderRef: t, hint: t, netsuiteDocuments: t, annotationReason: t, storefrontRefundId: t }),
    );
    await writeXlsxReport(
      makeInput(rows, {
        title: '=HYPERLINK("http://evil.example")',
        filtersDescription: '@filters',
        workspaceName: '-ws',
        signOff: {
          preparer: { name: '=cmd|x', at: 'not a date' },
          reviewer: { name: hostile, at: '2026-02-02T00:00:00Z' },
        },
        run: { ...makeInput([]).run, storefrontLabel: '+sf', netsuiteLabel: '\tns' },
      }),
      sink.stream,
    );
    const wb = await readWorkbook(sink.buffer());
    for (const sheet of wb.worksheets) {
      for (const cell of cells(sheet)) {
        expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
        if (typeof cell.value === 'string') expect(dangerous(cell.value), `${sheet.name}!${cell.address}`).toBe(false);
      }
    }
    const res = wb.getWorksheet('Results')!;
    HOSTILE_TEXT.forEach((t, i) => {
      // exceljs's reader decodes entities twice ("&amp;amp;" → "&"); the file itself is right (checked below).
      expect(readerDecode(String(res.getRow(i + 2).getCell(11).value))).toBe(readerDecode(xlsxText(t)));
    });
    // The XML as Excel reads it: no formula element anywhere, the ampersand sample escaped once.
    const entries = readZipEntries(sink.buffer());
    for (const [name, xml] of entries) {
      if (name.includes('worksheets/sheet')) expect(xml.toString('utf8')).not.toMatch(/<f[\s>]/);
    }
    expect(entries.get('xl/worksheets/sheet2.xml')!.toString('utf8')).toContain('&amp;amp; &amp;lt; already-escaped');
    expect(wb.getWorksheet('Summary')!.getRow(1).getCell(1).value).toBe(`'=HYPERLINK("http://evil.example")`);
  });

  it('property: arbitrary text stays text, never a formula; amounts read back exactly', async () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.string({
        unit: fc.constantFrom(
          '=',
          '+',
          '-',
          '@',
          '\t',
          '\r',
          '\n',
          ' ',
          '"',
          '<',
          '&',
          'a',
          '\u00a0',
          '\u0000',
          '\uD800',
        ),
        maxLength: 10,
      }),
    );
    const amount = fc.integer({ min: -999_999_999_999_999, max: 999_999_999_999_999 });
    const spec = fc.record({
      orderRef: text,
      hint: text,
      currency: fc.constantFrom(...CURRENCY_CODES),
      difference: amount,
      storefrontTotal: amount,
    });
    await fc.assert(
      fc.asyncProperty(fc.array(spec, { minLength: 1, maxLength: 4 }), async (specs) => {
        const wb = await xlsxOf(specs.map((s) => makeRow({ ...s, netsuiteTotal: null })));
        const sheet = wb.getWorksheet('Results')!;
        specs.forEach((s, i) => {
          const row = sheet.getRow(i + 2);
          const order = row.getCell(3).value ?? '';
          const hint = row.getCell(11).value ?? '';
          expect(order).toBe(xlsxText(s.orderRef));
          expect(hint).toBe(xlsxText(s.hint));
          expect(dangerous(String(order))).toBe(false);
          expect(dangerous(String(hint))).toBe(false);
          const diff = row.getCell(10);
          expect(diff.type).toBe(ExcelJS.ValueType.Number);
          expect(diff.value).toBe(Number(formatAmount(s.difference, s.currency)));
          expect(row.getCell(7).value).toBe(Number(formatAmount(s.storefrontTotal, s.currency)));
        });
      }),
      { numRuns: 25 },
    );
  });

  it('cleans characters XML cannot carry and cuts text at the cell limit', () => {
    expect(xlsxText('a\u0000b')).toBe('a\uFFFDb');
    expect(xlsxText('a\r\nb\rc')).toBe('a\nb\nc');
    expect(xlsxText('x'.repeat(40_000)).length).toBeLessThanOrEqual(32_767);
    expect(xlsxText(cleanText('\uD800'))).toBe('\uFFFD');
  });
});
