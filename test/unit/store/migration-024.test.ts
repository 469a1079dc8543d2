import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { compareSnapshots } from '../../../src/main/reconcile/run-reconcile';
import { tenderClassesSql } from '../../../src/main/reconcile/runs/tender-filter';
import { migrate } from '../../../src/main/store/migrate';
import { MIGRATIONS } from '../../../src/main/store/migrations';
import { answersOpenedReadOnly, demoWorkspaceAt, insertBareRun, storedRunAnswers } from './stored-run-answers';

/**
 * Migration 024: a result's one NetSuite record is stored in its row (`results.netsuite_refund_id`),
 * two or more in `result_netsuite_records`; readers read the view over both. A run stored before
 * reads the same after the migration, and a run stored after reads as one stored before.
 */

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'migration-024-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const QUERIES: Record<string, unknown>[] = [
  { sort: 'severity', direction: 'desc' },
  { sort: 'orderRef', direction: 'asc' },
  { tenderClasses: ['money'] },
  { tenderClasses: ['stored_value', 'exchange'] },
  { tenderClasses: ['other'] },
  { tenderProblem: 'any' },
];

const answers = (db: Database.Database, runId: number) => storedRunAnswers(db, runId, QUERIES);

describe('migration 024: the one NetSuite record in the result row', () => {
  it('reads a run stored before it the same after it, and a run stored after it the same again', async () => {
    const file = path.join(tmp, 'a.sqlite');
    const { db, sfId, nsId } = await demoWorkspaceAt(file, 22);
    const before = compareSnapshots(db, { storefrontSnapshotId: sfId, netsuiteSnapshotId: nsId }).runId!;
    const linksBefore = (db.prepare('SELECT count(*) AS n FROM result_netsuite_records').get() as { n: number }).n;
    expect(linksBefore).toBeGreaterThan(0);
    const old = answers(db, before);
    // Some results have one NetSuite record, some several (Credit Memo and Customer Refund).
    expect(old.perResult.some((r) => r.netsuite.length === 1)).toBe(true);
    expect(old.perResult.some((r) => r.netsuite.length > 1)).toBe(true);
    expect(old.pages[2]!.rows.length).toBeGreaterThan(0);

    // To 024 only: from 025 a second record is in the row too (migration-025.test.ts).
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version <= 24),
    );
    expect(db.pragma('user_version', { simple: true })).toBe(24);
    expect(answers(db, before)).toEqual(old);
    // The old run's links stay where they were written.
    expect((db.prepare('SELECT count(*) AS n FROM result_netsuite_records').get() as { n: number }).n).toBe(
      linksBefore,
    );

    const after = compareSnapshots(db, { storefrontSnapshotId: sfId, netsuiteSnapshotId: nsId }).runId!;
    const fresh = answers(db, after);
    expect(fresh).toEqual(old);
    // The new run: one NetSuite record in the row, no link row for it; several only in the table.
    const split = db
      .prepare(
        `SELECT count(r.netsuite_refund_id) AS inRow,
                (SELECT count(*) FROM result_netsuite_records l JOIN results x ON x.id = l.result_id WHERE x.run_id = ?) AS linked,
                (SELECT count(*) FROM result_netsuite_records l JOIN results x ON x.id = l.result_id
                  WHERE x.run_id = ? AND x.netsuite_refund_id IS NOT NULL) AS both
           FROM results r WHERE r.run_id = ?`,
      )
      .get(after, after, after) as { inRow: number; linked: number; both: number };
    expect(split.inRow).toBe(fresh.perResult.filter((r) => r.netsuite.length === 1).length);
    expect(split.linked).toBe(
      fresh.perResult.filter((r) => r.netsuite.length > 1).reduce((n, r) => n + r.netsuite.length, 0),
    );
    expect(split.both).toBe(0);
    // Every NetSuite record of the new run is listed once by the view.
    const view = db
      .prepare(
        `SELECT count(*) AS n, count(DISTINCT l.refund_id) AS d FROM result_netsuite_refunds l
           JOIN results r ON r.id = l.result_id WHERE r.run_id = ?`,
      )
      .get(after) as { n: number; d: number };
    expect(view.n).toBe(view.d);
    expect(view.n).toBe(linksBefore);

    // Deleting the new run leaves nothing of it behind; the old one reads the same.
    db.prepare('DELETE FROM comparison_runs WHERE id = ?').run(after);
    expect(db.prepare('SELECT count(*) AS n FROM result_netsuite_refunds').get()).toEqual({ n: linksBefore });
    expect(answers(db, before)).toEqual(old);
    db.close();
  });

  it('reads a workspace opened read-only at an older schema from its links table', async () => {
    const file = path.join(tmp, 'b.sqlite');
    const { version, old, now } = await answersOpenedReadOnly(file, 22, answers);
    expect(version).toBe(22);
    expect(now).toEqual(old);
  });

  it('finds a result by its NetSuite record’s tender class whether the record is in the row or linked', async () => {
    const { db, sfId, nsId } = await demoWorkspaceAt(':memory:', 24);
    const runId = insertBareRun(db, sfId, nsId);
    // Two results with no storefront side and no stored split (the tender filter reads the records):
    // one with its NetSuite record in the row, one with it in the links table.
    const [a, b] = db.prepare('SELECT id FROM refunds WHERE snapshot_id = ? ORDER BY id LIMIT 2').all(nsId) as Array<{
      id: number;
    }>;
    const insert = db.prepare(
      "INSERT INTO results (id, run_id, result_key, code, severity, currency, netsuite_refund_id) VALUES (?, ?, ?, 'missing_in_storefront', 'error', 'USD', ?)",
    );
    insert.run(1, runId, 'ns:a', a!.id);
    insert.run(2, runId, 'ns:b', null);
    db.prepare('INSERT INTO result_netsuite_records (result_id, refund_id) VALUES (2, ?)').run(b!.id);
    const found = (classes: Array<'money' | 'other'>) => {
      const part = tenderClassesSql(runId, classes, 24);
      return (
        db
          .prepare(`SELECT r.id FROM results r WHERE r.run_id = ? AND ${part.sql} ORDER BY r.id`)
          .all(runId, ...part.params) as Array<{
          id: number;
        }>
      ).map((r) => r.id);
    };
    expect(found(['money', 'other'])).toEqual([1, 2]);
    db.close();
  });
});
