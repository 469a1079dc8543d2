import type { Direction, NetsuiteAccount, StorefrontAccount } from '../../shared/contract/workspace';
import type { Platform } from '../../shared/model';
import { netsuiteEnvironmentOf } from '../../shared/netsuite-environment';
import { type Db, nowIso } from './open';
import { insertSyncSettings } from './refund-sync-settings';

interface StorefrontRow {
  id: number;
  platform: Platform;
  name: string;
  line_item_refunds: 'yes' | 'no' | 'unknown';
  directions: string;
  store_credit: number;
  split_tender: number;
  direction: Direction | null;
  netsuite_account_id: number | null;
}

function toStorefront(row: StorefrontRow): StorefrontAccount {
  return {
    id: row.id,
    platform: row.platform,
    name: row.name,
    lineItemRefunds: row.line_item_refunds,
    directions: row.directions
      .split(',')
      .filter(
        (d): d is 'storefront_to_netsuite' | 'netsuite_to_storefront' =>
          d === 'storefront_to_netsuite' || d === 'netsuite_to_storefront',
      ),
    storeCredit: row.store_credit === 1,
    splitTender: row.split_tender === 1,
    direction: row.direction ?? 'off',
    netsuiteAccountId: row.netsuite_account_id,
  };
}

const STOREFRONT_SELECT = `
  SELECT a.id, a.platform, a.name, a.line_item_refunds, a.directions, a.store_credit, a.split_tender,
         s.direction, s.netsuite_account_id
  FROM storefront_accounts a LEFT JOIN refund_sync_settings s ON s.storefront_account_id = a.id`;

export function listStorefrontAccounts(db: Db): StorefrontAccount[] {
  return (db.prepare(`${STOREFRONT_SELECT} ORDER BY a.name, a.id`).all() as StorefrontRow[]).map(toStorefront);
}

export function getStorefrontAccount(db: Db, id: number): StorefrontAccount | undefined {
  const row = db.prepare(`${STOREFRONT_SELECT} WHERE a.id = ?`).get(id) as StorefrontRow | undefined;
  return row ? toStorefront(row) : undefined;
}

export interface NewStorefrontAccount {
  platform: Platform;
  name: string;
  lineItemRefunds: 'yes' | 'no' | 'unknown';
  directions: readonly ('storefront_to_netsuite' | 'netsuite_to_storefront')[];
  storeCredit?: boolean;
  splitTender?: boolean;
  apiSettings?: Record<string, unknown>;
  netsuiteAccountId?: number | null;
}

