import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/main/context';
import {
  getRun,
  queryResults,
  queryTotals,
  resultDetail,
  resultTendersByIds,
} from '../../../src/main/reconcile/run-store';
import { reportHandlers } from '../../../src/main/services/report-service';
import { type Db, openWorkspace } from '../../../src/main/store/open';
import { ReportExportInput } from '../../../src/shared/contract/report';
import { type ResultsQuery, ResultsQuery as ResultsQuerySchema } from '../../../src/shared/contract/run';
import { runCli } from '../../support/run-cli-in-process';
import { tenderCaseArgs } from '../../support/tender-cases';

/**
 * The review's tender filter and the tender columns of the app's reports (tenders.md §6), on a run
 * stored from the §7 case files (plus the exchange of case 21) with disputes, as of 2026-03-20.
 */

let dir: string;
let db: Db;
let runId: number;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-tender-review-'));
  const ws = path.join(dir, 'w.sqlite');
  const run = await runCli([
    ...tenderCaseArgs(dir),
    '--workspace',
    ws,
    '--format',
    'json',
    '--out',
    path.join(dir, 'out.json'),
  ]);
  expect(run.stderr).not.toMatch(/Error|at /);
  db = openWorkspace(ws);
  runId = (db.prepare('SELECT MAX(id) AS id FROM comparison_runs').get() as { id: number }).id;
}, 120_000);
afterAll(() => {
  db?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function orders(filters: Partial<ResultsQuery>): string[] {
  const page = queryResults(db, ResultsQuerySchema.parse({ runId, limit: 1000, ...filters }));
  expect(queryTotals(db, ResultsQuerySchema.parse({ runId, ...filters })).total).toBe(page.total);
  return [...new Set(page.rows.map((r) => r.orderRef))].sort();
}

describe('tender filter of the review', () => {
  it('one problem: the result’s code (or one of its issues)', () => {
    expect(orders({ tenderProblem: 'tender_mismatch' })).toEqual(['#1006', '#1007', '#1011', '#1013']);
    expect(orders({ tenderProblem: 'credit_not_paid_out' })).toEqual(['#1004']);
    expect(orders({ tenderProblem: 'exchange' })).toEqual(['#1020']);
    expect(orders({ tenderProblem: 'chargeback' })).toEqual(['#1026', '#1027']);
  });

  it('any tender difference: the four codes and the amount mismatches the tender split explains', () => {
    expect(orders({ tenderProblem: 'any' })).toEqual([
      '#1004',
      '#1006',
      '#1007',
      '#1009',
      '#1011',
      '#1013',
      '#1015',
      '#1020',
      '#1026',
      '#1027',
    ]);
    // Combined with the other filters (AND): only the warnings among them.
    expect(orders({ tenderProblem: 'any', severities: ['warning'] })).toEqual(['#1004', '#1026']);
  });

  it('by class: either side paid some of it back that way, plain matches included', () => {
    const stored = orders({ tenderClasses: ['stored_value'] });
    // Plain matches store no split (#1008 tender item, #1012 gift card method): their records answer.
    for (const o of ['#1005', '#1008', '#1010', '#1012', '#1032', '1016', '#1018']) expect(stored).toContain(o);
    for (const o of ['#1001', '#1002', '#1020', '#1026', '#1033']) expect(stored).not.toContain(o);
    expect(orders({ tenderClasses: ['exchange'] })).toEqual(['#1020']);
    const money = orders({ tenderClasses: ['money'] });
    for (const o of ['#1001', '#1002', '#1020', '#1027']) expect(money).toContain(o);
    expect(money).not.toContain('#1005');
    expect(orders({ tenderClasses: ['exchange', 'stored_value'] })).toEqual([...stored, '#1020'].sort());
    // Problem and class together.
    expect(orders({ tenderProblem: 'tender_mismatch', tenderClasses: ['stored_value'] })).toEqual([
      '#1006',
      '#1007',
      '#1011',
      '#1013',
    ]);
  });

  it('rejects values outside the contract', () => {
    expect(ResultsQuerySchema.safeParse({ runId, tenderProblem: 'refund' }).success).toBe(false);
    expect(ResultsQuerySchema.safeParse({ runId, tenderClasses: ['cash'] }).success).toBe(false);
  });
});

function ctx(): AppContext {
  return {
    db,
    workspacePath: path.join(dir, 'w.sqlite'),
    isDemo: false,
    appVersion: 't',
    emit: () => {},
  } as unknown as AppContext;
}

async function exportAs(format: 'csv' | 'xlsx' | 'html', filters: Record<string, unknown>): Promise<string> {
  const input = ReportExportInput.parse({ runId, filters, format, folder: dir, fileName: `tenders-${format}` });
  return (await reportHandlers['report:export'](input, ctx(), new AbortController().signal)).path;
}

describe('tender columns of the app’s reports', () => {
  const HEADERS = [
    'Storefront tenders',
    'NetSuite tenders',
    'Tender split (storefront / NetSuite)',
    'Exchange',
    'Chargeback',
  ];

  it('every result’s tenders, read in bulk for the export, are the ones its detail shows', () => {
    const ids = (db.prepare('SELECT id FROM results WHERE run_id = ?').all(runId) as Array<{ id: number }>).map(
      (r) => r.id,
    );
    const bulk = resultTendersByIds(db, ids);
    expect(bulk.size).toBe(ids.length);
    for (const id of ids) expect(bulk.get(id), `result ${id}`).toEqual(resultDetail(db, id).tenders);
  });

  it('CSV: each side per kind, the split per class, the exchange and the chargeback', async () => {
    const file = await exportAs('csv', { sort: 'orderRef', direction: 'asc' });
    const records = parse(fs.readFileSync(file), { bom: true, columns: true }) as Record<string, string>[];
    expect(Object.keys(records[0]!).slice(-5)).toEqual(HEADERS);
    const row = (order: string) => records.find((r) => r.Order === order)!;
    expect(row('#1011')).toMatchObject({
      Code: 'tender_mismatch',
      'Storefront tenders': 'card 20.00; store_credit 30.00',
      'NetSuite tenders': 'card 50.00',
      'Tender split (storefront / NetSuite)': 'money 20.00 / 50.00; store credit & gift cards 30.00 / 0.00',
      Exchange: '',
      Chargeback: '',
    });
    // A plain match (no split stored with it) is rebuilt from its records.
    expect(row('#1012')).toMatchObject({
      'Storefront tenders': 'gift_card 40.00',
      'NetSuite tenders': 'gift_card 40.00',
      'Tender split (storefront / NetSuite)': 'store credit & gift cards 40.00 / 40.00',
    });
    expect(row('#1001')['Tender split (storefront / NetSuite)']).toBe('money 50.00 / 50.00');
    expect(row('#1004')['NetSuite tenders']).toBe('store_credit 50.00');
    expect(row('#1020')).toMatchObject({
      Code: 'exchange',
      'Storefront tenders': 'exchange 40.00; card 10.00',
      'NetSuite tenders': 'card 10.00; exchange 40.00',
      'Tender split (storefront / NetSuite)': 'money 10.00 / 10.00; exchange 40.00 / 40.00',
    });
    expect(row('#1026')).toMatchObject({
      'Tender split (storefront / NetSuite)': 'money — / 80.00',
      Chargeback: 'chargeback 1026001, lost, 80.00',
    });
    expect(row('#1027').Chargeback).toMatch(/^chargeback \d+, under review, 80\.00$/);
  });

  it('XLSX: the same columns, read back with exceljs; the tender filter is named on the summary', async () => {
    const file = await exportAs('xlsx', {
      tenderProblem: 'any',
      tenderClasses: ['stored_value'],
      sort: 'orderRef',
      direction: 'asc',
    });
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const sheet = book.getWorksheet('Results')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
    expect(header.slice(-5)).toEqual(HEADERS);
    const col = (name: string) => header.indexOf(name) + 1;
    const rows = new Map<string, ExcelJS.Row>();
    sheet.eachRow((r, n) => {
      if (n > 1) rows.set(String(r.getCell(col('Order')).value), r);
    });
    // The filter: tender problems with a stored-value part.
    expect([...rows.keys()].sort()).toEqual(['#1004', '#1006', '#1007', '#1009', '#1011', '#1013', '#1015']);
    const r1009 = rows.get('#1009')!;
    expect(r1009.getCell(col('Storefront tenders')).value).toBe('card 20.00; store_credit 30.00');
    expect(r1009.getCell(col('NetSuite tenders')).value).toBe('card 20.00');
    expect(r1009.getCell(col('Tender split (storefront / NetSuite)')).value).toBe(
      'money 20.00 / 20.00; store credit & gift cards 30.00 / 0.00',
    );
    expect(r1009.getCell(col('Chargeback')).value ?? '').toBe('');
    const summary = book.getWorksheet('Summary')!;
    let filters = '';
    summary.eachRow((r) => {
      if (r.getCell(1).value === 'Filters') filters = String(r.getCell(2).value);
    });
    expect(filters).toBe('Tender problem: any tender difference; Paid back as: store credit & gift cards');
    // The run's per-class totals are of the whole run: a filtered export leaves them out.
    let byClassSection = false;
    summary.eachRow((r) => {
      if (r.getCell(1).value === 'Totals per currency and how the money went back') byClassSection = true;
    });
    expect(byClassSection).toBe(false);
  });

  it('printable HTML: how each side paid back and the tender problem of each open item, in words', async () => {
    const html = fs.readFileSync(await exportAs('html', {}), 'utf8');
    const section = html.slice(html.indexOf('<h2>Open items</h2>'), html.indexOf('<h2>Sign-off</h2>'));
    const text = (cell: string) =>
      cell
        .replace(/<[^>]+>/g, '')
        .replace(/&amp;/g, '&')
        .replace(/&#39;/g, "'");
    const headers = [...section.matchAll(/<th[^>]*>(.*?)<\/th>/g)].map((m) => text(m[1]!));
    // Each open item: its cells by header, and the labelled fields of the tender line under it.
    const rows = new Map<string, Record<string, string>>();
    for (const [, item] of section.matchAll(/<tbody class="item[^"]*">(.*?)<\/tbody>/gs)) {
      const cells = [.../<tr>(.*?)<\/tr>/s.exec(item!)![1]!.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => text(m[1]!));
      const row: Record<string, string> = Object.fromEntries(headers.map((h, i) => [h, cells[i] ?? '']));
      for (const [, dt, dd] of item!.matchAll(/<dt>(.*?)<\/dt><dd>(.*?)<\/dd>/g)) row[text(dt!)] = text(dd!);
      rows.set(row.Order!, row);
    }
    expect(rows.get('#1011')).toMatchObject({
      'Storefront paid back as': 'Card or payment gateway USD 20.00; store credit USD 30.00',
      'NetSuite paid back as': 'Card or payment gateway USD 50.00 paid out',
      'Tender problem':
        'Paid back differently: money: storefront USD 20.00, NetSuite USD 50.00; store credit and gift cards: storefront USD 30.00, NetSuite USD 0.00',
    });
    expect(rows.get('#1004')!['Tender problem']).toBe('Credit not paid out: USD 50.00 still open in NetSuite');
    expect(rows.get('#1026')!['Tender problem']).toBe('Chargeback 1026001: lost, USD 80.00');
    expect(rows.get('#1027')!['Tender problem']).toMatch(/^Chargeback \d+: under review, USD 80\.00$/);
    // The run's money per tender class, as the XLSX summary has it.
    expect(html).toContain('<h2>How the money went back</h2>');
  });

  it('XLSX of the whole run: the summary has the run’s totals per tender class', async () => {
    const file = await exportAs('xlsx', {});
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const summary = book.getWorksheet('Summary')!;
    const rows: unknown[][] = [];
    let inSection = false;
    summary.eachRow((r) => {
      const first = r.getCell(1).value;
      if (first === 'Totals per currency and how the money went back') inSection = true;
      else if (first === 'Sign-off') inSection = false;
      else if (inSection && first !== 'Currency') rows.push([1, 2, 3, 4].map((i) => r.getCell(i).value));
    });
    const words: Record<string, string> = {
      money: 'money',
      stored_value: 'store credit & gift cards',
      exchange: 'exchange',
      other: 'not stated',
    };
    const expected: unknown[][] = [];
    const totals = getRun(db, runId).summary!.totals;
    for (const currency of Object.keys(totals).sort()) {
      const byClass = totals[currency]!.byClass ?? {};
      for (const c of ['money', 'stored_value', 'exchange', 'other']) {
        const t = byClass[c];
        if (t) expected.push([currency, words[c], Number(t.storefront), Number(t.netsuite)]);
      }
    }
    expect(expected.length).toBeGreaterThan(2);
    expect(rows).toEqual(expected);
  });
});
