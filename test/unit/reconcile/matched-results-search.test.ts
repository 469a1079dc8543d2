import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { compareSnapshots } from '../../../src/main/reconcile/run-reconcile';
import { compactSearchRowsSql, maxSearchIndexedId } from '../../../src/main/reconcile/runs/search-index';
import { openWorkspace } from '../../../src/main/store/open';
import { compactStoredRun } from '../store/compact-stored-run';
import { demoWorkspaceAt, insertBareRun } from '../store/stored-run-answers';
import { keysById, walkReview } from './review-walk';

/**
 * The review's search over matched results stored as ids (migration 026): a compact row is in the
 * search index under its id with the text the writer would have stored, so a search gives the same
 * pages, counts and totals on a run stored both ways — through the index, and through the scan
 * used for terms under three characters or a workspace that cannot be written.
 */

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'compact-search-'));
let db: Database.Database;
let sfId: number;
let nsId: number;
let full: number;
let compact: number;

const compare = () => compareSnapshots(db, { storefrontSnapshotId: sfId, netsuiteSnapshotId: nsId }).runId!;

beforeAll(async () => {
  const demo = await demoWorkspaceAt(path.join(tmp, 'w.sqlite'), 26);
  ({ db, sfId, nsId } = demo);
  // Capitals outside ASCII: the writer lower-cases them with JavaScript, SQLite's lower() would not.
  db.prepare("UPDATE refunds SET order_ref = 'ÉTÉ-' || order_ref WHERE snapshot_id = ? AND id % 7 = 0").run(sfId);
  db.prepare(
    "UPDATE refunds SET document_number = 'ÄÖ-' || document_number WHERE snapshot_id = ? AND id % 5 = 0 AND document_number <> ''",
  ).run(nsId);
  // Every result a `results` row (the writer's switch for tests); then moved in SQL.
  vi.stubEnv('REFUND_RECON_COMPACT_RESULTS', '0');
  full = compare();
  compact = compare();
  vi.unstubAllEnvs();
  compactStoredRun(db, compact);
});

