import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/main/context';
import { queryResults } from '../../../src/main/reconcile/run-store';
import { describeFilters, EXPORT_PAGE_SIZE, reportHandlers } from '../../../src/main/services/report-service';
import { openWorkspace } from '../../../src/main/store/open';
import { ReportExportInput } from '../../../src/shared/contract/report';
import { ResultsQuery } from '../../../src/shared/contract/run';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function workspace(n: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-ui-export-'));
  dirs.push(dir);
  const db = openWorkspace(path.join(dir, 'w.sqlite'));
  const now = new Date().toISOString();
  const snap = db.prepare(
    "INSERT INTO snapshots (side, label, source, format, importer_version, created_at) VALUES (?, ?, 'file', 'canonical-csv', 't', ?)",
  );
  const sf = snap.run('storefront', 'Shop export', now).lastInsertRowid;
  const ns = snap.run('netsuite', 'Saved search', now).lastInsertRowid;
  db.prepare(
    `INSERT INTO comparison_runs (storefront_snapshot_id, netsuite_snapshot_id, rules, status, started_at)
     VALUES (?, ?, '{"dateWindowDays":7}', 'complete', ?)`,
  ).run(sf, ns, now);
  const insert = db.prepare(
    `INSERT INTO results (run_id, result_key, code, severity, order_ref, order_key, currency, date, storefront_total, netsuite_total, difference, hint)
     VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (let i = 0; i < n; i++) {
    const mismatch = i % 3 === 0;
    insert.run(
      `sf:${i}`,
      mismatch ? 'amount_mismatch' : 'matched',
      mismatch ? 'error' : 'ok',
      `#${10000 + i}`,
      String(10000 + i),
      i % 2 ? 'EUR' : 'JPY',
      `2025-02-${String((i % 28) + 1).padStart(2, '0')}`,
      1000 + i,
      mismatch ? 990 + i : 1000 + i,
      mismatch ? 10 : 0,
      i === 3 ? '=HYPERLINK("http://x")' : '',
    );
  }
  const events: unknown[] = [];
  const ctx = {
    db,
    workspacePath: path.join(dir, 'w.sqlite'),
    isDemo: false,
    appVersion: 't',
    emit: (_e: string, p: unknown) => events.push(p),
  };
  return { dir, db, ctx: ctx as unknown as AppContext, events };
}

describe('report:export', () => {
  it('writes every filtered row across page boundaries, in the review order, with progress', async () => {
    const n = EXPORT_PAGE_SIZE * 2 + 345;
    const { dir, db, ctx, events } = workspace(n);
    const input = ReportExportInput.parse({
      runId: 1,
      filters: { codes: ['amount_mismatch'], sort: 'date', direction: 'asc' },
      format: 'csv',
      folder: dir,
      fileName: 'mismatches',
    });
    const out = await reportHandlers['report:export'](input, ctx, new AbortController().signal);
    const expected = queryResults(
      db,
      ResultsQuery.parse({ runId: 1, codes: ['amount_mismatch'], sort: 'date', direction: 'asc', limit: 1000 }),
    );
    expect(out.path).toBe(path.join(fs.realpathSync(dir), 'mismatches.csv'));
    expect(out.rows).toBe(expected.total);
    const records = parse(fs.readFileSync(out.path), { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(records).toHaveLength(expected.total);
    const refs = records.map((r) => Object.values(r).find((v) => v.startsWith('#')));
    expect(refs.slice(0, 1000)).toEqual(expected.rows.map((r) => r.orderRef));
    // The formula in a hint is neutralised, not executed.
    expect(fs.readFileSync(out.path, 'utf8')).not.toMatch(/,=HYPERLINK/);
    expect(events.length).toBeGreaterThanOrEqual(2);
    db.close();
  });

  it('refuses a relative folder and leaves nothing behind', async () => {
    const { dir, db, ctx } = workspace(3);
    const input = ReportExportInput.parse({ runId: 1, format: 'xlsx', folder: 'relative/dir', fileName: 'x' });
    await expect(reportHandlers['report:export'](input, ctx, new AbortController().signal)).rejects.toThrow(
      /not an absolute path/,
    );
    expect(fs.readdirSync(dir).filter((f) => !f.startsWith('w.sqlite'))).toEqual([]);
    db.close();
  });

  it('describes the filters in words', () => {
    expect(describeFilters({ sort: 'severity', direction: 'desc' })).toBe('None');
    expect(
      describeFilters({
        codes: ['duplicate'],
        currencies: ['EUR'],
        dateFrom: '2025-01-01',
        search: ' #1 ',
        sort: 'date',
        direction: 'asc',
      }),
    ).toBe('Codes: duplicate; Currency: EUR; Dates: 2025-01-01 to …; Search: "#1"');
  });
});
