import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { queryResults } from '../../../src/main/reconcile/run-store';
import { migrate } from '../../../src/main/store/migrate';
import { MIGRATIONS } from '../../../src/main/store/migrations';
import { ResultsQuery } from '../../../src/shared/contract/run';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function seed(db: Database.Database, n: number): void {
  const now = new Date().toISOString();
  const snap = db.prepare(
    "INSERT INTO snapshots (side, label, source, format, importer_version, created_at) VALUES (?, ?, 'file', 'canonical-csv', 't', ?)",
  );
  const sf = snap.run('storefront', 'sf', now).lastInsertRowid;
  const ns = snap.run('netsuite', 'ns', now).lastInsertRowid;
  db.prepare(
    "INSERT INTO comparison_runs (storefront_snapshot_id, netsuite_snapshot_id, rules, status, started_at) VALUES (?, ?, '{}', 'complete', ?)",
  ).run(sf, ns, now);
  const insert = db.prepare(
    `INSERT INTO results (run_id, result_key, code, severity, order_ref, order_key, currency, date, storefront_total, netsuite_total, difference)
     VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const codes = [
    ['matched', 'ok'],
    ['rounding', 'info'],
    ['general_refund', 'warning'],
    ['amount_mismatch', 'error'],
  ] as const;
  for (let i = 0; i < n; i++) {
    const [code, severity] = codes[i % 4]!;
    const diff = (i % 4) * 7 - 10;
    insert.run(
      `sf:${i}`,
      code,
      severity,
      `#${1000 + i}`,
      String(1000 + i),
      i % 3 === 0 ? 'EUR' : 'USD',
      `2025-01-${String((i % 28) + 1).padStart(2, '0')}`,
      500 + i,
      500 + i - diff,
      diff,
    );
  }
}

describe('migration 004 (review screen indexes)', () => {
  it('upgrades a version-3 workspace with results in place: same answers, indexes used', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-ui-mig-'));
    dirs.push(dir);
    const file = path.join(dir, 'w.sqlite');
    const db = new Database(file);
    db.pragma('foreign_keys = ON');
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version <= 3),
    );
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    seed(db, 400);
    const queries = [
      { sort: 'severity', direction: 'desc' },
      { sort: 'date', direction: 'asc', offset: 37 },
      { sort: 'orderRef', direction: 'desc' },
      { sort: 'difference', direction: 'asc', currencies: ['EUR'] },
      { sort: 'absDifference', direction: 'desc', codes: ['amount_mismatch', 'rounding'] },
      { sort: 'storefrontTotal', direction: 'asc', dateFrom: '2025-01-05', dateTo: '2025-01-09' },
      { sort: 'netsuiteTotal', direction: 'desc', minDifference: '0.05' },
    ];
    const before = queries.map((q) => queryResults(db, ResultsQuery.parse({ runId: 1, limit: 50, ...q })));
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version <= 4),
    );
    expect(db.pragma('user_version', { simple: true })).toBe(4);
    const names = (
      db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND name LIKE 'results_ui_%'").all() as Array<{
        name: string;
      }>
    ).map((r) => r.name);
    expect(names.sort()).toEqual([
      'results_ui_abs_difference',
      'results_ui_date',
      'results_ui_difference',
      'results_ui_netsuite_total',
      'results_ui_order',
      'results_ui_severity',
      'results_ui_storefront_total',
    ]);
    const after = queries.map((q) => queryResults(db, ResultsQuery.parse({ runId: 1, limit: 50, ...q })));
    expect(after).toEqual(before);
    expect(db.prepare('SELECT count(*) AS n FROM results').get()).toEqual({ n: 400 });
    // The severity sort (an expression) reads the expression index instead of sorting the run.
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT r.id FROM results r WHERE r.run_id = 1
         ORDER BY CASE r.severity WHEN 'error' THEN 3 WHEN 'warning' THEN 2 WHEN 'info' THEN 1 ELSE 0 END DESC LIMIT 10`,
      )
      .all() as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join('\n')).toContain('results_ui_severity');
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    // Later migrations apply on top.
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    db.close();
  });
});
