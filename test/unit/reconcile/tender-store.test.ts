import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../../src/main/importers/import-file';
import { readDisputesFile } from '../../../src/main/importers/shopify-disputes';
import { reconcile } from '../../../src/main/reconcile/engine';
import { hintFor } from '../../../src/main/reconcile/hints';
import { compareSnapshots } from '../../../src/main/reconcile/run-reconcile';
import { resultDetail } from '../../../src/main/reconcile/runs/detail';
import { readDisputes, writeDisputes } from '../../../src/main/store/disputes';
import { migrate } from '../../../src/main/store/migrate';
import { MIGRATIONS } from '../../../src/main/store/migrations';
import { openWorkspace } from '../../../src/main/store/open';
import { readSnapshotRefunds } from '../../../src/main/store/refunds';
import { deleteSnapshot } from '../../../src/main/store/snapshot-delete';

/**
 * Tenders through the workspace (tenders.md §2, §3.1, §6): the matcher's columns carry them (the
 * stored comparison gives the codes of the in-memory engine), disputes are stored with the
 * storefront snapshot (migration 016), and a stored run's detail returns the tender split.
 */

const DIR = path.join(__dirname, '..', '..', 'fixtures', 'tenders');
const cases = (name: string) => path.join(DIR, 'cases', name);
const RULES = { tolerance: { default: '0.01', byCurrency: {} }, asOf: '2026-03-20' };

async function workspace() {
  const db = openWorkspace(':memory:');
  const sf = await importFile(db, { file: cases('shopify-orders.json'), side: 'storefront', format: 'shopify-json' });
  const ns = await importFile(db, {
    file: cases('netsuite-records.json'),
    side: 'netsuite',
    format: 'record-json',
    mapping: path.join(DIR, 'mapping.json'),
  });
  return { db, sfId: sf.snapshotId, nsId: ns.snapshotId };
}

describe('tenders through the workspace', () => {
  it('the stored comparison (match columns, cache) gives the codes and hints of the in-memory engine', async () => {
    const { db, sfId, nsId } = await workspace();
    const disputes = readDisputesFile(cases('disputes-graphql.json'));
    expect(writeDisputes(db, sfId, disputes)).toEqual([]);
    const memory = reconcile(readSnapshotRefunds(db, sfId), readSnapshotRefunds(db, nsId), RULES, { disputes });
    const codes = (rs: typeof memory.results) => rs.map((r) => `${r.key} ${r.code} ${r.severity}`).sort();
    for (const pass of ['read', 'cached']) {
      const stored = compareSnapshots(db, { storefrontSnapshotId: sfId, netsuiteSnapshotId: nsId, rules: RULES });
      expect(codes(stored.output.results), pass).toEqual(codes(memory.results));
      const hint = (rs: typeof memory.results, key: string) => hintFor(rs.find((r) => r.key === key)!);
      for (const key of ['sf:5004', 'sf:5006', 'sf:5009', 'ns:3026', 'sf:5027']) {
        expect(hint(stored.output.results, key), `${pass} ${key}`).toBe(hint(memory.results, key));
      }
      expect(stored.output.summary.byClass).toEqual(memory.summary.byClass);
    }
  });

  it('a stored run keeps each result’s tender split; run detail returns it', async () => {
    const { db, sfId, nsId } = await workspace();
    const { runId } = compareSnapshots(db, { storefrontSnapshotId: sfId, netsuiteSnapshotId: nsId, rules: RULES });
    // A result's id by its key, stored in full or as a compact row (migration 026).
    const id = (key: string) =>
      (
        db
          .prepare(
            `SELECT id FROM results WHERE run_id = @runId AND result_key = @key
             UNION ALL SELECT m.id FROM matched_results m JOIN refunds sf ON sf.id = m.storefront_refund_id
             WHERE m.run_id = @runId AND 'sf:' || sf.source_id = @key`,
          )
          .get({ runId, key }) as { id: number }
      ).id;
    const mismatch = resultDetail(db, id('sf:5006'));
    expect(mismatch.row.code).toBe('tender_mismatch');
    expect(mismatch.tenders).toMatchObject({
      byClass: [
        { class: 'money', storefront: '0.00', netsuite: '50.00' },
        { class: 'stored_value', storefront: '50.00', netsuite: '0.00' },
      ],
      detail: {
        storefront: [{ kind: 'store_credit', gateway: 'shopify_store_credit', amount: '50.00', ref: '9006' }],
        netsuite: [{ kind: 'card', gateway: 'VISA', amount: '50.00', state: 'paid_out' }],
      },
      exchange: null,
      dispute: null,
    });
    // A plain match stores no tender text; its detail rebuilds the split from the records.
    const plain = id('sf:5001');
    expect(db.prepare('SELECT tenders FROM results WHERE id = ?').pluck().get(plain) ?? null).toBeNull();
    expect(resultDetail(db, plain).tenders!.byClass).toEqual([
      { class: 'money', storefront: '50.00', netsuite: '50.00' },
    ]);
    // The run's rules keep asOf and the payout days: re-reading repeats the result.
    const rules = JSON.parse(db.prepare('SELECT rules FROM comparison_runs WHERE id = ?').pluck().get(runId) as string);
    expect(rules).toMatchObject({ asOf: '2026-03-20', creditPayoutDays: 7 });
  });

  it('without --as-of the run is aged against the NetSuite snapshot’s capture date', async () => {
    const { db, sfId, nsId } = await workspace();
    db.prepare("UPDATE snapshots SET created_at = '2026-03-21T08:00:00.000Z' WHERE id = ?").run(nsId);
    const out = compareSnapshots(db, { storefrontSnapshotId: sfId, netsuiteSnapshotId: nsId }, { store: false });
    expect(out.rules.asOf).toBe('2026-03-21');
    expect(out.output.results.find((r) => r.key === 'sf:5003')!.code).toBe('matched');
  });
});

