import type Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareSnapshots } from '../../../src/main/reconcile/run-reconcile';
import { resultDetail } from '../../../src/main/reconcile/runs/detail';
import { resultTendersByIds } from '../../../src/main/reconcile/runs/result-tenders';
import { compactStoredRun } from '../store/compact-stored-run';
import { demoWorkspaceAt } from '../store/stored-run-answers';
import { keysById, walkReview } from './review-walk';

/**
 * Matched results whose tender split was stored, stored as ids with the split dropped
 * (`compactStoredRun(…, { dropTenderText: true })`, the writer's rule once
 * `COMPACT_DROPS_TENDER_TEXT` is true): the readers of `results.tenders` rebuild the split from
 * the records and must show what was stored.
 */

let db: Database.Database;
let full: number;
let dropped: number;
/** Keys of the compact rows whose full twin carries a stored split. */
let droppedText: string[];

beforeAll(async () => {
  const demo = await demoWorkspaceAt(':memory:', 26);
  db = demo.db;
  const compare = () => compareSnapshots(db, { storefrontSnapshotId: demo.sfId, netsuiteSnapshotId: demo.nsId }).runId!;
  full = compare();
  dropped = compare();
  compactStoredRun(db, dropped, { dropTenderText: true });
  const withText = new Set(
    (
      db.prepare('SELECT result_key AS k FROM results WHERE run_id = ? AND tenders IS NOT NULL').all(full) as Array<{
        k: string;
      }>
    ).map((r) => r.k),
  );
  const keys = keysById(db, dropped);
  droppedText = (db.prepare('SELECT id FROM matched_results WHERE run_id = ?').all(dropped) as Array<{ id: number }>)
    .map((r) => keys.get(r.id)!)
    .filter((k) => withText.has(k));
});

/** Every result of a run by key: its detail and its tender split (ids differ between runs). */
function perResult(runId: number): Map<string, unknown> {
  const keys = keysById(db, runId);
  const ids = [...keys.keys()];
  const tenders = resultTendersByIds(db, ids);
  return new Map(
    ids.map((id) => {
      const d = resultDetail(db, id);
      return [keys.get(id)!, { ...d, row: { ...d.row, id: 0 }, split: tenders.get(id) ?? null }];
    }),
  );
}

describe('tender text of matched results, dropped and rebuilt', () => {
  it('moves matched results with a stored split (the test is not vacuous)', () => {
    expect(droppedText.length).toBeGreaterThan(0);
  });

  it('every result’s detail and tender split are the same both ways', () => {
    const a = perResult(full);
    const b = perResult(dropped);
    expect(b.size).toBe(a.size);
    for (const [key, answer] of a) expect(b.get(key), key).toEqual(answer);
  });

  it.each(['any', 'tender_mismatch', 'credit_not_paid_out', 'exchange', 'chargeback'] as const)(
    'tender problem %s: the same pages, counts and totals',
    (tenderProblem) => {
      for (const sort of ['severity', 'orderRef'] as const) {
        expect(walkReview(db, dropped, { tenderProblem, sort })).toEqual(walkReview(db, full, { tenderProblem, sort }));
      }
    },
  );
});
