import type Database from 'better-sqlite3';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { actionList } from '../../../src/main/reconcile/action-list';
import { periodSummary } from '../../../src/main/reconcile/period-summary';
import { diffRunsAddingUp } from '../../../src/main/reconcile/run-diff';
import { compareSnapshots } from '../../../src/main/reconcile/run-reconcile';
import { runCharts } from '../../../src/main/reconcile/runs/charts';
import { resultDetail } from '../../../src/main/reconcile/runs/detail';
import { countMatchedResults } from '../../../src/main/reconcile/runs/matched-results';
import { resultTendersByIds } from '../../../src/main/reconcile/runs/result-tenders';
import { queryResults } from '../../../src/main/reconcile/runs/results-page';
import { queryTotals } from '../../../src/main/reconcile/runs/totals';
import { openErrors } from '../../../src/main/review/signoff-care';
import { willNotSyncForRun } from '../../../src/main/sync/will-not-sync';
import { ResultsQuery, SORTABLE_COLUMNS } from '../../../src/shared/contract/run';
import { compactStoredRun } from '../store/compact-stored-run';
import { demoWorkspaceAt, REVIEW_QUERIES, storedRunAnswers } from '../store/stored-run-answers';
import { walkReview } from './review-walk';

/**
 * The readers of a run's results read `matched_results` (migration 026) too: the same run stored
 * both ways — every result a `results` row (`full`), and its provably derivable matches moved to
 * the compact table (`compact`) — gives each converted reader the same answers.
 */

let db: Database.Database;
let full: number;
let again: number;
let compact: number;
/** The same run as the writer stores it (its compact rows written as the run is stored). */
let written: number;

beforeAll(async () => {
  const demo = await demoWorkspaceAt(':memory:', 26);
  db = demo.db;
  const compare = () => compareSnapshots(db, { storefrontSnapshotId: demo.sfId, netsuiteSnapshotId: demo.nsId }).runId!;
  // Every result a `results` row: the writer's switch for tests.
  vi.stubEnv('REFUND_RECON_COMPACT_RESULTS', '0');
  full = compare();
  again = compare();
  compact = compare();
  vi.unstubAllEnvs();
  written = compare();
  compactStoredRun(db, compact);
  // An annotation on a compact row's key, so the annotation filter selects some.
  const key = (
    db
      .prepare(
        "SELECT 'sf:' || sf.source_id AS k FROM matched_results m JOIN refunds sf ON sf.id = m.storefront_refund_id WHERE m.run_id = ? ORDER BY m.id LIMIT 1 OFFSET 3",
      )
      .get(compact) as { k: string }
  ).k;
  db.prepare(
    "INSERT INTO annotations (result_key, status, reason, author, created_at) VALUES (?, 'explained', 'test', 'test', 'x')",
  ).run(key);
});

const withoutRun = <T extends { runId: number }>(x: T) => ({ ...x, runId: 0 });

describe('readers of matched results stored as ids', () => {
  it('has a run stored both ways, a roll-up among the compact rows', () => {
    const moved = countMatchedResults(db, compact);
    expect(moved).toBeGreaterThan(10);
    const rollups = db
      .prepare('SELECT count(*) AS n FROM matched_results WHERE run_id = ? AND storefront_others IS NOT NULL')
      .get(compact) as { n: number };
    expect(rollups.n).toBeGreaterThan(0);
    const left = db.prepare("SELECT count(*) AS n FROM results WHERE run_id = ? AND code = 'matched'").get(compact) as {
      n: number;
    };
    expect(left.n).toBeLessThan(moved);
  });

  it('charts: counts per code, days and money at stake', () => {
    expect(withoutRun(runCharts(db, compact))).toEqual(withoutRun(runCharts(db, full)));
  });

  it('period summary: months, counts and totals, whole run and a range', () => {
    const a = periodSummary(db, full);
    expect(withoutRun(periodSummary(db, compact))).toEqual(withoutRun(a));
    expect(a.months.length).toBeGreaterThan(1);
    const [first] = a.months;
    expect(withoutRun(periodSummary(db, compact, first, first))).toEqual(
      withoutRun(periodSummary(db, full, first, first)),
    );
    const rest = a.months.slice(1);
    expect(withoutRun(periodSummary(db, compact, rest[0], rest.at(-1)))).toEqual(
      withoutRun(periodSummary(db, full, rest[0], rest.at(-1))),
    );
  });

  it('run diff: the compact run is the same run to compare with, both ways', () => {
    const forward = diffRunsAddingUp(db, full, compact);
    expect({ ...forward, toRunId: 0 }).toEqual({ ...diffRunsAddingUp(db, full, again), toRunId: 0 });
    expect(forward.counts.unchanged).toBe(forward.results);
    expect({ ...diffRunsAddingUp(db, compact, full), fromRunId: 0 }).toEqual({
      ...diffRunsAddingUp(db, again, full),
      fromRunId: 0,
    });
  });

  it('readers of problems only (action list, open errors) answer the same', () => {
    expect(withoutRun(actionList(db, compact))).toEqual(withoutRun(actionList(db, full)));
    expect(openErrors(db, compact)).toBe(openErrors(db, full));
  });
});