export function createStorefrontAccount(db: Db, account: NewStorefrontAccount): number {
  const now = nowIso();
  return db.transaction(() => {
    const info = db
      .prepare(
        `INSERT INTO storefront_accounts (platform, name, line_item_refunds, directions, store_credit, split_tender, api_settings, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        account.platform,
        account.name,
        account.lineItemRefunds,
        account.directions.join(','),
        account.storeCredit ? 1 : 0,
        account.splitTender ? 1 : 0,
        JSON.stringify(account.apiSettings ?? {}),
        now,
        now,
      );
    const id = Number(info.lastInsertRowid);
    insertSyncSettings(db, id, account.netsuiteAccountId ?? null, now);
    return id;
  })();
}

interface NetsuiteRow {
  id: number;
  name: string;
  account_id: string;
  environment: 'sandbox' | 'production';
  rest_host: string;
  auth_method: 'tba' | 'oauth2';
}

export function listNetsuiteAccounts(db: Db): NetsuiteAccount[] {
  const rows = db
    .prepare(
      'SELECT id, name, account_id, environment, rest_host, auth_method FROM netsuite_accounts ORDER BY name, id',
    )
    .all() as NetsuiteRow[];
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    accountId: row.account_id,
    // From the account ID, never the stored label: a "sandbox" label cannot make production a sandbox.
    environment: netsuiteEnvironmentOf(row.account_id) === 'sandbox' ? 'sandbox' : 'production',
    restHost: row.rest_host,
    authMethod: row.auth_method,
  }));
}

export interface NewNetsuiteAccount {
  name: string;
  accountId: string;
  environment: 'sandbox' | 'production';
  restHost?: string;
  authMethod?: 'tba' | 'oauth2';
  apiSettings?: Record<string, unknown>;
}

export function createNetsuiteAccount(db: Db, account: NewNetsuiteAccount): number {
  const now = nowIso();
  const info = db
    .prepare(
      `INSERT INTO netsuite_accounts (name, account_id, environment, rest_host, auth_method, api_settings, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      account.name,
      account.accountId,
      account.environment,
      account.restHost ?? '',
      account.authMethod ?? 'tba',
      JSON.stringify(account.apiSettings ?? {}),
      now,
      now,
    );
  return Number(info.lastInsertRowid);
}

/**
 * An account's API settings (`api_settings`, JSON): the address of the shop, the API host
 * override, the base currency, the auth method. Never secrets: those live in the secret store.
 */
export type AccountTable = 'storefront_accounts' | 'netsuite_accounts';

// Fixed statements per table: no SQL text is ever built from a value.
const SELECT_SQL: Record<AccountTable, string> = {
  storefront_accounts: 'SELECT api_settings FROM storefront_accounts WHERE id = ?',
  netsuite_accounts: 'SELECT api_settings FROM netsuite_accounts WHERE id = ?',
};
const UPDATE_SQL: Record<AccountTable, string> = {
  storefront_accounts: 'UPDATE storefront_accounts SET api_settings = ?, updated_at = ? WHERE id = ?',
  netsuite_accounts: 'UPDATE netsuite_accounts SET api_settings = ?, updated_at = ? WHERE id = ?',
};

export function readApiSettings(db: Db, table: AccountTable, id: number): Record<string, unknown> {
  const row = db.prepare(SELECT_SQL[table]).get(id) as { api_settings: string } | undefined;
  try {
    const parsed = JSON.parse(row?.api_settings ?? '{}') as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Merges `patch` into the settings; a key set to `undefined` or '' is removed. */
export function writeApiSettings(db: Db, table: AccountTable, id: number, patch: Record<string, unknown>): void {
  const next: Record<string, unknown> = { ...readApiSettings(db, table, id) };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined || value === '') delete next[key];
    else next[key] = value;
  }
  db.prepare(UPDATE_SQL[table]).run(JSON.stringify(next), nowIso(), id);
}

export function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/** The storefront account a snapshot belongs to, with its line-item capability (none when the snapshot names no account). */
export function snapshotStorefrontAccount(
  db: Db,
  snapshotId: number,
): { id: number; line_item_refunds: 'yes' | 'no' | 'unknown' } | undefined {
  return db
    .prepare(
      'SELECT a.id, a.line_item_refunds FROM snapshots s JOIN storefront_accounts a ON a.id = s.storefront_account_id WHERE s.id = ?',
    )
    .get(snapshotId) as { id: number; line_item_refunds: 'yes' | 'no' | 'unknown' } | undefined;
}

/** The API settings (JSON text) of one storefront account, or of every account of a platform. */
export function storefrontApiSettingsText(db: Db, which: { id: number } | { platform: string }): string[] {
  return 'id' in which
    ? (db.prepare('SELECT api_settings FROM storefront_accounts WHERE id = ?').pluck().all(which.id) as string[])
    : (db
        .prepare('SELECT api_settings FROM storefront_accounts WHERE platform = ?')
        .pluck()
        .all(which.platform) as string[]);
}

export function storefrontPlatform(db: Db, id: number): string | undefined {
  return db.prepare('SELECT platform FROM storefront_accounts WHERE id = ?').pluck().get(id) as string | undefined;
}

export interface StorefrontCapabilities {
  lineItemRefunds: 'yes' | 'no' | 'unknown';
  directions: readonly string[];
  storeCredit: boolean;
  splitTender: boolean;
}

export function updateStorefrontCapabilities(db: Db, id: number, c: StorefrontCapabilities): void {
  db.prepare(
    'UPDATE storefront_accounts SET line_item_refunds = ?, directions = ?, store_credit = ?, split_tender = ?, updated_at = ? WHERE id = ?',
  ).run(c.lineItemRefunds, c.directions.join(','), c.storeCredit ? 1 : 0, c.splitTender ? 1 : 0, nowIso(), id);
}

export function renameStorefrontAccount(db: Db, id: number, name: string): void {
  db.prepare('UPDATE storefront_accounts SET name = ?, updated_at = ? WHERE id = ?').run(name, nowIso(), id);
}

export function renameNetsuiteAccount(db: Db, id: number, name: string): void {
  db.prepare('UPDATE netsuite_accounts SET name = ?, updated_at = ? WHERE id = ?').run(name, nowIso(), id);
}

/** A corrected NetSuite account ID, with the environment stored beside it. */
export function setNetsuiteAccountId(db: Db, id: number, accountId: string, environment: string): void {
  db.prepare('UPDATE netsuite_accounts SET account_id = ?, environment = ?, updated_at = ? WHERE id = ?').run(
    accountId,
    environment,
    nowIso(),
    id,
  );
}

/** The REST host override ('' for the default from the account ID) and the auth method. */
export function setNetsuiteConnection(db: Db, id: number, restHost: string, authMethod: string | null): void {
  db.prepare('UPDATE netsuite_accounts SET rest_host = ?, auth_method = ?, updated_at = ? WHERE id = ?').run(
    restHost,
    authMethod,
    nowIso(),
    id,
  );
}

export function deleteAccount(db: Db, type: 'netsuite' | 'storefront', id: number): void {
  // Fixed statements per table: no SQL text is ever built from a value.
  db.prepare(
    type === 'netsuite' ? 'DELETE FROM netsuite_accounts WHERE id = ?' : 'DELETE FROM storefront_accounts WHERE id = ?',
  ).run(id);
}
