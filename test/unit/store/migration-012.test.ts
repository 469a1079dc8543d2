import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createNetsuiteAccount, createStorefrontAccount } from '../../../src/main/store/accounts';
import { migrate } from '../../../src/main/store/migrate';
import { MIGRATIONS } from '../../../src/main/store/migrations';
import { readiness } from '../../../src/main/sync/readiness';
import { readReconcileSettings } from '../../../src/main/use-cases/settings';
import { nonStrictTables } from '../../support/non-strict-tables';

describe('migration 012 (workspace settings, readiness activation item)', () => {
  it('migrates a workspace holding accounts and readiness confirmations without losing any', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version < 12),
    );
    const ns = createNetsuiteAccount(db, { name: 'NS', accountId: '1234567_SB1', environment: 'sandbox' });
    const id = createStorefrontAccount(db, {
      platform: 'shopify',
      name: 'Store',
      lineItemRefunds: 'yes',
      directions: ['storefront_to_netsuite', 'netsuite_to_storefront'],
      netsuiteAccountId: ns,
    });
    const insert = db.prepare(
      'INSERT INTO readiness_confirmations (storefront_account_id, item, confirmed, note, actor, at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    insert.run(id, 'order_sync_tested', 1, 'test order #1001 reached NetSuite', 'Ann', '2026-03-01T10:00:00.000Z');
    insert.run(id, 'deployment_reviewed', 0, '', 'Bob', '2026-03-02T10:00:00.000Z');
    expect(() => insert.run(id, 'activation_steps', 1, '', 'Ann', 'now')).toThrow(/CHECK/);

    expect(migrate(db)).toBe(MIGRATIONS.at(-1)!.version);
    expect(
      db.prepare('SELECT id, item, confirmed, note, actor, at FROM readiness_confirmations ORDER BY id').all(),
    ).toEqual([
      {
        id: 1,
        item: 'order_sync_tested',
        confirmed: 1,
        note: 'test order #1001 reached NetSuite',
        actor: 'Ann',
        at: '2026-03-01T10:00:00.000Z',
      },
      { id: 2, item: 'deployment_reviewed', confirmed: 0, note: '', actor: 'Bob', at: '2026-03-02T10:00:00.000Z' },
    ]);
    insert.run(id, 'activation_steps', 1, '', 'Ann', '2026-03-03T10:00:00.000Z');
    expect(() => insert.run(id, 'one_direction', 1, '', 'Ann', 'now')).toThrow(/CHECK/);
    const r = readiness(db, id);
    expect(r.items.find((i) => i.id === 'order_sync_tested')).toMatchObject({ met: true, by: 'Ann' });
    expect(r.items.find((i) => i.id === 'activation_steps')).toMatchObject({ met: true });
    // Deleting the account still cascades to its confirmations (the rebuilt table keeps the key).
    expect(readReconcileSettings(db)).toEqual({
      defaultTolerance: null,
      tolerances: {},
      dateWindowDays: 7,
      creditPayoutDays: 7,
    });
    db.prepare('DELETE FROM storefront_accounts WHERE id = ?').run(id);
    expect(db.prepare('SELECT COUNT(*) AS n FROM readiness_confirmations').get()).toEqual({ n: 0 });
    expect(nonStrictTables(db)).toEqual([]);
  });
});
