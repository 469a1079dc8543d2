import Database from 'better-sqlite3';
import { demoCanonical, generateDemo } from '../../../src/main/demo/generate';
import { compareSnapshots } from '../../../src/main/reconcile/run-reconcile';
import { queryResults, resultDetail, resultTendersByIds } from '../../../src/main/reconcile/run-store';
import { hasMatchedResults } from '../../../src/main/reconcile/runs/matched-results';
import { migrate } from '../../../src/main/store/migrate';
import { MIGRATIONS } from '../../../src/main/store/migrations';
import { openWorkspace } from '../../../src/main/store/open';
import { writeSnapshot } from '../../../src/main/store/snapshot-writer';
import { ResultsQuery } from '../../../src/shared/contract/run';

/**
 * Shared by the migration tests of the run store (024, 025): a demo workspace migrated up to a
 * given version, and what the review reads of a run, to compare before and after a migration.
 */

/** A new workspace file at `version` with the demo's two snapshots. */
export async function demoWorkspaceAt(file: string, version: number) {
  const db = new Database(file);
  db.pragma('foreign_keys = ON');
  migrate(
    db,
    MIGRATIONS.filter((m) => m.version <= version),
  );
  const { storefront, netsuite } = demoCanonical(generateDemo());
  const meta = { label: 'demo', source: 'demo' as const, format: 'canonical-json', importerVersion: 'test' };
  const sfId = await writeSnapshot(db, { ...meta, side: 'storefront' }, storefront);
  const nsId = await writeSnapshot(db, { ...meta, side: 'netsuite' }, netsuite);
  return { db, sfId, nsId };
}

/** The review's pages a migration test compares: sorts, a code filter, search and the tender filters. */
export const REVIEW_QUERIES: Record<string, unknown>[] = [
  { sort: 'severity', direction: 'desc' },
  { sort: 'orderRef', direction: 'asc' },
  { sort: 'storefrontTotal', direction: 'desc' },
  { codes: ['matched'] },
  { search: 'cm' },
  { tenderClasses: ['money'] },
  { tenderClasses: ['stored_value', 'exchange'] },
  { tenderClasses: ['other'] },
  { tenderProblem: 'any' },
];

/**
 * What the review reads of a run (each result's detail and tenders, and the pages of `queries`),
 * keyed by result key: row ids differ between runs, so two runs of the same data compare equal.
 */
export function storedRunAnswers(db: Database.Database, runId: number, queries: Record<string, unknown>[]) {
  // With the results stored as ids (migration 026), keyed as their readers derive the key.
  const compact = hasMatchedResults(db)
    ? ` UNION ALL SELECT m.id, 'sf:' || sf.source_id FROM matched_results m JOIN refunds sf ON sf.id = m.storefront_refund_id
        WHERE m.run_id = @run`
    : '';
  const ids = (
    db
      .prepare(`SELECT id, result_key FROM results WHERE run_id = @run${compact} ORDER BY id`)
      .all({ run: runId }) as Array<{
      id: number;
      result_key: string;
    }>
  ).map((r) => [r.id, r.result_key] as const);
  const keyOf = new Map(ids);
  const tenders = resultTendersByIds(
    db,
    ids.map(([id]) => id),
  );
  const perResult = ids.map(([id, key]) => {
    const d = resultDetail(db, id);
    return { key, netsuite: d.netsuite, row: { ...d.row, id: 0 }, tenders: tenders.get(id) ?? null };
  });
  const pages = queries.map((query) => {
    const page = queryResults(db, ResultsQuery.parse({ runId, limit: 1000, ...query }));
    return { total: page.total, rows: page.rows.map((r) => ({ ...r, id: keyOf.get(r.id) })) };
  });
  return { perResult, pages };
}

type Answers = (db: Database.Database, runId: number) => unknown;

/**
 * A run compared in a demo workspace at `version`, then the workspace opened read-only (so not
 * migrated): its schema version and the review's answers before and after.
 */
export async function answersOpenedReadOnly(file: string, version: number, answers: Answers) {
  const { db, sfId, nsId } = await demoWorkspaceAt(file, version);
  const runId = compareSnapshots(db, { storefrontSnapshotId: sfId, netsuiteSnapshotId: nsId }).runId!;
  const old = answers(db, runId);
  db.close();
  const readonly = openWorkspace(file, { readonly: true });
  try {
    return { version: readonly.pragma('user_version', { simple: true }), old, now: answers(readonly, runId) };
  } finally {
    readonly.close();
  }
}

/** An empty completed run of the two snapshots, for tests that write its results by hand. */
export function insertBareRun(db: Database.Database, sfId: number, nsId: number): number {
  return Number(
    db
      .prepare(
        "INSERT INTO comparison_runs (storefront_snapshot_id, netsuite_snapshot_id, rules, status, started_at) VALUES (?, ?, '{}', 'complete', 'x')",
      )
      .run(sfId, nsId).lastInsertRowid,
  );
}
