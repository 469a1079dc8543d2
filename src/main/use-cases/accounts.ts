import type { AccountEntry, AddAccountInput, EditAccountInput } from '../../shared/contract/accounts';
import type { NetsuiteAccount, StorefrontAccount } from '../../shared/contract/workspace';
import { UserError } from '../../shared/errors';
import { Platform } from '../../shared/model';
import { isCurrencyCode } from '../../shared/money';
import { NETSUITE_ACCOUNT_ID, netsuiteEnvironment, storedEnvironment } from '../../shared/netsuite-environment';
import type { AppContext } from '../context';
import {
  createNetsuiteAccount,
  createStorefrontAccount,
  deleteAccount,
  listNetsuiteAccounts,
  listStorefrontAccounts,
  readApiSettings,
  renameNetsuiteAccount,
  renameStorefrontAccount,
  setNetsuiteAccountId,
  text,
  writeApiSettings,
} from '../store/accounts';
import { appendAudit } from '../store/audit';
import { type Db, nowIso } from '../store/open';
import { setSyncNetsuiteAccount, storefrontsLinkedTo } from '../store/refund-sync-settings';
import { platformDefaults } from '../sync/catalogue';
import { sentOrSendingCount } from '../sync/journal';
import { assertNameFree, requireNetsuiteByName } from './account-lookup';

const PLATFORMS = Platform.options;

function parsePlatform(value: string): Platform {
  const parsed = Platform.safeParse(value.trim().toLowerCase());
  if (!parsed.success) {
    throw new UserError(
      'unknown_platform',
      `"${value.slice(0, 40)}" is not a storefront platform this app knows: choose one of ${PLATFORMS.join(', ')} (use "other" for any other storefront).`,
      { field: 'platform' },
    );
  }
  return parsed.data;
}

function parseAccountId(value: string): string {
  const id = value.trim();
  if (!NETSUITE_ACCOUNT_ID.test(id)) {
    throw new UserError(
      'netsuite_account_id',
      `"${value.slice(0, 40)}" is not a NetSuite account ID: expected digits with an optional sandbox or release-preview suffix, such as 1234567, 1234567_SB1 or 1234567_RP (Setup > Company > Company Information).`,
      { field: 'accountId' },
    );
  }
  return id.toUpperCase().replace(/-/g, '_');
}

function parseCurrency(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const code = value.trim().toUpperCase();
  if (!isCurrencyCode(code)) {
    throw new UserError(
      'invalid_currency',
      `"${value.slice(0, 10)}" is not an ISO 4217 currency code: use three letters such as USD, EUR or JPY.`,
      { field: 'currency' },
    );
  }
  return code;
}

function parseShop(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const shop = value.trim();
  if (/\s/.test(shop) || shop.length > 200) {
    throw new UserError(
      'invalid_shop',
      `"${shop.slice(0, 60)}" is not a shop address: give the address without spaces, such as my-store.myshopify.com or https://shop.example.com.`,
      { field: 'shop' },
    );
  }
  return shop;
}

function storefrontEntry(db: Db, a: StorefrontAccount, netsuite: NetsuiteAccount[]): AccountEntry {
  const linked = netsuite.find((n) => n.id === a.netsuiteAccountId) ?? null;
  const settings = readApiSettings(db, 'storefront_accounts', a.id);
  return {
    id: a.id,
    name: a.name,
    type: 'storefront',
    platform: a.platform,
    accountId: null,
    environment: linked ? netsuiteEnvironment(linked.accountId) : null,
    direction: a.direction,
    netsuite: linked?.name ?? null,
    shop: text(settings.shop) || null,
    currency: text(settings.currency) || null,
  };
}

function netsuiteEntry(a: NetsuiteAccount): AccountEntry {
  return {
    id: a.id,
    name: a.name,
    type: 'netsuite',
    platform: 'netsuite',
    accountId: a.accountId,
    environment: netsuiteEnvironment(a.accountId),
    direction: null,
    netsuite: null,
    shop: null,
    currency: null,
  };
}

/** Every account of the open workspace: NetSuite accounts first, then storefronts, by name. */
export function listAccounts(ctx: AppContext): AccountEntry[] {
  const netsuite = listNetsuiteAccounts(ctx.db);
  return [
    ...netsuite.map(netsuiteEntry),
    ...listStorefrontAccounts(ctx.db).map((a) => storefrontEntry(ctx.db, a, netsuite)),
  ];
}

export function accountEntry(ctx: AppContext, type: 'netsuite' | 'storefront', id: number): AccountEntry {
  const entry = listAccounts(ctx).find((e) => e.type === type && e.id === id);
  if (!entry) {
    throw new UserError(
      'account_not_found',
      `There is no ${type === 'netsuite' ? 'NetSuite' : 'storefront'} account ${id} in this workspace.`,
      {
        field: 'id',
      },
    );
  }
  return entry;
}

/**
 * Adds an account. Everything is checked before anything is written, so a refused account leaves
 * the workspace as it was. A NetSuite account's environment comes from its ID, never from the user.
 */
