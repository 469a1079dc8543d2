import type { Direction } from '../../shared/contract/workspace';
import type { Db } from './open';

/**
 * The SQL of `refund_sync_settings`: one row per storefront account (made with the account) holding
 * its refund-sync direction, options (JSON text), cut-off date and linked NetSuite account.
 * Here in the store because the account's own module creates the row; sync/settings-store.ts reads
 * it as the sync engine's state.
 */

/** The row made with a new storefront account: sync off. */
export function insertSyncSettings(db: Db, accountId: number, netsuiteAccountId: number | null, now: string): void {
  db.prepare(
    `INSERT INTO refund_sync_settings (storefront_account_id, netsuite_account_id, direction, updated_at) VALUES (?, ?, 'off', ?)`,
  ).run(accountId, netsuiteAccountId, now);
}

/** Ensures the settings row exists (accounts made before migration 003 may lack one). */
export function ensureSyncSettings(db: Db, accountId: number, now: string): void {
  db.prepare(
    `INSERT INTO refund_sync_settings (storefront_account_id, direction, updated_at) VALUES (?, 'off', ?)
     ON CONFLICT(storefront_account_id) DO NOTHING`,
  ).run(accountId, now);
}

/** The stored options (JSON text) and cut-off date, or undefined when the account has no row. */
export function readSyncSettings(
  db: Db,
  accountId: number,
): { options: string; import_orders_after: string | null } | undefined {
  return db
    .prepare('SELECT options, import_orders_after FROM refund_sync_settings WHERE storefront_account_id = ?')
    .get(accountId) as { options: string; import_orders_after: string | null } | undefined;
}

/** The account's direction, or undefined when it has no row. */
export function syncDirectionOf(db: Db, accountId: number): Direction | undefined {
  const row = db.prepare('SELECT direction FROM refund_sync_settings WHERE storefront_account_id = ?').get(accountId) as
    | { direction: Direction }
    | undefined;
  return row?.direction;
}

export function writeSyncDirection(db: Db, accountId: number, direction: Direction, now: string): void {
  db.prepare('UPDATE refund_sync_settings SET direction = ?, updated_at = ? WHERE storefront_account_id = ?').run(
    direction,
    now,
    accountId,
  );
}

export function writeSyncOptions(db: Db, accountId: number, optionsJson: string, now: string): void {
  db.prepare('UPDATE refund_sync_settings SET options = ?, updated_at = ? WHERE storefront_account_id = ?').run(
    optionsJson,
    now,
    accountId,
  );
}

/**
 * Sets the cut-off date (orders placed before it are never synced). Without `now`, updated_at is
 * left as it is: the caller has just stamped the row in the same transaction.
 */
export function setImportOrdersAfter(db: Db, accountId: number, date: string | null, now?: string): void {
  if (now === undefined) {
    db.prepare('UPDATE refund_sync_settings SET import_orders_after = ? WHERE storefront_account_id = ?').run(
      date,
      accountId,
    );
    return;
  }
  db.prepare(
    'UPDATE refund_sync_settings SET import_orders_after = ?, updated_at = ? WHERE storefront_account_id = ?',
  ).run(date, now, accountId);
}

/** Links the storefront account to a NetSuite account. */
export function setSyncNetsuiteAccount(db: Db, accountId: number, netsuiteAccountId: number, now: string): void {
  db.prepare(
    'UPDATE refund_sync_settings SET netsuite_account_id = ?, updated_at = ? WHERE storefront_account_id = ?',
  ).run(netsuiteAccountId, now, accountId);
}

/** The storefront accounts linked to a NetSuite account. */
export function storefrontsLinkedTo(db: Db, netsuiteAccountId: number): number[] {
  return (
    db
      .prepare('SELECT storefront_account_id AS id FROM refund_sync_settings WHERE netsuite_account_id = ?')
      .all(netsuiteAccountId) as { id: number }[]
  ).map((r) => r.id);
}
