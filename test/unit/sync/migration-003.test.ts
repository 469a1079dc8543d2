import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  createNetsuiteAccount,
  createStorefrontAccount,
  listStorefrontAccounts,
} from '../../../src/main/store/accounts';
import { migrate } from '../../../src/main/store/migrate';
import { MIGRATIONS } from '../../../src/main/store/migrations';
import { readSyncState } from '../../../src/main/sync/settings-store';
import { nonStrictTables } from '../../support/non-strict-tables';

describe('migration 003 (refund sync)', () => {
  it('migrates a version-1 workspace holding accounts, a direction and journal rows without losing anything', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version < 3),
    );
    const ns = createNetsuiteAccount(db, { name: 'NS', accountId: '1234567', environment: 'production' });
    const id = createStorefrontAccount(db, {
      platform: 'shopify',
      name: 'Store',
      lineItemRefunds: 'yes',
      directions: ['storefront_to_netsuite', 'netsuite_to_storefront'],
      netsuiteAccountId: ns,
    });
    db.prepare(
      "UPDATE refund_sync_settings SET direction = 'netsuite_to_storefront', import_orders_after = '2026-01-01'",
    ).run();
    db.prepare(
      `INSERT INTO push_journal (storefront_account_id, direction, refund_key, idempotency_key, target, payload, state, created_at, updated_at)
       VALUES (?, 'netsuite_to_storefront', 'k', 'key-1', 'shopify', '{}', 'confirmed', 'now', 'now')`,
    ).run(id);

    expect(migrate(db)).toBe(MIGRATIONS.at(-1)!.version);
    const state = readSyncState(db, id);
    expect(state.direction).toBe('netsuite_to_storefront');
    expect(state.importOrdersAfter).toBe('2026-01-01');
    expect(state.options.genericItemId).toBe('');
    expect(listStorefrontAccounts(db)).toHaveLength(1);
    expect(
      db.prepare('SELECT idempotency_key, state, step, order_ref, amount, batch_id FROM push_journal').all(),
    ).toEqual([{ idempotency_key: 'key-1', state: 'confirmed', step: 0, order_ref: '', amount: 0, batch_id: null }]);
    for (const table of [
      'dry_runs',
      'dry_run_orders',
      'push_batches',
      'readiness_confirmations',
      'sync_order_context',
    ]) {
      expect(db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get()).toEqual({ n: 0 });
    }
    // The one-direction CHECK of version 1 still holds after the migration.
    expect(() => db.prepare("UPDATE refund_sync_settings SET direction = 'both'").run()).toThrow(/CHECK/);
    expect(nonStrictTables(db)).toEqual([]);
  });
});
