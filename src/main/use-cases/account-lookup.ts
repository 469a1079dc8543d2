import type { NetsuiteAccount, StorefrontAccount } from '../../shared/contract/workspace';
import { UserError } from '../../shared/errors';
import { listNetsuiteAccounts, listStorefrontAccounts } from '../store/accounts';
import type { Db } from '../store/open';

/**
 * Accounts are named by the user and found by name (the CLI and the settings import speak in
 * names, the app in ids). Names are unique across both kinds, compared without case and
 * surrounding spaces, so "Main store" can never mean two accounts.
 */
export type AnyAccount =
  | { type: 'storefront'; account: StorefrontAccount }
  | { type: 'netsuite'; account: NetsuiteAccount };

export function nameKey(name: string): string {
  return name.trim().toLowerCase();
}

export function findAccountByName(db: Db, name: string): AnyAccount | undefined {
  const key = nameKey(name);
  const storefront = listStorefrontAccounts(db).find((a) => nameKey(a.name) === key);
  if (storefront) return { type: 'storefront', account: storefront };
  const netsuite = listNetsuiteAccounts(db).find((a) => nameKey(a.name) === key);
  return netsuite ? { type: 'netsuite', account: netsuite } : undefined;
}

function known(db: Db): string {
  const names = [...listStorefrontAccounts(db), ...listNetsuiteAccounts(db)].map((a) => `"${a.name}"`);
  return names.length ? `The accounts in this workspace: ${names.join(', ')}.` : 'This workspace has no accounts yet.';
}

export function requireAccountByName(db: Db, name: string): AnyAccount {
  const found = findAccountByName(db, name);
  if (!found) {
    throw new UserError('account_not_found', `There is no account named "${name.slice(0, 80)}". ${known(db)}`, {
      field: 'name',
    });
  }
  return found;
}

export function requireStorefrontByName(db: Db, name: string): StorefrontAccount {
  const found = requireAccountByName(db, name);
  if (found.type !== 'storefront') {
    throw new UserError(
      'not_a_storefront',
      `"${found.account.name}" is a NetSuite account; refund sync direction, readiness and capabilities belong to the storefront account linked to it.`,
      { field: 'name' },
    );
  }
  return found.account;
}

export function requireNetsuiteByName(db: Db, name: string, field = 'netsuite'): NetsuiteAccount {
  const netsuite = listNetsuiteAccounts(db).find((a) => nameKey(a.name) === nameKey(name));
  if (!netsuite) {
    const names = listNetsuiteAccounts(db).map((a) => `"${a.name}"`);
    throw new UserError(
      'netsuite_account_not_found',
      `There is no NetSuite account named "${name.slice(0, 80)}". ${names.length ? `NetSuite accounts here: ${names.join(', ')}.` : 'Add the NetSuite account first, then link the storefront to it.'}`,
      { field },
    );
  }
  return netsuite;
}

/** Refuses a name already taken (by an account other than `exceptId` of the same kind). */
export function assertNameFree(db: Db, name: string, except?: { type: 'storefront' | 'netsuite'; id: number }): string {
  const trimmed = name.trim();
  if (!trimmed) throw new UserError('invalid_name', 'An account needs a name.', { field: 'name' });
  if (trimmed.length > 120)
    throw new UserError('invalid_name', 'An account name has at most 120 characters.', { field: 'name' });
  const taken = findAccountByName(db, trimmed);
  if (taken && !(except && taken.type === except.type && taken.account.id === except.id)) {
    throw new UserError(
      'duplicate_account_name',
      `An account named "${taken.account.name}" already exists (${taken.type === 'netsuite' ? 'NetSuite' : 'storefront'}): choose another name.`,
      { field: 'name' },
    );
  }
  return trimmed;
}
