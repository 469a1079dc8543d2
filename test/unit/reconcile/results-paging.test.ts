import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { queryResults, queryTotals } from '../../../src/main/reconcile/run-store';
import { migrate } from '../../../src/main/store/migrate';
import { MIGRATIONS } from '../../../src/main/store/migrations';
import { ResultsPageQuery, ResultsQuery, SORTABLE_COLUMNS } from '../../../src/shared/contract/run';

/**
 * Review-screen paging on migration 006: keyset pages (after / before a cursor, and offsets found
 * on the index) give exactly the run in sort order, ties broken by id; the FTS5 search finds what
 * the substring LIKE found; the stored unfiltered totals equal the computed ones; and a workspace
 * with results upgrades to 006 in place.
 */

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function open(upTo = Number.POSITIVE_INFINITY, keep: string[] = dirs): Database.Database {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-paging-'));
  keep.push(dir);
  const db = new Database(path.join(dir, 'w.sqlite'));
  db.pragma('foreign_keys = ON');
  migrate(
    db,
    MIGRATIONS.filter((m) => m.version <= upTo),
  );
  return db;
}

const CODES = [
  ['matched', 'ok'],
  ['matched', 'ok'],
  ['rounding', 'info'],
  ['general_refund', 'warning'],
  ['amount_mismatch', 'error'],
  ['missing_in_netsuite', 'error'],
] as const;

/** n results over few distinct values (big tie groups), with NULL dates and totals. */
function seed(db: Database.Database, n: number, runs = 1): void {
  const now = new Date().toISOString();
  const snap = db.prepare(
    "INSERT INTO snapshots (side, label, source, format, importer_version, created_at) VALUES (?, ?, 'file', 'canonical-csv', 't', ?)",
  );
  const sf = snap.run('storefront', 'sf', now).lastInsertRowid;
  const ns = snap.run('netsuite', 'ns', now).lastInsertRowid;
  for (let k = 1; k <= runs; k++) {
    const run = db
      .prepare(
        "INSERT INTO comparison_runs (storefront_snapshot_id, netsuite_snapshot_id, rules, status, started_at) VALUES (?, ?, '{}', 'complete', ?)",
      )
      .run(sf, ns, now).lastInsertRowid;
    const insert = db.prepare(
      `INSERT INTO results (run_id, result_key, code, severity, order_ref, order_key, currency, date, storefront_total, netsuite_total, difference, search_text)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (let i = 0; i < n; i++) {
      const [code, severity] = CODES[(i * 7) % CODES.length]!;
      const sfTotal = i % 11 === 0 ? null : 500 + (i % 5);
      const nsTotal = code === 'missing_in_netsuite' ? null : 500 + (i % 3);
      const diff = (sfTotal ?? 0) - (nsTotal ?? 0);
      const order = 1000 + ((i * 37) % (n / 2));
      insert.run(
        run,
        `sf:${run}:${i}`,
        code,
        severity,
        `#${order}`,
        String(order),
        ['EUR', 'USD', 'JPY'][i % 3],
        i % 13 === 0 ? null : `2025-01-${String((i % 4) + 1).padStart(2, '0')}`,
        sfTotal,
        nsTotal,
        diff,
        `#${order} r${run}x${i} cm-${(i * 7919) % 100000}`.toLowerCase(),
      );
    }
  }
}

const EXPR: Record<string, string> = {
  date: 'date',
  orderRef: 'order_key',
  code: 'code',
  severity: `CASE severity WHEN 'error' THEN 3 WHEN 'warning' THEN 2 WHEN 'info' THEN 1 ELSE 0 END`,
  currency: 'currency',
  // Within a currency (issue 16): currency first, then the amount.
  difference: 'currency, difference',
  absDifference: 'currency, abs(difference)',
  storefrontTotal: 'storefront_total',
  netsuiteTotal: 'netsuite_total',
};

function expected(db: Database.Database, runId: number, sort: string, dir: 'asc' | 'desc', where = '1'): number[] {
  return (
    db
      .prepare(
        `SELECT id FROM results WHERE run_id = ? AND ${where} ORDER BY ${EXPR[sort]!.split(', ')
          .map((x) => `${x} ${dir}`)
          .join(', ')}, id ${dir}`,
      )
      .all(runId) as Array<{ id: number }>
  ).map((r) => r.id);
}

const q = (x: object) => ResultsPageQuery.parse(x) as ResultsQuery & ReturnType<typeof ResultsPageQuery.parse>;