/** Every result of a run by key: its detail and tender split (row ids differ between runs). */
function perResult(runId: number) {
  const ids = (
    db
      .prepare(
        `SELECT id FROM results WHERE run_id = ? UNION ALL SELECT id FROM matched_results WHERE run_id = ? ORDER BY id`,
      )
      .all(runId, runId) as Array<{ id: number }>
  ).map((r) => r.id);
  const tenders = resultTendersByIds(db, ids);
  const byKey = new Map<string, unknown>();
  for (const id of ids) {
    const d = resultDetail(db, id);
    byKey.set(d.row.key, { ...d, row: { ...d.row, id: 0 }, tendersById: tenders.get(id) ?? null });
  }
  return byKey;
}

describe('readers of one result stored as ids', () => {
  it('detail and tender split: every result the same both ways', () => {
    const a = perResult(full);
    const b = perResult(compact);
    expect(b.size).toBe(a.size);
    expect(new Map([...b].sort())).toEqual(new Map([...a].sort()));
  });

  it('the migration tests’ per-result answers read both tables and agree', () => {
    const a = storedRunAnswers(db, full, []).perResult;
    const b = storedRunAnswers(db, compact, []).perResult;
    const byKey = (x: typeof a) => [...x].sort((p, q) => (p.key < q.key ? -1 : p.key > q.key ? 1 : 0));
    expect(b.length).toBe(a.length);
    expect(byKey(b)).toEqual(byKey(a));
  });

  it('tender split of a page mixing both tables, in one call', () => {
    const ids = (
      db
        .prepare(
          `SELECT id FROM (SELECT id FROM results WHERE run_id = ? UNION ALL SELECT id FROM matched_results WHERE run_id = ?) ORDER BY id LIMIT 20`,
        )
        .all(compact, compact) as Array<{ id: number }>
    ).map((r) => r.id);
    const got = resultTendersByIds(db, ids);
    expect([...got.keys()].sort((x, y) => x - y)).toEqual(ids);
  });
});

describe('will-not-sync flags', () => {
  it('are the same both ways, in each direction (a compact row has records on both sides)', () => {
    const account = Number(
      db
        .prepare(
          "INSERT INTO storefront_accounts (platform, name, created_at, updated_at) VALUES ('shopify', 'demo', 'x', 'x')",
        )
        .run().lastInsertRowid,
    );
    db.prepare(
      "INSERT INTO refund_sync_settings (storefront_account_id, direction, updated_at) VALUES (?, 'off', 'x')",
    ).run(account);
    db.prepare('UPDATE comparison_runs SET storefront_account_id = ? WHERE id IN (?, ?)').run(account, full, compact);
    let flagged = 0;
    for (const direction of ['storefront_to_netsuite', 'netsuite_to_storefront']) {
      db.prepare('UPDATE refund_sync_settings SET direction = ? WHERE storefront_account_id = ?').run(
        direction,
        account,
      );
      const flags = (runId: number) => willNotSyncForRun(db, runId).flags.map((f) => ({ ...f, resultId: 0 }));
      expect(flags(compact)).toEqual(flags(full));
      flagged += flags(full).length;
    }
    expect(flagged).toBeGreaterThan(0);
  });
});

