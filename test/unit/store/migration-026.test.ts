import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { compareSnapshots } from '../../../src/main/reconcile/run-reconcile';
import {
  countMatchedResults,
  hasMatchedResults,
  MATCHED_BY_CODES,
  matchedByCode,
  matchedBySql,
  maxMatchedResultId,
} from '../../../src/main/reconcile/runs/matched-results';
import { migrate } from '../../../src/main/store/migrate';
import { MIGRATIONS } from '../../../src/main/store/migrations';
import { openWorkspace } from '../../../src/main/store/open';
import { demoWorkspaceAt, REVIEW_QUERIES, storedRunAnswers } from './stored-run-answers';

/**
 * Migration 026: the table of matched results stored as ids (`matched_results`). It only adds the
 * table: a run stored at 025 reads the same after it, a run stored after it reads as the one
 * before; ids stay one space over both tables; deleting a run deletes its rows there too.
 */

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'migration-026-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const answers = (db: Database.Database, runId: number) => storedRunAnswers(db, runId, REVIEW_QUERIES);

const count = (db: Database.Database, sql: string, ...params: unknown[]) =>
  (db.prepare(sql).get(...params) as { n: number }).n;

const compare = (db: Database.Database, sfId: number, nsId: number) =>
  compareSnapshots(db, { storefrontSnapshotId: sfId, netsuiteSnapshotId: nsId }).runId!;

describe('migration 026: matched results stored as ids', () => {
  it('reads a run stored at 025 the same after it, and a run stored after it the same again', async () => {
    const { db, sfId, nsId } = await demoWorkspaceAt(path.join(tmp, 'a.sqlite'), 25);
    const before = compare(db, sfId, nsId);
    const old = answers(db, before);
    expect(old.perResult.length).toBeGreaterThan(0);
    expect(hasMatchedResults(db)).toBe(false);
    expect(maxMatchedResultId(db)).toBe(0);

    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect(hasMatchedResults(db)).toBe(true);
    expect(answers(db, before)).toEqual(old);

    const after = compare(db, sfId, nsId);
    expect(answers(db, after)).toEqual(old);
    db.close();
  });

  it('keeps one id space over both tables and deletes a run’s rows with the run', async () => {
    const { db, sfId, nsId } = await demoWorkspaceAt(':memory:', 26);
    const first = compare(db, sfId, nsId);
    // The writer stores some of the run as compact rows: ids over both tables.
    const written = countMatchedResults(db, first);
    expect(written).toBeGreaterThan(0);
    const maxResult = Math.max(count(db, 'SELECT max(id) AS n FROM results'), maxMatchedResultId(db));
    const sf = count(db, 'SELECT min(id) AS n FROM refunds WHERE snapshot_id = ?', sfId);
    const ns = count(db, 'SELECT min(id) AS n FROM refunds WHERE snapshot_id = ?', nsId);
    // A row of the first run above every result id: the next run's ids start after it.
    const insert = db.prepare(
      "INSERT INTO matched_results (id, run_id, storefront_refund_id, netsuite_refund_id, matched_by, currency, total) VALUES (?, ?, ?, ?, ?, 'USD', 0)",
    );
    insert.run(maxResult + 10, first, sf, ns, matchedByCode('order_total'));
    expect(maxMatchedResultId(db)).toBe(maxResult + 10);
    expect(countMatchedResults(db, first)).toBe(written + 1);
    const second = compare(db, sfId, nsId);
    expect(
      count(
        db,
        'SELECT min(id) AS n FROM (SELECT id FROM results WHERE run_id = @run UNION ALL SELECT id FROM matched_results WHERE run_id = @run)',
        { run: second },
      ),
    ).toBe(maxResult + 11);
    insert.run(maxResult + 1_000_000, second, sf, ns, matchedByCode('refund_key'));

    db.prepare('DELETE FROM comparison_runs WHERE id = ?').run(first);
    expect(countMatchedResults(db, first)).toBe(0);
    expect(countMatchedResults(db, second)).toBe(written + 1);
    db.close();
  });

  it('reads the stored rule back by its name', async () => {
    const { db } = await demoWorkspaceAt(':memory:', 26);
    for (const [code, name] of MATCHED_BY_CODES.entries()) {
      expect(matchedByCode(name)).toBe(code);
      expect(db.prepare(`SELECT ${matchedBySql('?')} AS m`).get(code)).toEqual({ m: name });
    }
    db.close();
  });

  it('reads a workspace opened read-only at 025 as before', async () => {
    const file = path.join(tmp, 'b.sqlite');
    const { db, sfId, nsId } = await demoWorkspaceAt(file, 25);
    const runId = compare(db, sfId, nsId);
    const old = answers(db, runId);
    db.close();
    const readonly = openWorkspace(file, { readonly: true });
    expect(readonly.pragma('user_version', { simple: true })).toBe(25);
    expect(hasMatchedResults(readonly)).toBe(false);
    expect(countMatchedResults(readonly, runId)).toBe(0);
    expect(answers(readonly, runId)).toEqual(old);
    readonly.close();
  });
});
