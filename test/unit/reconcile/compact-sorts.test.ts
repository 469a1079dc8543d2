import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareSnapshots } from '../../../src/main/reconcile/run-reconcile';
import { MATCHED_STORED_ROWS_SQL } from '../../../src/main/reconcile/runs/matched-results';
import { resultSources } from '../../../src/main/reconcile/runs/result-sources';
import { queryResults, segment } from '../../../src/main/reconcile/runs/results-page';
import { queryTotals } from '../../../src/main/reconcile/runs/totals';
import { ResultsQuery, SORTABLE_COLUMNS } from '../../../src/shared/contract/run';
import { compactStoredRun } from '../store/compact-stored-run';
import { demoWorkspaceAt } from '../store/stored-run-answers';

/**
 * The review's sorts over compact rows (matched_results, migration 026) walk indexes built on first
 * use (docs/benchmarks/reconcile.md, session 9, p9-csort): each walk reads its index and sorts
 * nothing, and a workspace that cannot build them (read-only) answers the same by the general walk.
 * matched-results-readers.test.ts compares every sort of the compact run with the same run stored
 * in full; here the fast walks are compared with the general ones.
 */

let db: Database.Database;
let compact: number;
let dir: string;
let readOnly: Database.Database;

/** Where each sort's compact walk goes (code and severity: by id; the difference sorts: per currency, by id). */
const WALK_INDEX: Record<(typeof SORTABLE_COLUMNS)[number], string> = {
  date: 'matched_results_by_run_date',
  orderRef: 'refunds_by_snapshot_order',
  code: 'matched_results_by_run',
  severity: 'matched_results_by_run',
  currency: 'matched_results_by_run_currency',
  difference: 'matched_results_by_run_currency',
  absDifference: 'matched_results_by_run_currency',
  storefrontTotal: 'matched_results_by_run_total',
  netsuiteTotal: 'matched_results_by_run_total',
};
const BUILT_ON_USE = [
  'matched_results_by_storefront',
  'matched_results_by_run_date',
  'matched_results_by_run_currency',
  'matched_results_by_run_total',
  'matched_results_for_totals',
];

/** A page of the compact run: the query's paging options (`after`, `before`, `totals`, `count`) beside it. */
const page = (on: Database.Database, query: Record<string, unknown>) => {
  const { after, before, totals, count, ...rest } = query;
  const paging = { after, before, totals, count } as Partial<Parameters<typeof queryResults>[1]>;
  return queryResults(on, { ...ResultsQuery.parse({ runId: compact, limit: 7, ...rest }), ...paging });
};

beforeAll(async () => {
  const demo = await demoWorkspaceAt(':memory:', 26);
  db = demo.db;
  compact = compareSnapshots(db, { storefrontSnapshotId: demo.sfId, netsuiteSnapshotId: demo.nsId }).runId!;
  compactStoredRun(db, compact);
  // The same workspace, read-only, before any index is built on it.
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-compact-sorts-'));
  const file = path.join(dir, 'ws.sqlite');
  fs.writeFileSync(file, db.serialize());
  readOnly = new Database(file, { readonly: true });
});

