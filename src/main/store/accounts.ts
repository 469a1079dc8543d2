import type { Direction, NetsuiteAccount, StorefrontAccount } from '../../shared/contract/workspace';
import type { Platform } from '../../shared/model';
import { netsuiteEnvironmentOf } from '../../shared/netsuite-environment';
import { type Db, nowIso } from './open';

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
    db.prepare(
      `INSERT INTO refund_sync_settings (storefront_account_id, netsuite_account_id, direction, updated_at) VALUES (?, ?, 'off', ?)`,
    ).run(id, account.netsuiteAccountId ?? null, now);
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
