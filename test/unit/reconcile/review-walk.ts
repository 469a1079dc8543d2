import type Database from 'better-sqlite3';
import { queryResults } from '../../../src/main/reconcile/runs/results-page';
import { ResultsQuery } from '../../../src/shared/contract/run';

/**
 * What the review reads of one query on a run, for tests that store a run two ways (compact rows,
 * migration 026) and compare the answers: result ids become keys (ids differ between runs).
 */

/** A result's key by id, over both tables (ids differ between runs; keys do not). */
export function keysById(db: Database.Database, runId: number): Map<number, string> {
  const rows = db
    .prepare(
      `SELECT id, result_key AS k FROM results WHERE run_id = @run
       UNION ALL SELECT m.id, 'sf:' || sf.source_id FROM matched_results m JOIN refunds sf ON sf.id = m.storefront_refund_id WHERE m.run_id = @run`,
    )
    .all({ run: runId }) as Array<{ id: number; k: string }>;
  return new Map(rows.map((r) => [r.id, r.k]));
}

type Cursor = { value: string | number | null; id: number } | null | undefined;

/**
 * What the review sees of one query on a run, ids as keys: the count and totals, the pages walked
 * forward with `after` to the end and back with `before` from the last, and pages at offsets.
 */
export function walkReview(db: Database.Database, runId: number, query: Record<string, unknown>) {
  const keys = keysById(db, runId);
  const cursor = (c: Cursor) => (c ? { value: c.value, key: keys.get(c.id) } : null);
  const page = (extra: Record<string, unknown>) => {
    const p = queryResults(db, { ...ResultsQuery.parse({ runId, limit: 7, ...query }), ...extra });
    return {
      total: p.total,
      totals: p.totals,
      rows: p.rows.map((r) => ({ ...r, id: keys.get(r.id) })),
      first: cursor(p.first),
      last: cursor(p.last),
      raw: { first: p.first, last: p.last },
    };
  };
  const forward = [page({})];
  while (forward.at(-1)!.rows.length === 7 && forward.length < 40) {
    forward.push(page({ after: forward.at(-1)!.raw.last, totals: false, count: false }));
  }
  const backward = [forward.at(-1)!];
  while (backward.at(-1)!.rows.length > 0 && backward.length < 40) {
    backward.push(page({ before: backward.at(-1)!.raw.first, totals: false, count: false }));
  }
  const total = forward[0]?.total ?? 0;
  const offsets = [1, 6, 7, 30, Math.max(0, total - 3), total, total + 5].map((offset) =>
    page({ offset, totals: false, count: false }),
  );
  const strip = (ps: Array<ReturnType<typeof page>>) => ps.map(({ raw: _raw, ...p }) => p);
  return { forward: strip(forward), backward: strip(backward), offsets: strip(offsets) };
}