/** The review's walk of one query on a run, ids as keys (review-walk.ts), on this file's workspace. */
const reviewWalk = (runId: number, query: Record<string, unknown>) => walkReview(db, runId, query);

const SORT_NAMES = SORTABLE_COLUMNS;

describe('the review’s results page over matched results stored as ids', () => {
  it('every sort, both directions: the same pages, cursors, offsets, count and totals', () => {
    let compactSeen = 0;
    for (const sort of SORT_NAMES) {
      for (const direction of ['asc', 'desc'] as const) {
        const a = reviewWalk(full, { sort, direction });
        expect(reviewWalk(compact, { sort, direction }), `${sort} ${direction}`).toEqual(a);
        compactSeen += a.forward.length;
      }
    }
    expect(compactSeen).toBeGreaterThan(SORT_NAMES.length * 2);
    // The order-key sort walked the storefront refunds' index, probing this one.
    expect(
      db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'matched_results_by_storefront'").get(),
    ).toBeDefined();
  });

  const filters: Record<string, unknown>[] = [
    { codes: ['matched'] },
    { codes: ['amount_mismatch', 'missing_in_netsuite'] },
    { severities: ['ok'] },
    { severities: ['error', 'warning'] },
    { currencies: ['EUR'] },
    { currencies: ['USD', 'GBP'] },
    { dateFrom: '2024-02-01' },
    { dateTo: '2024-02-15' },
    { maxDifference: '5.00' },
    { minDifference: '0.01' },
    { minDifference: '0.00', maxDifference: '0.00' },
    { annotation: ['open'] },
    { annotation: ['explained'] },
    { action: 'amount_other' },
    { tenderProblem: 'any' },
    { tenderClasses: ['money'] },
    { tenderClasses: ['other'] },
    { codes: ['matched'], currencies: ['USD'], dateFrom: '2024-01-10' },
  ];
  it.each(filters)('filter %j, three sorts: the same pages, count and totals', (filter) => {
    for (const sort of ['severity', 'orderRef', 'storefrontTotal'] as const) {
      expect(reviewWalk(compact, { ...filter, sort }), sort).toEqual(reviewWalk(full, { ...filter, sort }));
    }
    expect(queryTotals(db, ResultsQuery.parse({ runId: compact, ...filter }))).toEqual(
      queryTotals(db, ResultsQuery.parse({ runId: full, ...filter })),
    );
  });

  it('the filters find compact rows (the test is not vacuous)', () => {
    const compactIds = new Set(
      (db.prepare('SELECT id FROM matched_results WHERE run_id = ?').all(compact) as Array<{ id: number }>).map(
        (r) => r.id,
      ),
    );
    for (const filter of [{ codes: ['matched'] }, { currencies: ['EUR'] }, { annotation: ['explained'] }]) {
      const p = queryResults(db, ResultsQuery.parse({ runId: compact, limit: 1000, ...filter }));
      expect(
        p.rows.some((r) => compactIds.has(r.id)),
        JSON.stringify(filter),
      ).toBe(true);
    }
  });
});

describe('readers not converted yet (docs/benchmarks/reconcile.md, session 8, p8-compact)', () => {
  // Then: expect(storedRunAnswers(db, compact, REVIEW_QUERIES)).toEqual(storedRunAnswers(db, full, REVIEW_QUERIES))
  // over every sort, both cursors and offsets (test/unit/store/stored-run-answers.ts reads both tables).
  it.todo('the tender class filter gives a compact row the class of its mapped tender split (tender-filter)');
});

