import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createNetsuiteAccount, createStorefrontAccount } from '../../../src/main/store/accounts';
import { migrate } from '../../../src/main/store/migrate';
import { MIGRATIONS } from '../../../src/main/store/migrations';
import { listJournal } from '../../../src/main/sync/journal';
import { nonStrictTables } from '../../support/non-strict-tables';

describe('migration 008 (journal rows record their destination)', () => {
  it('migrates a version-7 workspace holding journal rows of both directions without losing anything', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version < 8),
    );
    const ns = createNetsuiteAccount(db, { name: 'NS', accountId: '1234567', environment: 'sandbox' });
    const linked = createStorefrontAccount(db, {
      platform: 'shopify',
      name: 'Linked',
      lineItemRefunds: 'yes',
      directions: ['storefront_to_netsuite', 'netsuite_to_storefront'],
      netsuiteAccountId: ns,
    });
    const unlinked = createStorefrontAccount(db, {
      platform: 'woocommerce',
      name: 'Unlinked',
      lineItemRefunds: 'yes',
      directions: ['storefront_to_netsuite', 'netsuite_to_storefront'],
    });
    const insert = db.prepare(
      `INSERT INTO push_journal (storefront_account_id, direction, refund_key, idempotency_key, target, payload, state, attempts, last_error, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, '{"body":{}}', ?, ?, ?, 'then', 'then')`,
    );
    insert.run(linked, 'storefront_to_netsuite', 'a', 'k1', 'netsuite:cashRefund', 'failed', 2, 'ECONNREFUSED');
    insert.run(linked, 'netsuite_to_storefront', 'b', 'k2', 'shopify:refundCreate', 'confirmed', 1, null);
    insert.run(unlinked, 'storefront_to_netsuite', 'c', 'k3', 'netsuite:creditMemo', 'pending', 0, null);
    insert.run(unlinked, 'netsuite_to_storefront', 'd', 'k4', 'woocommerce:refund', 'sending', 1, null);

    expect(migrate(db)).toBe(MIGRATIONS.at(-1)!.version);
    expect(
      db
        .prepare(
          'SELECT idempotency_key, direction, destination, state, attempts, last_error FROM push_journal ORDER BY id',
        )
        .all(),
    ).toEqual([
      {
        idempotency_key: 'k1',
        direction: 'storefront_to_netsuite',
        destination: `netsuite:${ns}:sandbox`,
        state: 'failed',
        attempts: 2,
        last_error: 'ECONNREFUSED',
      },
      {
        idempotency_key: 'k2',
        direction: 'netsuite_to_storefront',
        destination: `shopify:${linked}`,
        state: 'confirmed',
        attempts: 1,
        last_error: null,
      },
      // No NetSuite link to tell where it was meant to go: '' (never sent until the user decides).
      {
        idempotency_key: 'k3',
        direction: 'storefront_to_netsuite',
        destination: '',
        state: 'pending',
        attempts: 0,
        last_error: null,
      },
      {
        idempotency_key: 'k4',
        direction: 'netsuite_to_storefront',
        destination: `woocommerce:${unlinked}`,
        state: 'sending',
        attempts: 1,
        last_error: null,
      },
    ]);
    expect(listJournal(db, linked).map((e) => e.destination)).toEqual([`netsuite:${ns}:sandbox`, `shopify:${linked}`]);
    expect(nonStrictTables(db)).toEqual([]);
  });
});
