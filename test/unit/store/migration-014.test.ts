import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { demoCanonical, generateDemo } from '../../../src/main/demo/generate';
import { compareSnapshots } from '../../../src/main/reconcile/run-reconcile';
import { queryResults, setAnnotation, signOff } from '../../../src/main/reconcile/run-store';
import { annotateMany } from '../../../src/main/review/annotation-batches';
import { migrate } from '../../../src/main/store/migrate';
import { MIGRATIONS } from '../../../src/main/store/migrations';
import { writeSnapshot } from '../../../src/main/store/snapshot-writer';
import { ResultsQuery } from '../../../src/shared/contract/run';

describe('migration 014 (accountant’s desk) on a workspace holding data', () => {
  it('keeps runs, annotations and sign-offs; adds batches, people, views and per-currency sort indexes', async () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    // Every migration before 014: the workspace as the previous release left it.
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version < 14),
    );
    const { storefront, netsuite } = demoCanonical(generateDemo());
    const meta = { label: 'demo', source: 'demo' as const, format: 'canonical-json', importerVersion: 'test' };
    const sfId = await writeSnapshot(db, { ...meta, side: 'storefront' }, storefront);
    const nsId = await writeSnapshot(db, { ...meta, side: 'netsuite' }, netsuite);
    const { runId } = compareSnapshots(db, { storefrontSnapshotId: sfId, netsuiteSnapshotId: nsId });
    const key = queryResults(db, ResultsQuery.parse({ runId, codes: ['duplicate'] })).rows[0]!.key;
    setAnnotation(db, { resultKey: key, status: 'explained', reason: 'Voided', note: '', author: 'Ada' });
    signOff(db, runId!, 'preparer', 'Ada');

    migrate(
      db,
      MIGRATIONS.filter((m) => m.version <= 14),
    );
    expect(db.pragma('user_version', { simple: true })).toBe(14);
    const annotation = db.prepare('SELECT status, batch_id FROM annotations').get();
    expect(annotation).toEqual({ status: 'explained', batch_id: null });
    expect(db.prepare('SELECT name, open_errors FROM run_signoffs').get()).toEqual({ name: 'Ada', open_errors: null });
    const page = queryResults(db, ResultsQuery.parse({ runId, annotation: ['explained'] }));
    expect(page.rows.map((r) => r.key)).toEqual([key]);
    // The new tables work on the migrated workspace.
    const step = annotateMany(db, { resultKeys: [key], status: 'fixed', reason: '', note: '', author: 'Ada' });
    expect(step.results).toBe(1);
    // Sorting by difference within a currency walks migration 014's index.
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT r.id FROM results r WHERE r.run_id = ?
         ORDER BY r.currency || printf('%016d', abs(r.difference)) DESC, r.id DESC LIMIT 10`,
      )
      .all(runId) as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join(' ')).toContain('results_ui_currency_abs_difference');
  });
});