export function addAccount(ctx: AppContext, input: AddAccountInput): AccountEntry {
  const { db } = ctx;
  const actor = input.actor ?? 'local user';
  if (input.type === 'netsuite') {
    const name = assertNameFree(db, input.name);
    const accountId = parseAccountId(input.accountId);
    const duplicate = listNetsuiteAccounts(db).find((n) => n.accountId.toUpperCase() === accountId);
    if (duplicate) {
      throw new UserError(
        'duplicate_netsuite_account',
        `NetSuite account ${accountId} is already in this workspace as "${duplicate.name}": link storefronts to that one.`,
        { field: 'accountId' },
      );
    }
    const id = db.transaction(() => {
      const newId = createNetsuiteAccount(db, { name, accountId, environment: storedEnvironment(accountId) });
      appendAudit(db, {
        actor,
        action: 'account.add',
        entity: `netsuite_account:${newId}`,
        after: { name, accountId },
      });
      return newId;
    })();
    return accountEntry(ctx, 'netsuite', id);
  }
  const name = assertNameFree(db, input.name);
  const platform = parsePlatform(input.platform);
  const netsuite = requireNetsuiteByName(db, input.netsuite);
  const shop = parseShop(input.shop);
  const currency = parseCurrency(input.currency);
  const defaults = platformDefaults(platform);
  const id = db.transaction(() => {
    const newId = createStorefrontAccount(db, {
      platform,
      name,
      lineItemRefunds: defaults.lineItemRefunds,
      directions: defaults.directions,
      storeCredit: defaults.storeCredit,
      splitTender: defaults.splitTender,
      apiSettings: { ...(shop ? { shop } : {}), ...(currency ? { currency } : {}) },
      netsuiteAccountId: netsuite.id,
    });
    appendAudit(db, {
      actor,
      action: 'account.add',
      entity: `storefront_account:${newId}`,
      after: { name, platform, netsuite: netsuite.name, shop, currency },
    });
    return newId;
  })();
  return accountEntry(ctx, 'storefront', id);
}

/** Renames an account or changes its details; a NetSuite account's environment follows its new ID. */
export function editAccount(ctx: AppContext, input: EditAccountInput): AccountEntry {
  const { db } = ctx;
  const actor = input.actor ?? 'local user';
  const before = accountEntry(ctx, input.type, input.id);
  const name =
    input.name === undefined ? undefined : assertNameFree(db, input.name, { type: input.type, id: input.id });
  const now = nowIso();
  if (input.type === 'netsuite') {
    if (input.netsuite !== undefined || input.shop !== undefined || input.currency !== undefined) {
      throw new UserError('not_for_netsuite', 'A NetSuite account has a name and an account ID only.', {
        field: 'type',
      });
    }
    const accountId = input.accountId === undefined ? undefined : parseAccountId(input.accountId);
    if (
      accountId &&
      listNetsuiteAccounts(db).some((n) => n.id !== input.id && n.accountId.toUpperCase() === accountId)
    ) {
      throw new UserError('duplicate_netsuite_account', `NetSuite account ${accountId} is already in this workspace.`, {
        field: 'accountId',
      });
    }
    db.transaction(() => {
      if (name) renameNetsuiteAccount(db, input.id, name);
      if (accountId) setNetsuiteAccountId(db, input.id, accountId, storedEnvironment(accountId));
      appendAudit(db, {
        actor,
        action: 'account.edit',
        entity: `netsuite_account:${input.id}`,
        before,
        after: { name, accountId },
      });
    })();
    return accountEntry(ctx, 'netsuite', input.id);
  }
  if (input.accountId !== undefined) {
    throw new UserError(
      'not_for_storefront',
      'A storefront account has no NetSuite account ID: link it to a NetSuite account instead.',
      {
        field: 'accountId',
      },
    );
  }
  const netsuite = input.netsuite === undefined ? undefined : requireNetsuiteByName(db, input.netsuite);
  const shop = input.shop === undefined ? undefined : (parseShop(input.shop) ?? '');
  const currency = input.currency === undefined ? undefined : (parseCurrency(input.currency) ?? '');
  db.transaction(() => {
    if (name) renameStorefrontAccount(db, input.id, name);
    if (netsuite) {
      setSyncNetsuiteAccount(db, input.id, netsuite.id, now);
    }
    if (shop !== undefined || currency !== undefined) {
      writeApiSettings(db, 'storefront_accounts', input.id, {
        ...(shop !== undefined ? { shop } : {}),
        ...(currency !== undefined ? { currency } : {}),
      });
    }
    appendAudit(db, {
      actor,
      action: 'account.edit',
      entity: `storefront_account:${input.id}`,
      before,
      after: { name, netsuite: netsuite?.name, shop, currency },
    });
  })();
  return accountEntry(ctx, 'storefront', input.id);
}

/**
 * Removes an account. Refused while the push journal holds refunds sent (or being sent) through it:
 * the journal is what stops the same refund being sent twice, and removing the account would drop it.
 */
export function removeAccount(
  ctx: AppContext,
  input: { type: 'netsuite' | 'storefront'; id: number; actor?: string },
): { removed: string } {
  const { db } = ctx;
  const entry = accountEntry(ctx, input.type, input.id);
  const storefrontIds = input.type === 'storefront' ? [input.id] : storefrontsLinkedTo(db, input.id);
  for (const storefrontId of storefrontIds) {
    const pushed = sentOrSendingCount(db, storefrontId);
    if (pushed > 0) {
      const via =
        input.type === 'storefront'
          ? ''
          : ` through the storefront account "${accountEntry(ctx, 'storefront', storefrontId).name}", which is linked to it`;
      throw new UserError(
        'account_has_pushed_refunds',
        `"${entry.name}" cannot be removed: the push journal holds ${pushed} refund(s) sent${via}. The journal is what keeps a refund from being sent twice; keep the account (switch its refund sync off instead).`,
        { field: 'id' },
        { pushed },
      );
    }
  }
  db.transaction(() => {
    deleteAccount(db, input.type, input.id);
    appendAudit(db, {
      actor: input.actor ?? 'local user',
      action: 'account.remove',
      entity: `${input.type}_account:${input.id}`,
      before: entry,
    });
  })();
  return { removed: entry.name };
}
