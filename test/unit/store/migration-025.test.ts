import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { compareSnapshots } from '../../../src/main/reconcile/run-reconcile';
import { tenderClassesSql } from '../../../src/main/reconcile/runs/tender-filter';
import { migrate } from '../../../src/main/store/migrate';
import { MIGRATIONS } from '../../../src/main/store/migrations';
import {
  answersOpenedReadOnly,
  demoWorkspaceAt,
  insertBareRun,
  REVIEW_QUERIES,
  storedRunAnswers,
} from './stored-run-answers';

/**
 * Migration 025: a result's second NetSuite record is stored in its row too
 * (`results.netsuite_refund_id_2`), three or more in `result_netsuite_records`; readers read the
 * view over the three places. A run stored at 024 (its pairs in the links table) reads the same
 * after the migration, and a run stored after it reads as the one stored before.
 */

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'migration-025-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const answers = (db: Database.Database, runId: number) => storedRunAnswers(db, runId, REVIEW_QUERIES);

const count = (db: Database.Database, sql: string, ...params: unknown[]) =>
  (db.prepare(sql).get(...params) as { n: number }).n;

describe('migration 025: a second NetSuite record in the result row', () => {
  it('reads a run stored at 024 the same after it, and a run stored after it the same again', async () => {
    const file = path.join(tmp, 'a.sqlite');
    const { db, sfId, nsId } = await demoWorkspaceAt(file, 24);
    const before = compareSnapshots(db, { storefrontSnapshotId: sfId, netsuiteSnapshotId: nsId }).runId!;
    const linksBefore = count(db, 'SELECT count(*) AS n FROM result_netsuite_records');
    const old = answers(db, before);
    // Some results have two NetSuite records (Credit Memo and Customer Refund): at 024, linked.
    const pairs = old.perResult.filter((r) => r.netsuite.length === 2).length;
    expect(pairs).toBeGreaterThan(0);
    expect(linksBefore).toBeGreaterThanOrEqual(2 * pairs);
    expect(old.pages[5]!.rows.length).toBeGreaterThan(0);

    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect(answers(db, before)).toEqual(old);
    // The old run's links stay where they were written.
    expect(count(db, 'SELECT count(*) AS n FROM result_netsuite_records')).toBe(linksBefore);

    // The new run all in `results` (the writer's switch): this test is about that table's columns.
    vi.stubEnv('REFUND_RECON_COMPACT_RESULTS', '0');
    const after = compareSnapshots(db, { storefrontSnapshotId: sfId, netsuiteSnapshotId: nsId }).runId!;
    vi.unstubAllEnvs();
    const fresh = answers(db, after);
    expect(fresh).toEqual(old);
    // The new run: one or two NetSuite records in the row, only three or more in the table.
    const inRow = count(
      db,
      'SELECT count(netsuite_refund_id) + count(netsuite_refund_id_2) AS n FROM results WHERE run_id = ?',
      after,
    );
    const linked = count(
      db,
      'SELECT count(*) AS n FROM result_netsuite_records l JOIN results x ON x.id = l.result_id WHERE x.run_id = ?',
      after,
    );
    const few = fresh.perResult.filter((r) => r.netsuite.length <= 2);
    expect(inRow).toBe(few.reduce((n, r) => n + r.netsuite.length, 0));
    expect(linked).toBe(
      fresh.perResult.filter((r) => r.netsuite.length > 2).reduce((n, r) => n + r.netsuite.length, 0),
    );
    expect(
      count(
        db,
        `SELECT count(*) AS n FROM results WHERE run_id = ? AND netsuite_refund_id_2 IS NOT NULL
           AND (netsuite_refund_id IS NULL OR netsuite_refund_id = netsuite_refund_id_2)`,
        after,
      ),
    ).toBe(0);
    // Every NetSuite record of the new run is listed once by the view.
    const view = db
      .prepare(
        `SELECT count(*) AS n, count(DISTINCT l.refund_id) AS d FROM result_netsuite_refunds l
           JOIN results r ON r.id = l.result_id WHERE r.run_id = ?`,
      )
      .get(after) as { n: number; d: number };
    expect(view.n).toBe(view.d);
    expect(view.n).toBe(
      linksBefore + count(db, 'SELECT count(netsuite_refund_id) AS n FROM results WHERE run_id = ?', before),
    );

    // Deleting the new run leaves nothing of it behind; the old one reads the same.
    db.prepare('DELETE FROM comparison_runs WHERE id = ?').run(after);
    expect(count(db, 'SELECT count(*) AS n FROM result_netsuite_refunds')).toBe(view.n);
    expect(answers(db, before)).toEqual(old);
    db.close();
  });

  it('reads a workspace opened read-only at 024 as before', async () => {
    const file = path.join(tmp, 'b.sqlite');
    const { version, old, now } = await answersOpenedReadOnly(file, 24, answers);
    expect(version).toBe(24);
    expect(now).toEqual(old);
  });

  it('finds a result by its second NetSuite record’s tender class', async () => {
    const { db, sfId, nsId } = await demoWorkspaceAt(':memory:', 25);
    const runId = insertBareRun(db, sfId, nsId);
    // A record of class `other` (no tenders) and one with a money tender, if the demo has one.
    const other = db
      .prepare('SELECT id FROM refunds WHERE snapshot_id = ? AND tenders IS NULL ORDER BY id LIMIT 1')
      .get(nsId) as { id: number };
    const money = db
      .prepare(
        `SELECT id FROM refunds WHERE snapshot_id = ? AND (instr(tenders, '"kind":"card"') > 0 OR instr(tenders, '"kind":"cash"') > 0) ORDER BY id LIMIT 1`,
      )
      .get(nsId) as { id: number } | undefined;
    const insert = db.prepare(
      "INSERT INTO results (id, run_id, result_key, code, severity, currency, netsuite_refund_id, netsuite_refund_id_2) VALUES (?, ?, ?, 'missing_in_storefront', 'error', 'USD', ?, ?)",
    );
    // Result 1: the `other` record first; result 2: it second, behind a money record (or nothing).
    insert.run(1, runId, 'ns:a', other.id, null);
    insert.run(2, runId, 'ns:b', money?.id ?? null, other.id);
    const found = (classes: Array<'money' | 'other'>) => {
      const part = tenderClassesSql(runId, classes, 25);
      return (
        db
          .prepare(`SELECT r.id FROM results r WHERE r.run_id = ? AND ${part.sql} ORDER BY r.id`)
          .all(runId, ...part.params) as Array<{ id: number }>
      ).map((r) => r.id);
    };
    expect(found(['other'])).toEqual([1, 2]);
    db.close();
  });
});
