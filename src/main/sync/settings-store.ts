import type { Direction, NetsuiteAccount, StorefrontAccount } from '../../shared/contract/workspace';
import { UserError } from '../../shared/errors';
import { getStorefrontAccount, listNetsuiteAccounts } from '../store/accounts';
import type { Db } from '../store/open';
import { SyncOptions } from './types';

export interface AccountSyncState {
  account: StorefrontAccount;
  netsuite: NetsuiteAccount | null;
  direction: Direction;
  options: SyncOptions;
  importOrdersAfter: string | null;
}

export function requireAccount(db: Db, accountId: number): StorefrontAccount {
  const account = getStorefrontAccount(db, accountId);
  if (!account) {
    throw new UserError(
      'account_not_found',
      `There is no storefront account ${accountId} in this workspace: list accounts with account:list.`,
      { field: 'accountId' },
    );
  }
  return account;
}

export function readSyncState(db: Db, accountId: number): AccountSyncState {
  const account = requireAccount(db, accountId);
  const row = db
    .prepare('SELECT options, import_orders_after FROM refund_sync_settings WHERE storefront_account_id = ?')
    .get(accountId) as { options: string; import_orders_after: string | null } | undefined;
  const netsuite = account.netsuiteAccountId
    ? (listNetsuiteAccounts(db).find((n) => n.id === account.netsuiteAccountId) ?? null)
    : null;
  let options: SyncOptions;
  try {
    options = SyncOptions.parse(JSON.parse(row?.options ?? '{}'));
  } catch {
    options = SyncOptions.parse({});
  }
  return {
    account,
    netsuite,
    direction: account.direction,
    options,
    importOrdersAfter: row?.import_orders_after ?? null,
  };
}

/** Ensures the settings row exists (accounts made before this module always have one; be safe). */
export function ensureSettingsRow(db: Db, accountId: number, now: string): void {
  db.prepare(
    `INSERT INTO refund_sync_settings (storefront_account_id, direction, updated_at) VALUES (?, 'off', ?)
     ON CONFLICT(storefront_account_id) DO NOTHING`,
  ).run(accountId, now);
}
