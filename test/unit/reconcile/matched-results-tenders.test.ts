import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { compareSnapshots } from '../../../src/main/reconcile/run-reconcile';
import { resultDetail } from '../../../src/main/reconcile/runs/detail';
import { resultTendersByIds } from '../../../src/main/reconcile/runs/result-tenders';
import { openWorkspace } from '../../../src/main/store/open';
import { runCli } from '../../support/run-cli-in-process';
import { tenderCaseArgs } from '../../support/tender-cases';
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
  // Every result a `results` row (the writer's switch for tests); then moved in SQL.
  vi.stubEnv('REFUND_RECON_COMPACT_RESULTS', '0');
  full = compare();
  dropped = compare();
  vi.unstubAllEnvs();
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
function perResult(runId: number, on: Database.Database = db): Map<string, unknown> {
  const db = on;
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

/**
 * The tenders.md §7 case files stored as the CLI stores them (mapping, disputes, as of
 * 2026-03-20), then the same comparison again with its split-carrying matches moved.
 */
describe('tender text of matched results, dropped: the §7 tender cases', () => {
  let dir: string;
  let cases: Database.Database;
  let stored: number;
  let moved: number;
  /** The same comparison stored by the writer (its compact rows and their tender classes). */
  let written: number;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-compact-tenders-'));
    const ws = path.join(dir, 'w.sqlite');
    vi.stubEnv('REFUND_RECON_COMPACT_RESULTS', '0');
    await runCli([...tenderCaseArgs(dir), '--workspace', ws, '--format', 'json', '--out', path.join(dir, 'out.json')]);
    cases = openWorkspace(ws);
    const run = cases.prepare('SELECT * FROM comparison_runs ORDER BY id DESC LIMIT 1').get() as {
      id: number;
      storefront_snapshot_id: number;
      netsuite_snapshot_id: number;
      rules: string;
    };
    stored = run.id;
    moved = compareSnapshots(cases, {
      storefrontSnapshotId: run.storefront_snapshot_id,
      netsuiteSnapshotId: run.netsuite_snapshot_id,
      rules: JSON.parse(run.rules),
    }).runId!;
    vi.unstubAllEnvs();
    compactStoredRun(cases, moved, { dropTenderText: true });
    written = compareSnapshots(cases, {
      storefrontSnapshotId: run.storefront_snapshot_id,
      netsuiteSnapshotId: run.netsuite_snapshot_id,
      rules: JSON.parse(run.rules),
    }).runId!;
  }, 120_000);
  afterAll(() => {
    cases?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('moves matches whose split was stored (orders #1002, #1010, #1030 among them)', () => {
    const n = cases
      .prepare(
        "SELECT count(*) AS n FROM results WHERE run_id = ? AND code = 'matched' AND tenders IS NOT NULL AND result_key IN (SELECT 'sf:' || sf.source_id FROM matched_results m JOIN refunds sf ON sf.id = m.storefront_refund_id WHERE m.run_id = ?)",
      )
      .get(stored, moved) as { n: number };
    expect(n.n).toBeGreaterThanOrEqual(3);
  });

  it('every result’s detail and tender split are the same both ways', () => {
    const a = perResult(stored, cases);
    const b = perResult(moved, cases);
    expect(b.size).toBe(a.size);
    for (const [key, answer] of a) expect(b.get(key), key).toEqual(answer);
  });

  it('the tender problem filter answers the same both ways', () => {
    expect(walkReview(cases, moved, { tenderProblem: 'any' })).toEqual(
      walkReview(cases, stored, { tenderProblem: 'any' }),
    );
  });

  // Without the stored split the records alone would answer unmapped and unresolved — order #1002's
  // Credit Memo pays out an `other` tender that its Customer Refund's card resolves (split: money
  // only): the compact row's `tender_classes` answers instead (docs/benchmarks/reconcile.md, p9-cclass).
  it('the tender class filter gives a compact row the classes of its split', () => {
    for (const tenderClasses of [['money'], ['stored_value'], ['exchange'], ['other']]) {
      expect(walkReview(cases, moved, { tenderClasses }), tenderClasses[0]).toEqual(
        walkReview(cases, stored, { tenderClasses }),
      );
    }
  });

  it('the writer keeps the classes of the splits it drops: the class filter and every split agree', () => {
    const kept = cases
      .prepare(
        "SELECT count(*) AS n FROM matched_results m JOIN refunds sf ON sf.id = m.storefront_refund_id WHERE m.run_id = ? AND m.tender_classes IS NOT NULL AND 'sf:' || sf.source_id IN (SELECT result_key FROM results WHERE run_id = ? AND tenders IS NOT NULL)",
      )
      .get(written, stored) as { n: number };
    expect(kept.n).toBeGreaterThanOrEqual(3);
    const classesOf = (runId: number) =>
      new Map(
        (
          cases
            .prepare(
              "SELECT 'sf:' || sf.source_id AS k, m.tender_classes AS c FROM matched_results m JOIN refunds sf ON sf.id = m.storefront_refund_id WHERE m.run_id = ?",
            )
            .all(runId) as Array<{ k: string; c: number | null }>
        ).map((r) => [r.k, r.c]),
      );
    // The writer's bits (from the split it computes) equal the SQL rule's (from the stored text).
    expect(classesOf(written)).toEqual(classesOf(moved));
    for (const tenderClasses of [['money'], ['stored_value'], ['exchange'], ['other']]) {
      expect(walkReview(cases, written, { tenderClasses }), tenderClasses[0]).toEqual(
        walkReview(cases, stored, { tenderClasses }),
      );
    }
    const a = perResult(stored, cases);
    const b = perResult(written, cases);
    for (const [key, answer] of a) expect(b.get(key), key).toEqual(answer);
  });
});
