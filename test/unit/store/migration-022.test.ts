import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { queryResults, queryTotals } from '../../../src/main/reconcile/run-store';
import { SORTS } from '../../../src/main/reconcile/runs/results-filter';
import { dropReviewIndexesForLargeRun } from '../../../src/main/reconcile/runs/review-indexes';
import { migrate } from '../../../src/main/store/migrate';
import { MIGRATIONS } from '../../../src/main/store/migrations';
import { ResultsQuery } from '../../../src/shared/contract/run';

/** A run of `n` results written as the workspace's code of that version would (raw rows). */
function seedRun(db: Database.Database, n: number, tag: string): number {
  const now = new Date().toISOString();
  const snap = db.prepare(
    "INSERT INTO snapshots (side, label, source, format, importer_version, created_at) VALUES (?, ?, 'file', 'canonical-csv', 't', ?)",
  );
  const sf = snap.run('storefront', 'sf', now).lastInsertRowid;
  const ns = snap.run('netsuite', 'ns', now).lastInsertRowid;
  const runId = Number(
    db
      .prepare(
        "INSERT INTO comparison_runs (storefront_snapshot_id, netsuite_snapshot_id, rules, status, started_at) VALUES (?, ?, '{}', 'complete', ?)",
      )
      .run(sf, ns, now).lastInsertRowid,
  );
  const insert = db.prepare(
    `INSERT INTO results (run_id, result_key, code, severity, order_ref, order_key, currency, date, storefront_total, netsuite_total, difference, search_text)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
      runId,
      `sf:${tag}${i}`,
      code,
      severity,
      `#${1000 + i}`,
      String(1000 + i),
      i % 3 === 0 ? 'EUR' : 'USD',
      i % 11 === 0 ? null : `2025-01-${String((i % 28) + 1).padStart(2, '0')}`,
      i % 13 === 0 ? null : 500 + i,
      500 + i - diff,
      diff,
      `#${1000 + i} ${tag}${i} cm-${i}`,
    );
  }
  return runId;
}

const QUERIES = [
  ...Object.keys(SORTS).flatMap((sort) => [
    { sort, direction: 'asc' },
    { sort, direction: 'desc', offset: 41 },
  ]),
  { sort: 'severity', direction: 'desc', codes: ['amount_mismatch', 'rounding'], search: '#11' },
  { sort: 'date', direction: 'asc', severities: ['error'], currencies: ['EUR'] },
  { sort: 'netsuiteTotal', direction: 'desc', minDifference: '0.05', dateFrom: '2025-01-05' },
  { search: 'cm-1' },
  { search: 'x12', sort: 'orderRef', direction: 'asc' },
];
const pages = (db: Database.Database, runId: number) =>
  QUERIES.map((q) => queryResults(db, ResultsQuery.parse({ runId, limit: 50, ...q })));
const ftsRows = (db: Database.Database) =>
  (db.prepare('SELECT count(*) AS n FROM results_search_docsize').get() as { n: number }).n;
const ftsOk = (db: Database.Database) =>
  db.exec("INSERT INTO results_search(results_search) VALUES ('integrity-check')");

function openAt(version: number): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(
    db,
    MIGRATIONS.filter((m) => m.version <= version),
  );
  return db;
}

