import type { Direction, NetsuiteAccount, StorefrontAccount } from '../../shared/contract/workspace';
import { UserError } from '../../shared/errors';
import { getStorefrontAccount, listNetsuiteAccounts } from '../store/accounts';
import type { Db } from '../store/open';
import { readSyncSettings } from '../store/refund-sync-settings';
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
  const row = readSyncSettings(db, accountId);
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
