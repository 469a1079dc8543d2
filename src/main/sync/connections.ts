import { assertApiDestination, loopbackApisAllowed } from '../connectors/destination-policy';
import { NetsuiteClient } from '../connectors/netsuite/client';
import type { Db } from '../store/open';
import type { SyncDirection } from './catalogue';
import type { RoundTripPort } from './round-trip/port';
import { type AccountSyncState, readSyncState } from './settings-store';
import { NetsuiteTarget } from './targets/netsuite-target';
import { storefrontTargetFor } from './targets/storefront-connections';
import { ShopifyTarget } from './targets/storefront-target';
import type { PushTarget } from './targets/target';

/** `direction`: the direction whose receiving side is wanted (default: the account's stored direction). */
export type TargetFactory = (db: Db, accountId: number, direction?: SyncDirection) => PushTarget | null;

function apiSettings(db: Db, table: 'storefront_accounts' | 'netsuite_accounts', id: number): Record<string, unknown> {
  const row = db.prepare(`SELECT api_settings FROM ${table} WHERE id = ?`).get(id) as
    | { api_settings: string }
    | undefined;
  try {
    return JSON.parse(row?.api_settings ?? '{}') as Record<string, unknown>;
  } catch {
    return {};
  }
}

/**
 * The connection a push or a dry-run lookup uses. Hosts come from the accounts' API settings;
 * secrets come from the environment (`REFUND_RECON_NS_CONSUMER_KEY`, `…_CONSUMER_SECRET`,
 * `…_TOKEN`, `…_TOKEN_SECRET`; `REFUND_RECON_SHOPIFY_TOKEN`) until the live-connections secret
 * store lands — they are never written to the workspace. Null when nothing is configured.
 */
export const defaultTargetFactory: TargetFactory = (db, accountId, direction) => {
  const state = readSyncState(db, accountId);
  if ((direction ?? state.direction) === 'netsuite_to_storefront') {
    const settings = apiSettings(db, 'storefront_accounts', accountId);
    const other = storefrontTargetFor(state.account.platform, settings); // BigCommerce, WooCommerce
    if (other !== undefined) return other;
    const shop = shopifyConnection(db, accountId, state.account.platform);
    if (!shop) return null;
    return new ShopifyTarget({
      ...shop,
      ...(settings.readBack === 'none' ? { readBack: 'none' as const } : {}),
    });
  }
  const client = netsuiteClient(db, state);
  return client ? new NetsuiteTarget(client) : null;
};

/** The Shopify shop a NetSuite → storefront write goes to: its address and token, or null. */
function shopifyConnection(
  db: Db,
  accountId: number,
  platform: string,
): { baseUrl: string; accessToken: string; baseDelayMs?: number } | null {
  const env = process.env;
  const settings = apiSettings(db, 'storefront_accounts', accountId);
  const baseUrl = typeof settings.baseUrl === 'string' ? settings.baseUrl : '';
  const token = env.REFUND_RECON_SHOPIFY_TOKEN ?? '';
  if (platform !== 'shopify' || !baseUrl || !token) return null;
  // The token goes only where the connectors' destination policy allows (a myshopify.com shop, or
  // 127.0.0.1 behind REFUND_RECON_ALLOW_LOOPBACK_APIS=1); NetsuiteClient checks its own host.
  const destination = assertApiDestination({
    platform: 'shopify',
    url: baseUrl,
    allowLoopback: loopbackApisAllowed(),
  });
  return {
    baseUrl: destination.baseUrl,
    accessToken: token,
    ...(env.REFUND_RECON_HTTP_BASE_DELAY_MS ? { baseDelayMs: Number(env.REFUND_RECON_HTTP_BASE_DELAY_MS) } : {}),
  };
}

/** The NetSuite client of the account's linked NetSuite account, or null when not configured. */
function netsuiteClient(db: Db, state: AccountSyncState): NetsuiteClient | null {
  const env = process.env;
  if (!state.netsuite) return null;
  const settings = apiSettings(db, 'netsuite_accounts', state.netsuite.id);
  const key = env.REFUND_RECON_NS_CONSUMER_KEY;
  const secret = env.REFUND_RECON_NS_CONSUMER_SECRET;
  const token = env.REFUND_RECON_NS_TOKEN;
  const tokenSecret = env.REFUND_RECON_NS_TOKEN_SECRET;
  if (!key || !secret || !token || !tokenSecret) return null;
  const baseUrl =
    typeof settings.baseUrl === 'string' && settings.baseUrl ? settings.baseUrl : state.netsuite.restHost || undefined;
  return new NetsuiteClient({
    accountId: state.netsuite.accountId,
    ...(baseUrl ? { baseUrl } : {}),
    auth: { kind: 'tba', consumerKey: key, consumerSecret: secret, token, tokenSecret },
    ...(env.REFUND_RECON_HTTP_BASE_DELAY_MS ? { baseDelayMs: Number(env.REFUND_RECON_HTTP_BASE_DELAY_MS) } : {}),
  });
}

let factory: TargetFactory = defaultTargetFactory;

/** Tests and the app shell may supply connections (emulators, a secret store). */
export function setTargetFactory(next: TargetFactory | null): void {
  factory = next ?? defaultTargetFactory;
}

/** True when a test or the shell installed its own factory (resolveAccountTarget then defers to it). */
export function hasCustomTargetFactory(): boolean {
  return factory !== defaultTargetFactory;
}

export function targetFor(db: Db, accountId: number, direction?: SyncDirection): PushTarget | null {
  return factory(db, accountId, direction);
}

export type RoundTripPortFactory = (db: Db, accountId: number, direction: SyncDirection) => RoundTripPort | null;

/**
 * No default round-trip connections here: the round trip's write port comes from the receiving
 * account's stored connection and the secret store (use-cases/round-trip-port.ts), the same place
 * pull and push read. Only tests install a factory (emulators behind a fixed port).
 */
export const defaultRoundTripPortFactory: RoundTripPortFactory = () => null;

let portFactory: RoundTripPortFactory = defaultRoundTripPortFactory;

/** Tests and the app shell may supply round-trip connections (emulators). */
export function setRoundTripPortFactory(next: RoundTripPortFactory | null): void {
  portFactory = next ?? defaultRoundTripPortFactory;
}

/** True when a test installed its own round-trip factory. */
export function hasCustomRoundTripPortFactory(): boolean {
  return portFactory !== defaultRoundTripPortFactory;
}

export function roundTripPortFor(db: Db, accountId: number, direction: SyncDirection): RoundTripPort | null {
  return portFactory(db, accountId, direction);
}