describe('migration 022 (search index on a run’s first search)', () => {
  it('keeps the runs of an existing workspace readable and searchable, without re-indexing them', () => {
    const db = openAt(20);
    seedRun(db, 400, 'a');
    seedRun(db, 300, 'b');
    const before = [pages(db, 1), pages(db, 2)];
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(22);
    expect(db.prepare('SELECT run_id, indexed_to FROM results_search_runs ORDER BY run_id').all()).toEqual([
      { run_id: 1, indexed_to: 400 },
      { run_id: 2, indexed_to: 700 },
    ]);
    expect(ftsRows(db)).toBe(700);
    expect([pages(db, 1), pages(db, 2)]).toEqual(before);
    expect(ftsRows(db)).toBe(700);
    ftsOk(db);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('indexes a new run on its first search only, and deletes keep the index sound whether or not a run was indexed', () => {
    const db = openAt(20);
    seedRun(db, 200, 'a');
    migrate(db);
    const run2 = seedRun(db, 150, 'b');
    const run3 = seedRun(db, 120, 'c');
    // Written after 022: not in the index yet (no insert trigger).
    expect(ftsRows(db)).toBe(200);
    const page = queryResults(db, ResultsQuery.parse({ runId: run2, search: 'b14', limit: 100 }));
    // Substring semantics as LIKE: b14, b140…b149.
    expect(page.total).toBe(11);
    expect(ftsRows(db)).toBe(350);
    expect(db.prepare('SELECT indexed_to FROM results_search_runs WHERE run_id = ?').get(run2)).toEqual({
      indexed_to: 350,
    });
    // Searching again does not add the run twice.
    expect(queryResults(db, ResultsQuery.parse({ runId: run2, search: 'b14' })).total).toBe(11);
    expect(ftsRows(db)).toBe(350);
    // A run never searched is deleted: nothing of it in the index to remove, the index stays sound.
    db.prepare('DELETE FROM comparison_runs WHERE id = ?').run(run3);
    ftsOk(db);
    // An indexed run is deleted: its entries go with it.
    db.prepare('DELETE FROM comparison_runs WHERE id = ?').run(run2);
    expect(ftsRows(db)).toBe(200);
    expect(db.prepare('SELECT count(*) AS n FROM results_search_runs').get()).toEqual({ n: 1 });
    ftsOk(db);
    // A new run may reuse the ids of the deleted ones: it is indexed afresh on its first search.
    const run4 = seedRun(db, 150, 'd');
    expect(queryResults(db, ResultsQuery.parse({ runId: run4, search: 'd14' })).total).toBe(11);
    expect(queryResults(db, ResultsQuery.parse({ runId: run4, search: 'b14' })).total).toBe(0);
    ftsOk(db);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('a large run stored without the review’s optional indexes: same pages and totals, each sort back on an index after first use', () => {
    const db = openAt(22);
    const runId = seedRun(db, 600, 'a');
    const before = pages(db, runId);
    const totalsBefore = queryTotals(db, ResultsQuery.parse({ runId, severities: ['error'], currencies: ['EUR'] }));
    const names = () =>
      (
        db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'results'").all() as Array<{
          name: string;
        }>
      ).map((r) => r.name);
    const all = names();
    // Small against the threshold: kept.
    expect(dropReviewIndexesForLargeRun(db, 5_000, 600)).toBe(false);
    // Large, and a sizeable share of what is stored: dropped.
    expect(dropReviewIndexesForLargeRun(db, 50_000, 600)).toBe(true);
    expect(names().sort()).toEqual(['results_by_run_code', 'results_ui_order', 'results_ui_severity']);
    expect(queryTotals(db, ResultsQuery.parse({ runId, severities: ['error'], currencies: ['EUR'] }))).toEqual(
      totalsBefore,
    );
    expect(pages(db, runId)).toEqual(before);
    expect(names().sort()).toEqual([...all].sort());
    for (const { sql } of Object.values(SORTS)) {
      const plan = db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT r.id FROM results r WHERE r.run_id = ? ORDER BY ${sql} DESC, r.id DESC LIMIT 10`,
        )
        .all(runId) as Array<{ detail: string }>;
      expect(`${sql}: ${plan.map((p) => p.detail).join('\n')}`).not.toContain('TEMP B-TREE');
    }
    // A large run in a workspace holding far more results keeps them (rebuilding would read them all).
    expect(dropReviewIndexesForLargeRun(db, 50_000, 1_000_000)).toBe(false);
    expect(names().sort()).toEqual([...all].sort());
  });

  it('a read-only workspace answers without building anything', () => {
    const db = openAt(22);
    const runId = seedRun(db, 300, 'a');
    dropReviewIndexesForLargeRun(db, 50_000, 0);
    const expected = pages(db, runId);
    const file = `${require('node:os').tmpdir()}/p15-022-${process.pid}.sqlite`;
    db.exec(`VACUUM INTO '${file}'`);
    const ro = new Database(file, { readonly: true });
    try {
      expect(pages(ro, runId)).toEqual(expected);
    } finally {
      ro.close();
      require('node:fs').rmSync(file, { force: true });
    }
  });
});