afterAll(() => {
  db.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Each compact row's derived search text, by result key. */
function compactTexts(runId: number): Map<string, string> {
  const keys = keysById(db, runId);
  const rows = db.prepare(compactSearchRowsSql(db)).all(runId) as Array<{ id: number; search_text: string }>;
  return new Map(rows.map((r) => [keys.get(r.id)!, r.search_text]));
}

/** Terms found in the compact run's rows: an order ref, a document number, a roll-up's other storefront id. */
function termsOfCompactRows(runId: number): string[] {
  const one = (sql: string) => (db.prepare(sql).get(runId) as { t: string }).t;
  return [
    one(
      "SELECT sf.order_ref AS t FROM matched_results m JOIN refunds sf ON sf.id = m.storefront_refund_id WHERE m.run_id = ? AND sf.order_ref LIKE 'ÉTÉ-%' LIMIT 1",
    ),
    one(
      'SELECT n.document_number AS t FROM matched_results m JOIN refunds n ON n.id = m.netsuite_refund_id WHERE m.run_id = ? ORDER BY m.id DESC LIMIT 1',
    ),
    one(
      `SELECT s.source_id AS t FROM matched_results m JOIN json_each(m.storefront_others) j JOIN refunds s ON s.id = j.value
       WHERE m.run_id = ? LIMIT 1`,
    ),
  ];
}

const SEARCHES = [
  'été-', // non-ASCII, lower case: many rows of both tables
  'ÄÖ-', // non-ASCII capitals in the query
  'zzqqxxnothing', // matches nothing
  'cm', // under three characters: the scan (Credit Memos: no compact row)
  '#1', // under three characters: the scan, compact rows among the hits
  'é', // one non-ASCII character: the scan
];

describe('search over matched results stored as ids', () => {
  it('a compact row’s derived search text is the text the writer stored', () => {
    const stored = new Map(
      (
        db.prepare('SELECT result_key AS k, search_text AS t FROM results WHERE run_id = ?').all(full) as Array<{
          k: string;
          t: string;
        }>
      ).map((r) => [r.k, r.t]),
    );
    const derived = compactTexts(compact);
    expect(derived.size).toBeGreaterThan(10);
    for (const [key, text] of derived) expect(text, key).toBe(stored.get(key));
    const texts = [...derived.values()];
    expect(texts.some((t) => t.includes('été-'))).toBe(true);
    expect(texts.some((t) => t.includes('äö-'))).toBe(true);
  });

  it('searches give the same pages, cursors, counts and totals both ways', () => {
    const compactKeys = new Set(compactTexts(compact).keys());
    for (const search of [...SEARCHES, ...termsOfCompactRows(compact)]) {
      for (const sort of ['severity', 'orderRef', 'date'] as const) {
        const a = walkReview(db, full, { search, sort });
        expect(walkReview(db, compact, { search, sort }), `${search} ${sort}`).toEqual(a);
      }
      const hits = walkReview(db, compact, { search, limit: 500 }).forward.flatMap((p) => p.rows.map((r) => r.id));
      if (search !== 'zzqqxxnothing' && search !== 'cm')
        expect(
          hits.some((k) => compactKeys.has(k!)),
          search,
        ).toBe(true);
    }
    // The compact rows are in the index (the scan was not what answered).
    const indexed = db
      .prepare(
        'SELECT count(*) AS n FROM matched_results m JOIN results_search_docsize d ON d.id = m.id WHERE m.run_id = ?',
      )
      .get(compact) as { n: number };
    expect(indexed.n).toBe(compactKeys.size);
  });

  it('a workspace opened read-only searches compact rows by the scan, with the same answers', () => {
    const unsearched = compare();
    compactStoredRun(db, unsearched);
    const readonly = openWorkspace(path.join(tmp, 'w.sqlite'), { readonly: true });
    try {
      for (const search of ['été-', termsOfCompactRows(unsearched)[1]!]) {
        expect(walkReview(readonly, unsearched, { search }), search).toEqual(walkReview(db, full, { search }));
      }
      expect(db.prepare('SELECT 1 FROM results_search_runs WHERE run_id = ?').get(unsearched)).toBeUndefined();
    } finally {
      readonly.close();
    }
  });

  it('a deleted run’s compact rows never answer for a later run’s results', () => {
    const deleted = compare();
    compactStoredRun(db, deleted);
    const terms = termsOfCompactRows(deleted);
    walkReview(db, deleted, { search: terms[0] });
    const firstId = (
      db.prepare('SELECT min(id) AS m FROM matched_results WHERE run_id = ?').get(deleted) as { m: number }
    ).m;
    db.prepare('DELETE FROM comparison_runs WHERE id = ?').run(deleted);
    // Its compact rows stay in the index (no trigger can rebuild their text to delete them).
    expect(maxSearchIndexedId(db)).toBeGreaterThanOrEqual(firstId);
    // One row at the deleted run's first id: without the writer's rule, the next run's ids would
    // start one after it, each row at an id the deleted run's neighbouring row was indexed under.
    const filler = insertBareRun(db, sfId, nsId);
    db.prepare(
      "INSERT INTO matched_results (id, run_id, storefront_refund_id, netsuite_refund_id, matched_by, currency, total) SELECT ?, ?, storefront_refund_id, netsuite_refund_id, 1, 'USD', 0 FROM results WHERE run_id = ? AND netsuite_refund_id IS NOT NULL LIMIT 1",
    ).run(firstId, filler, full);
    const next = compare();
    compactStoredRun(db, next);
    const ids = db.prepare('SELECT min(id) AS m FROM results WHERE run_id = ?').get(next) as { m: number };
    expect(ids.m).toBeGreaterThan(firstId);
    for (const search of [...terms, ...termsOfCompactRows(next), 'été-']) {
      expect(walkReview(db, next, { search }), search).toEqual(walkReview(db, full, { search }));
    }
  });
});