describe('migration 016 and the disputes store', () => {
  it('adds the disputes table and results.tenders to a workspace at 015 holding a run; disputes go with their snapshot', async () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version < 16),
    );
    const sf = await importFile(db, { file: cases('shopify-orders.json'), side: 'storefront', format: 'shopify-json' });
    const ns = await importFile(db, { file: cases('netsuite-records.json'), side: 'netsuite', format: 'record-json' });
    const before = compareSnapshots(db, { storefrontSnapshotId: sf.snapshotId, netsuiteSnapshotId: ns.snapshotId });
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    const cols = (db.prepare("SELECT name FROM pragma_table_info('results')").all() as Array<{ name: string }>).map(
      (c) => c.name,
    );
    expect(cols).toContain('tenders');
    // The run stored before the migration still opens; its tenders are rebuilt from the records.
    const old = db
      .prepare('SELECT id FROM results WHERE run_id = ? AND result_key = ?')
      .pluck()
      .get(before.runId, 'sf:5006');
    expect(resultDetail(db, old as number).tenders!.byClass.length).toBeGreaterThan(0);
    const unresolved = writeDisputes(db, sf.snapshotId, readDisputesFile(cases('disputes-rest.json')));
    // REST disputes name orders by id; this snapshot knows its orders by name only.
    expect(unresolved).toEqual(['1026001', '1028001']);
    writeDisputes(db, sf.snapshotId, readDisputesFile(cases('disputes-graphql.json')));
    expect(readDisputes(db, [sf.snapshotId]).map((d) => [d.id, d.orderRef, d.status])).toEqual([
      ['1026001', '#1026', 'lost'],
      ['1027001', '#1027', 'under_review'],
      ['1028001', '#1028', 'won'],
      ['1029001', '#1029', 'needs_response'],
    ]);
    db.prepare('DELETE FROM results').run();
    db.prepare('DELETE FROM comparison_runs').run();
    expect(deleteSnapshot(db, sf.snapshotId)).toBe(true);
    expect(db.prepare('SELECT COUNT(*) FROM disputes').pluck().get()).toBe(0);
  });

  it('reads REST disputes (lower-case, order_id) and GraphQL nodes (upper-case, order name) alike', () => {
    const rest = readDisputesFile(cases('disputes-rest.json'));
    expect(rest[0]).toEqual({
      id: '1026001',
      orderRef: '450789469026',
      orderId: '450789469026',
      type: 'chargeback',
      status: 'lost',
      amount: 8000,
      currency: 'USD',
      initiatedAt: '2026-02-25',
      finalizedOn: '2026-03-15',
    });
    const gql = readDisputesFile(cases('disputes-graphql.json'));
    expect(gql.find((d) => d.id === '1029001')).toMatchObject({
      orderRef: '#1029',
      type: 'inquiry',
      status: 'needs_response',
    });
  });
});