describe('keyset paging (migration 006)', () => {
  const own: string[] = [];
  const db = open(Number.POSITIVE_INFINITY, own);
  seed(db, 600, 2);
  afterAll(() => {
    db.close();
    for (const dir of own) fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const sort of SORTABLE_COLUMNS) {
    for (const direction of ['asc', 'desc'] as const) {
      it(`${sort} ${direction}: after-cursor pages, before-cursor pages and offsets are the sorted run`, () => {
        const want = expected(db, 2, sort, direction);
        const base = { runId: 2, sort, direction, limit: 37, totals: false, count: false };
        // Forwards with `after`.
        const forward: number[] = [];
        let page = queryResults(db, q(base));
        while (page.rows.length > 0) {
          forward.push(...page.rows.map((r) => r.id));
          if (page.rows.length < 37) break;
          page = queryResults(db, q({ ...base, after: page.last }));
        }
        expect(forward).toEqual(want);
        // Backwards with `before`, from the last page.
        const backward: number[] = [];
        page = queryResults(db, q({ ...base, offset: want.length - 37 }));
        expect(page.rows.map((r) => r.id)).toEqual(want.slice(-37));
        while (page.rows.length > 0) {
          backward.unshift(...page.rows.map((r) => r.id));
          page = queryResults(db, q({ ...base, before: page.first }));
        }
        expect(backward).toEqual(want);
        // Offsets (a scrollbar jump) land on the same rows.
        for (const offset of [1, 36, 37, 250, 599, 600, 5000]) {
          const at = queryResults(db, q({ ...base, offset }));
          expect(
            at.rows.map((r) => r.id),
            `offset ${offset}`,
          ).toEqual(want.slice(offset, offset + 37));
        }
      });
    }
  }

  it('with filters: pages follow the filter; count and totals can be skipped', () => {
    const base = { runId: 1, sort: 'date', direction: 'desc', codes: ['matched', 'rounding'], limit: 50 } as const;
    const want = expected(db, 1, 'date', 'desc', "code IN ('matched','rounding')");
    const got: number[] = [];
    let page = queryResults(db, q({ ...base, totals: false, count: false }));
    expect(page.total).toBe(-1);
    expect(page.totals).toEqual({});
    while (page.rows.length > 0) {
      got.push(...page.rows.map((r) => r.id));
      page = queryResults(db, q({ ...base, totals: false, count: false, after: page.last }));
    }
    expect(got).toEqual(want);
    const full = queryResults(db, q(base));
    expect(full.total).toBe(want.length);
    expect(queryTotals(db, ResultsQuery.parse(base))).toEqual({
      total: want.length,
      totals: full.totals,
      stored: false,
    });
  });

  it('a cursor of the wrong type for the sort is refused', () => {
    expect(() => queryResults(db, q({ runId: 1, sort: 'severity', after: { value: 'x', id: 1 } }))).toThrow(/cursor/);
    expect(() => queryResults(db, q({ runId: 1, sort: 'orderRef', before: { value: null, id: 1 } }))).toThrow(/cursor/);
  });

  it('unfiltered totals are stored once and equal the computed ones', () => {
    db.prepare('DELETE FROM run_result_totals').run();
    const computed = queryTotals(db, ResultsQuery.parse({ runId: 1 }));
    expect(computed.stored).toBe(true);
    expect(db.prepare('SELECT count(*) AS n FROM run_result_totals WHERE run_id = 1').get()).toEqual({ n: 3 });
    const viaFilter = queryTotals(db, ResultsQuery.parse({ runId: 1, currencies: ['EUR', 'JPY', 'USD'] }));
    expect(viaFilter.stored).toBe(false);
    expect(queryTotals(db, ResultsQuery.parse({ runId: 1 }))).toEqual({ ...viaFilter, stored: true });
    expect(queryResults(db, q({ runId: 1 })).totals).toEqual(viaFilter.totals);
    expect(computed.total).toBe(600);
  });

  it('search: FTS5 finds exactly the substring matches, in this run only; short text still works', () => {
    const like = (text: string, runId: number) =>
      (
        db
          .prepare('SELECT id FROM results WHERE run_id = ? AND instr(search_text, ?) > 0 ORDER BY id')
          .all(runId, text) as Array<{ id: number }>
      ).map((r) => r.id);
    for (const text of ['#1010', 'r2x15', 'cm-79', 'x1', '7', '"', 'R1X2 ', 'zzz', '10 r', '%1', '1_']) {
      for (const runId of [1, 2]) {
        const page = queryResults(db, q({ runId, search: text, limit: 1000, sort: 'orderRef', direction: 'asc' }));
        const ids = page.rows.map((r) => r.id).sort((a, b) => a - b);
        expect(ids, `${text} in run ${runId}`).toEqual(like(text.trim().toLowerCase(), runId));
        expect(page.total).toBe(ids.length);
      }
    }
  });
});

describe('migration 006 on a workspace with results', () => {
  it('indexes the stored search text, adds the currency index and the totals table; answers unchanged', () => {
    const db = open(5);
    seed(db, 300);
    const queries = [
      { sort: 'severity', direction: 'desc' },
      { sort: 'currency', direction: 'asc', offset: 40 },
      { search: '#10' },
      { search: 'cm-7', codes: ['matched'] },
      { sort: 'date', direction: 'asc', dateFrom: '2025-01-02' },
    ];
    const run = () => queries.map((x) => queryResults(db, q({ runId: 1, limit: 100, ...x })));
    const before = run();
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.prepare('SELECT count(*) AS n FROM results_search').get()).toEqual({ n: 300 });
    const indexes = (
      db
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND name = 'results_ui_currency'")
        .all() as Array<{
        name: string;
      }>
    ).length;
    expect(indexes).toBe(1);
    expect(run()).toEqual(before);
    // Search goes through the index now.
    const plan = (
      db
        .prepare(
          'EXPLAIN QUERY PLAN SELECT r.id FROM results r WHERE r.run_id = 1 AND r.id IN (SELECT rowid FROM results_search WHERE results_search MATCH ?)',
        )
        .all('"#10"') as Array<{ detail: string }>
    )
      .map((p) => p.detail)
      .join('\n');
    expect(plan).toContain('results_search');
    // Later writes and deletes keep the index in step (triggers).
    seed(db, 30);
    expect(queryResults(db, q({ runId: 2, search: 'r2x29' })).total).toBe(1);
    db.prepare('DELETE FROM comparison_runs WHERE id = 2').run();
    expect(db.prepare('SELECT count(*) AS n FROM results_search WHERE results_search MATCH \'"r2x29"\'').get()).toEqual(
      {
        n: 0,
      },
    );
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.exec("INSERT INTO results_search(results_search) VALUES ('integrity-check')");
    db.close();
  });
});
