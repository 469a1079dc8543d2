import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { demoCanonical, generateDemo } from '../../../src/main/demo/generate';
import { compareSnapshots } from '../../../src/main/reconcile/run-reconcile';
import { readRefundsByRowIds, readRefundsForMatching } from '../../../src/main/reconcile/snapshot-reader';
import { migrate } from '../../../src/main/store/migrate';
import { MIGRATIONS } from '../../../src/main/store/migrations';
import { readSnapshotRefunds } from '../../../src/main/store/refunds';
import { writeSnapshot } from '../../../src/main/store/snapshot-writer';
import { CanonicalRefund } from '../../../src/shared/model';

const meta = { label: 't', source: 'demo' as const, format: 'canonical-json', importerVersion: 'test' };

describe('migration 015 (tenders) on a workspace holding data', () => {
  it('old refunds read back with one `other` tender of their total; new ones keep theirs', async () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version < 15),
    );
    const { storefront, netsuite } = demoCanonical(generateDemo());
    const sfId = await writeSnapshot(db, { ...meta, side: 'storefront' }, storefront);
    const nsId = await writeSnapshot(db, { ...meta, side: 'netsuite' }, netsuite);
    const before = compareSnapshots(db, { storefrontSnapshotId: sfId, netsuiteSnapshotId: nsId });

    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(15);
    const old = readSnapshotRefunds(db, sfId);
    expect(old.length).toBe(storefront.length);
    for (const r of old) {
      if (r.total > 0) {
        expect(r.tenders).toEqual([
          { kind: 'other', gateway: '', amount: r.total, presentmentAmount: null, state: 'settled', ref: '' },
        ]);
      } else expect(r.tenders).toEqual([]);
      expect(r.recordTotal).toBeNull();
    }
    for (const r of readSnapshotRefunds(db, nsId)) {
      expect(r.recordTotal).toBe(r.total);
      expect(r.applications).toEqual([]);
      if (r.recordType === 'returnAuthorization') expect(r.tenders).toEqual([]);
    }
    // The comparison of old snapshots is unchanged by the migration.
    const after = compareSnapshots(db, { storefrontSnapshotId: sfId, netsuiteSnapshotId: nsId });
    expect(after.output.summary).toEqual(before.output.summary);

    // A new snapshot keeps its tenders and credit detail through writer and both readers.
    const memo = CanonicalRefund.parse({
      side: 'netsuite',
      id: 'CM1',
      recordType: 'creditMemo',
      date: '2026-03-17',
      currency: 'USD',
      total: 5000,
      kind: 'general',
      tenders: [
        { kind: 'card', gateway: 'VISA', amount: 2000, state: 'paid_out', ref: 'CR1' },
        { kind: 'store_credit', gateway: 'open-credit', amount: 3000, state: 'open' },
      ],
      amountRemaining: 3000,
      applications: [{ docType: 'customerRefund', doc: '77', tranId: 'CR1', amount: 2000, date: '2026-03-18' }],
    });
    const newId = await writeSnapshot(db, { ...meta, side: 'netsuite' }, [memo]);
    expect(readSnapshotRefunds(db, newId)).toEqual([memo]);
    const [matching] = readRefundsForMatching(db, newId);
    expect(matching!.tenders).toEqual(memo.tenders);
    expect(readRefundsByRowIds(db, [matching!.rowId])[0]!.applications).toEqual(memo.applications);
  });
});