afterAll(() => {
  readOnly.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const indexNames = (on: Database.Database) =>
  (
    on.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'matched_results'").all() as Array<{
      name: string;
    }>
  ).map((r) => r.name);

describe('the compact sorts’ indexes', () => {
  it('each sort’s compact walk reads its index and sorts nothing (built on first use)', () => {
    for (const name of BUILT_ON_USE) expect(indexNames(db)).not.toContain(name);
    for (const sort of SORTABLE_COLUMNS) {
      page(db, { sort });
      const source = resultSources(db, compact, sort, true)[1];
      expect(source, sort).toBeDefined();
      const group = source?.groups?.[0];
      const where = group ? `${group.where} AND r.run_id = ?` : 'r.run_id = ?';
      const order = group ? 'r.id DESC' : `${source?.sortSql} DESC, r.id DESC`;
      const plan = (
        db
          .prepare(`EXPLAIN QUERY PLAN SELECT r.id FROM ${source?.from} WHERE ${where} ORDER BY ${order} LIMIT 7`)
          .all(...(source?.fromParams ?? []), ...(group?.params ?? []), compact) as Array<{ detail: string }>
      )
        .map((p) => p.detail)
        .join(' | ');
      expect(plan, sort).toContain(`INDEX ${WALK_INDEX[sort]}`);
      // (The order-key walk sorts each key's few rows by id: a temporary B-tree for the right part.)
      expect(plan, sort).not.toContain('TEMP B-TREE FOR ORDER BY');
    }
    // The difference sorts: one group per currency of the compact rows.
    const currencies = db
      .prepare('SELECT count(DISTINCT currency) AS n FROM matched_results WHERE run_id = ?')
      .get(compact) as { n: number };
    expect(resultSources(db, compact, 'absDifference', true)[1]?.groups).toHaveLength(currencies.n);
    expect(currencies.n).toBeGreaterThan(1);
  });

  it('totals under a filter on stored columns read the covering index, in currency order', () => {
    queryTotals(db, ResultsQuery.parse({ runId: compact, codes: ['matched'] }));
    expect(indexNames(db)).toEqual(expect.arrayContaining(BUILT_ON_USE));
    const plan = (
      db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT r.currency, count(*), sum(r.storefront_total) FROM (${MATCHED_STORED_ROWS_SQL}) r
           WHERE r.run_id = ? AND r.code IN ('matched') AND r.date >= '2024-01-01' GROUP BY r.currency`,
        )
        .all(compact) as Array<{ detail: string }>
    )
      .map((p) => p.detail)
      .join(' | ');
    expect(plan).toContain('COVERING INDEX matched_results_for_totals');
    expect(plan).not.toContain('TEMP B-TREE');
    expect(plan).not.toContain(' sf ');
  });

  it('a read-only workspace without them answers the same: every sort, both cursors, offsets, totals', () => {
    const filters = [{}, { codes: ['matched'] }, { currencies: ['EUR'] }, { dateFrom: '2024-02-01' }];
    for (const sort of SORTABLE_COLUMNS) {
      for (const direction of ['asc', 'desc'] as const) {
        for (const filter of filters) {
          const q = { sort, direction, ...filter };
          const first = page(db, q);
          expect(page(readOnly, q), `${sort} ${direction} ${JSON.stringify(filter)}`).toEqual(first);
          for (const extra of [{ after: first.last }, { before: first.last }, { offset: 10 }, { offset: 40 }]) {
            const p = { ...q, ...extra, totals: false, count: false };
            expect(page(readOnly, p), `${sort} ${direction} ${JSON.stringify(p)}`).toEqual(page(db, p));
          }
        }
      }
    }
    for (const name of BUILT_ON_USE) expect(indexNames(readOnly)).not.toContain(name);
  });

  it('property: pages after any cursor and at any offset are the general walk’s', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SORTABLE_COLUMNS),
        fc.constantFrom('asc' as const, 'desc' as const),
        fc.integer({ min: 0, max: 400 }),
        fc.boolean(),
        (sort, direction, at, before) => {
          // A cursor on a real row of the run (its value and id), then one shifted off every row.
          const anchor = page(db, { sort, direction, offset: at, limit: 1, totals: false, count: false }).first;
          if (!anchor) return;
          for (const cursor of [anchor, { ...anchor, id: anchor.id + 1 }]) {
            const q = { sort, direction, [before ? 'before' : 'after']: cursor, totals: false, count: false };
            expect(page(readOnly, q)).toEqual(page(db, q));
          }
          const o = { sort, direction, offset: at, totals: false, count: false };
          expect(page(readOnly, o)).toEqual(page(db, o));
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('a seek segment’s test in JavaScript is SQLite’s comparison', () => {
  const value = fc.oneof(
    fc.integer({ min: -1000, max: 1000 }),
    fc.string({ maxLength: 4 }),
    fc.string({ unit: 'grapheme', maxLength: 3 }),
    fc.constantFrom('EUR', 'USD', 'EUR4611686018427387904', 'é', 'Z', ''),
  );
  it('holds(v) is the SQL clause over v, for every range and value (NULL included)', () => {
    const sqlite = new Database(':memory:');
    fc.assert(
      fc.property(
        fc.oneof(fc.constant(null), value),
        value,
        fc.constantFrom('=', '>', '<', 'null', 'notNull', 'all'),
        (v, bound, op) => {
          const seg = segment(
            'x',
            op === '=' || op === '>' || op === '<' ? { op, value: bound } : (op as 'null' | 'notNull' | 'all'),
          );
          const sql = sqlite
            .prepare(`WITH t(x) AS (SELECT ?) SELECT CASE WHEN ${seg.clause} THEN 1 ELSE 0 END AS h FROM t`)
            .get(v, ...seg.params) as { h: number };
          expect(seg.holds(v), `${JSON.stringify(v)} ${op} ${JSON.stringify(bound)}`).toBe(sql.h === 1);
        },
      ),
      { numRuns: 2000 },
    );
    sqlite.close();
  });
});