describe('the run writer’s compact rows (isCompactable, p9-cwrite)', () => {
  /** A run's compact rows as their values (ids aside: they differ between runs), in a stable order. */
  const compactRows = (runId: number) =>
    db
      .prepare(
        `SELECT 'sf:' || sf.source_id AS key, m.storefront_refund_id, m.storefront_others, m.netsuite_refund_id,
                m.netsuite_refund_id_2, m.matched_by, m.currency, m.date, m.total
         FROM matched_results m JOIN refunds sf ON sf.id = m.storefront_refund_id WHERE m.run_id = ? ORDER BY key`,
      )
      .all(runId);

  it('writes as compact rows exactly the results the SQL rule moves, with the same values', () => {
    const got = compactRows(written);
    expect(got.length).toBeGreaterThan(10);
    expect(got.some((r) => (r as { storefront_others: string | null }).storefront_others !== null)).toBe(true);
    expect(got).toEqual(compactRows(compact));
    expect(countMatchedResults(db, full)).toBe(0);
    // And nothing else: every other result is a `results` row, as with the switch off.
    const inResults = (runId: number) =>
      db.prepare('SELECT count(*) AS n FROM results WHERE run_id = ?').pluck().get(runId) as number;
    expect(inResults(written) + got.length).toBe(inResults(full));
  });

  it('keeps the run totals and the run summary', () => {
    const totals = (runId: number) =>
      (db.prepare('SELECT * FROM run_result_totals WHERE run_id = ? ORDER BY currency').all(runId) as object[]).map(
        (t) => ({ ...t, run_id: 0 }),
      );
    expect(totals(written)).toEqual(totals(full));
    const summary = (runId: number) =>
      db.prepare('SELECT summary FROM comparison_runs WHERE id = ?').pluck().get(runId);
    expect(summary(written)).toEqual(summary(full));
  });

  it('charts, period summary, run diff, action list and open errors answer as for the run stored in full', () => {
    expect(withoutRun(runCharts(db, written))).toEqual(withoutRun(runCharts(db, full)));
    expect(withoutRun(periodSummary(db, written))).toEqual(withoutRun(periodSummary(db, full)));
    expect({ ...diffRunsAddingUp(db, full, written), toRunId: 0 }).toEqual({
      ...diffRunsAddingUp(db, full, again),
      toRunId: 0,
    });
    expect({ ...diffRunsAddingUp(db, written, full), fromRunId: 0 }).toEqual({
      ...diffRunsAddingUp(db, again, full),
      fromRunId: 0,
    });
    expect(withoutRun(actionList(db, written))).toEqual(withoutRun(actionList(db, full)));
    expect(openErrors(db, written)).toBe(openErrors(db, full));
  });

  it('every result’s detail and tender split, and the review’s pages (search aside), as in full', () => {
    const a = perResult(full);
    const b = perResult(written);
    expect(b.size).toBe(a.size);
    expect(new Map([...b].sort())).toEqual(new Map([...a].sort()));
    // Under a search compact rows are not searched yet (search-index.ts, p9-cread): as the SQL rule's.
    const queries = REVIEW_QUERIES.filter((q) => !('search' in q));
    const byKey = (x: ReturnType<typeof storedRunAnswers>) => ({
      perResult: [...x.perResult].sort((p, q) => (p.key < q.key ? -1 : p.key > q.key ? 1 : 0)),
      pages: x.pages,
    });
    expect(byKey(storedRunAnswers(db, written, queries))).toEqual(byKey(storedRunAnswers(db, full, queries)));
    expect(storedRunAnswers(db, written, [{ search: 'cm' }]).pages).toEqual(
      storedRunAnswers(db, compact, [{ search: 'cm' }]).pages,
    );
  });

  it('the results page: every sort both ways, and the filters with their totals', () => {
    for (const sort of SORT_NAMES) {
      for (const direction of ['asc', 'desc'] as const) {
        expect(reviewWalk(written, { sort, direction }), `${sort} ${direction}`).toEqual(
          reviewWalk(full, { sort, direction }),
        );
      }
    }
    for (const filter of [
      { codes: ['matched'] },
      { currencies: ['EUR'] },
      { dateFrom: '2024-02-01' },
      { tenderClasses: ['money'] },
    ]) {
      expect(reviewWalk(written, { ...filter, sort: 'severity' }), JSON.stringify(filter)).toEqual(
        reviewWalk(full, { ...filter, sort: 'severity' }),
      );
      expect(queryTotals(db, ResultsQuery.parse({ runId: written, ...filter }))).toEqual(
        queryTotals(db, ResultsQuery.parse({ runId: full, ...filter })),
      );
    }
  });
});
