import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { queryResults } from '../../../src/main/reconcile/run-store';
import { SORTS } from '../../../src/main/reconcile/runs/results-filter';
import { migrate } from '../../../src/main/store/migrate';
import { MIGRATIONS } from '../../../src/main/store/migrations';
import { ResultsQuery } from '../../../src/shared/contract/run';

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
    `INSERT INTO results (run_id, result_key, code, severity, order_ref, order_key, currency, date, storefront_total, netsuite_total, difference, search_text)
     VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
      i % 11 === 0 ? null : `2025-01-${String((i % 28) + 1).padStart(2, '0')}`,
      i % 13 === 0 ? null : 500 + i,
      500 + i - diff,
      diff,
      `#${1000 + i} r${i}`,
    );
  }
}

describe('migration 020 (indexes no query reads)', () => {
  it('drops them on a workspace holding a run: every sort, filter and search gives the same page, each sort still reads an index', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version < 20),
    );
    seed(db, 600);
    const queries = [
      ...Object.keys(SORTS).flatMap((sort) => [
        { sort, direction: 'asc' },
        { sort, direction: 'desc', offset: 41 },
      ]),
      { sort: 'severity', direction: 'desc', codes: ['amount_mismatch', 'rounding'], search: '#11' },
      { sort: 'date', direction: 'asc', severities: ['error'], currencies: ['EUR'] },
      { sort: 'netsuiteTotal', direction: 'desc', minDifference: '0.05', dateFrom: '2025-01-05' },
    ];
    const before = queries.map((q) => queryResults(db, ResultsQuery.parse({ runId: 1, limit: 50, ...q })));
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    const names = (
      db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'results'").all() as Array<{
        name: string;
      }>
    ).map((r) => r.name);
    for (const gone of ['results_by_key', 'results_by_run_key', 'results_ui_difference'])
      expect(names).not.toContain(gone);
    const after = queries.map((q) => queryResults(db, ResultsQuery.parse({ runId: 1, limit: 50, ...q })));
    expect(after).toEqual(before);
    for (const { sql } of Object.values(SORTS)) {
      const plan = db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT r.id FROM results r WHERE r.run_id = 1 ORDER BY ${sql} DESC, r.id DESC LIMIT 10`,
        )
        .all() as Array<{ detail: string }>;
      expect(plan.map((p) => p.detail).join('\n')).not.toContain('TEMP B-TREE');
    }
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});
