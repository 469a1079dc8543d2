import type Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CaseKind } from '../../../src/main/demo/cases';
import { compareSnapshots } from '../../../src/main/reconcile/run-reconcile';
import { ResultWriter } from '../../../src/main/reconcile/runs/writer';
import type { CanonicalRefund } from '../../../src/shared/model';
import { bent, casesWorkspace, inputs, KINDS } from './bent-cases';
import { fromCases } from './helpers';

/**
 * The run writer takes plain pairs as batches (`ResultWriter.addPlain`, the app's compare: nothing
 * but the run takes the results) and writes most as compact rows straight from the match columns.
 * The run it stores must be the run stored from the result objects (`keepResults`: the engine
 * hands each plain pair to `add` as `Engine.plainResult`): every row of `results`,
 * `matched_results`, the links, the side amounts, the run totals and the summary, ids counted from
 * the run's first.
 */

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const rows = (db: Database.Database, sql: string, runId: number) =>
  db.prepare(sql).all(runId) as Record<string, unknown>[];

/** Every stored row of a run, ids relative to its first result's, run ids left out. */
function storedRun(db: Database.Database, runId: number) {
  const first = db
    .prepare(
      'SELECT min(id) FROM (SELECT id FROM results WHERE run_id = ? UNION ALL SELECT id FROM matched_results WHERE run_id = ?)',
    )
    .pluck()
    .get(runId, runId) as number;
  const rel = (list: Record<string, unknown>[], ...idColumns: string[]) =>
    list.map((row) => {
      const { run_id: _run, ...rest } = row;
      for (const c of idColumns) rest[c] = (rest[c] as number) - first;
      return rest;
    });
  return {
    results: rel(rows(db, 'SELECT * FROM results WHERE run_id = ? ORDER BY id', runId), 'id'),
    matched: rel(rows(db, 'SELECT * FROM matched_results WHERE run_id = ? ORDER BY id', runId), 'id'),
    links: rel(
      rows(
        db,
        `SELECT l.result_id, l.refund_id FROM result_netsuite_records l JOIN results r ON r.id = l.result_id
         WHERE r.run_id = ? ORDER BY 1, 2`,
        runId,
      ),
      'result_id',
    ),
    sides: rel(
      rows(
        db,
        `SELECT a.result_id, a.side, a.currency, a.amount FROM result_side_amounts a JOIN results r ON r.id = a.result_id
         WHERE r.run_id = ? ORDER BY 1, 2, 3`,
        runId,
      ),
      'result_id',
    ),
    totals: rel(rows(db, 'SELECT * FROM run_result_totals WHERE run_id = ? ORDER BY currency', runId)),
    summary: db.prepare('SELECT summary, rules, status FROM comparison_runs WHERE id = ?').get(runId),
  };
}

async function workspace(sf: CanonicalRefund[], ns: CanonicalRefund[], tamper?: (db: Database.Database) => void) {
  const { db, sfId, nsId } = await casesWorkspace(sf, ns);
  tamper?.(db);
  const ids = { storefrontSnapshotId: sfId, netsuiteSnapshotId: nsId };
  return { db, compare: (keepResults: boolean) => compareSnapshots(db, ids, { keepResults }).runId! };
}

/** The run stored from batches and from objects, both ways; how many plain pairs came as batches. */
async function bothWays(sf: CanonicalRefund[], ns: CanonicalRefund[], tamper?: (db: Database.Database) => void) {
  const { db, compare } = await workspace(sf, ns, tamper);
  let batched = 0;
  const addPlain = ResultWriter.prototype.addPlain;
  vi.spyOn(ResultWriter.prototype, 'addPlain').mockImplementation(function (this: ResultWriter, batch) {
    batched += batch.end - batch.start;
    addPlain.call(this, batch);
  });
  const fromObjects = compare(true);
  expect(batched).toBe(0);
  const fromBatches = compare(false);
  const stored = { objects: storedRun(db, fromObjects), batches: storedRun(db, fromBatches) };
  db.close();
  vi.restoreAllMocks();
  return { ...stored, batched };
}

describe('the run writer’s plain batches', () => {
  it('store the run the result objects store (bent cases)', async () => {
    let batched = 0;
    let compact = 0;
    let kept = 0;
    await fc.assert(
      fc.asyncProperty(inputs, async (input) => {
        const { sf, ns } = bent(input);
        const run = await bothWays(sf, ns);
        expect(run.batches).toEqual(run.objects);
        batched += run.batched;
        compact += run.batches.matched.length;
        kept += run.batches.results.filter((r) => r.code === 'matched').length;
      }),
      { numRuns: 60, seed: 1511 },
    );
    // Plain pairs came as batches, and both sides of the compact rule were met.
    expect(batched).toBeGreaterThan(20);
    expect(compact).toBeGreaterThan(batched);
    expect(kept).toBeGreaterThan(5);
  }, 120_000);

  it('across flushes and statements (thousands of results, plain pairs between the others)', async () => {
    const kinds = fc.sample(fc.constantFrom<CaseKind>(...KINDS, 'matched_full', 'matched_full', 'matched_partial'), {
      numRuns: 3000,
      seed: 15,
    });
    const { storefront, netsuite } = fromCases(kinds, 11);
    // Every 97th storefront refund without a reference (kept in `results`), every 89th a line-item
    // refund without lines (compared on its total only).
    const sf = storefront.map((r, i) =>
      i % 97 === 0 ? { ...r, orderRef: '' } : i % 89 === 0 ? { ...r, kind: 'line_item' as const, lines: [] } : r,
    );
    const run = await bothWays(sf, netsuite);
    expect(run.batched).toBeGreaterThan(1000);
    expect(run.batches.results.length).toBeGreaterThan(100);
    expect(run.batches.results.length + run.batches.matched.length).toBeGreaterThan(2048);
    expect(run.batches).toEqual(run.objects);
  }, 120_000);

  it('keep a pair in `results` whose stored order key its reference does not give (an older rule)', async () => {
    const { storefront, netsuite } = fromCases(['matched_full', 'matched_partial', 'matched_full']);
    const run = await bothWays(storefront, netsuite, (db) => {
      // Keys of another rule on one order (both sides: still a plain pair), read without the match index.
      const key = db.prepare('SELECT order_key FROM refunds ORDER BY id LIMIT 1').pluck().get() as string;
      db.prepare("UPDATE refunds SET order_key = 'OLD-' || order_key WHERE order_key = ?").run(key);
      db.prepare('DELETE FROM snapshot_match_cache').run();
    });
    expect(run.batched).toBeGreaterThan(0);
    expect(run.batches.results.filter((r) => String(r.order_key).startsWith('OLD-'))).toHaveLength(1);
    expect(run.batches).toEqual(run.objects);
  });

  it('store every plain pair in `results` when compact rows are off', async () => {
    vi.stubEnv('REFUND_RECON_COMPACT_RESULTS', '0');
    const { storefront, netsuite } = fromCases(['matched_full', 'matched_partial', 'amount_mismatch', 'matched_full']);
    const run = await bothWays(storefront, netsuite);
    expect(run.batched).toBeGreaterThan(0);
    expect(run.batches.matched).toEqual([]);
    expect(run.batches).toEqual(run.objects);
  });
});
