import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { compareSnapshots } from '../../../src/main/reconcile/run-reconcile';
import { finishRun, ResultWriter, startRun } from '../../../src/main/reconcile/run-store';
import {
  type CompactIndex,
  countMatchedResults,
  ensureCompactIndex,
} from '../../../src/main/reconcile/runs/matched-results';
import { SORTABLE_COLUMNS } from '../../../src/shared/contract/run';
import { demoWorkspaceAt, REVIEW_QUERIES, storedRunAnswers } from '../store/stored-run-answers';

/**
 * The review builds indexes of `matched_results` on first use (matched-results.ts,
 * `COMPACT_INDEXES`). A large run stored after such a review must not insert its compact rows into
 * them (at 1M: 35.5 s of CPU instead of ≈ 4 s): the writer drops them when it drops the deferred
 * indexes of `results`, and the review builds each again. Every run reads the same either way.
 */

const BUILT_ON_USE: CompactIndex[] = [
  'matched_results_by_storefront',
  'matched_results_by_run_date',
  'matched_results_by_run_currency',
  'matched_results_by_run_total',
  'matched_results_for_totals',
];

const QUERIES: Record<string, unknown>[] = [
  ...REVIEW_QUERIES,
  ...SORTABLE_COLUMNS.flatMap((sort) => [
    { sort, direction: 'asc' },
    { sort, direction: 'desc', limit: 5, offset: 3 },
  ]),
  { codes: ['matched'], currencies: ['EUR'] },
  { codes: ['matched'], dateFrom: '2024-02-01' },
];

const indexNames = (db: Database.Database) =>
  (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'matched_results'").all() as Array<{
      name: string;
    }>
  )
    .map((r) => r.name)
    .sort();

/** Compares the two snapshots and stores the run through a writer told to expect `estimated` results. */
function storeExpecting(db: Database.Database, sfId: number, nsId: number, estimated: number): number {
  const { output, rules } = compareSnapshots(
    db,
    { storefrontSnapshotId: sfId, netsuiteSnapshotId: nsId },
    { store: false },
  );
  return db.transaction(() => {
    const id = startRun(db, { storefrontSnapshotId: sfId, netsuiteSnapshotId: nsId, rules });
    const writer = new ResultWriter(db, id, undefined, undefined, null, estimated);
    for (const r of output.results) writer.add(r);
    writer.finish();
    finishRun(db, id, 'complete', output.summary);
    return id;
  })();
}

describe('a large run and the review’s indexes of matched_results', () => {
  it('are dropped before a large run is written (not a small one), built again on use; answers unchanged', async () => {
    const { db, sfId, nsId } = await demoWorkspaceAt(':memory:', 26);
    const first = compareSnapshots(db, { storefrontSnapshotId: sfId, netsuiteSnapshotId: nsId }).runId!;
    expect(countMatchedResults(db, first)).toBeGreaterThan(0);
    for (const name of BUILT_ON_USE) expect(ensureCompactIndex(db, name)).toBe(true);
    const firstAnswers = storedRunAnswers(db, first, QUERIES);
    const all = indexNames(db);
    expect(all).toEqual([...BUILT_ON_USE, 'matched_results_by_run'].sort());

    // A small run keeps them (its rows are inserted into each).
    const small = storeExpecting(db, sfId, nsId, 5_000);
    expect(indexNames(db)).toEqual(all);

    // A large one drops them in its transaction; the run_id index stays.
    const large = storeExpecting(db, sfId, nsId, 50_000);
    expect(indexNames(db)).toEqual(['matched_results_by_run']);
    expect(countMatchedResults(db, large)).toBe(countMatchedResults(db, small));

    // The review answers the same for every run, and builds the indexes again as it goes.
    const largeAnswers = storedRunAnswers(db, large, QUERIES);
    expect(indexNames(db)).toEqual(all);
    expect(largeAnswers).toEqual(storedRunAnswers(db, small, QUERIES));
    expect(storedRunAnswers(db, first, QUERIES)).toEqual(firstAnswers);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('a failed large run leaves them in place (the drop is rolled back with it)', async () => {
    const { db, sfId, nsId } = await demoWorkspaceAt(':memory:', 26);
    compareSnapshots(db, { storefrontSnapshotId: sfId, netsuiteSnapshotId: nsId });
    for (const name of BUILT_ON_USE) ensureCompactIndex(db, name);
    const all = indexNames(db);
    expect(() =>
      db.transaction(() => {
        const id = startRun(db, { storefrontSnapshotId: sfId, netsuiteSnapshotId: nsId, rules: {} as never });
        new ResultWriter(db, id, undefined, undefined, null, 50_000);
        expect(indexNames(db)).toEqual(['matched_results_by_run']);
        throw new Error('failed');
      })(),
    ).toThrow('failed');
    expect(indexNames(db)).toEqual(all);
    db.close();
  });
});
