import { UserError } from '../../shared/errors';
import { NetsuiteClient } from '../connectors/netsuite/client';
import { getSecretStore, netsuiteAuthFromSecrets, shopifyTokenFromSecrets } from '../secrets';
import { readApiSettings, text } from '../store/accounts';
import type { Db } from '../store/open';
import type { SyncDirection } from '../sync/catalogue';
import { hasCustomRoundTripPortFactory, roundTripPortFor } from '../sync/connections';
import { NetsuiteRoundTripPort } from '../sync/round-trip/netsuite-port';
import type { RoundTripPort } from '../sync/round-trip/port';
import { RefusingStorefrontPort } from '../sync/round-trip/refusing-port';
import { ShopifyRoundTripPort } from '../sync/round-trip/shopify-port';
import { readSyncState } from '../sync/settings-store';
import { connectionPlan } from './connection-plan';

const SHOPIFY_API_VERSION = '2025-07';

function tuning(env: NodeJS.ProcessEnv): { baseDelayMs?: number } {
  const value = env.REFUND_RECON_HTTP_BASE_DELAY_MS ? Number(env.REFUND_RECON_HTTP_BASE_DELAY_MS) : undefined;
  return value !== undefined && Number.isFinite(value) ? { baseDelayMs: value } : {};
}

/** A connection that is not set up yet is "no round trip target", not an error of the dry run. */
const NOT_CONFIGURED = /missing_secret|shop_missing|store_hash_missing|no_api_connection/;

/**
 * The round trip's write port for the direction TESTED, from the receiving account's stored
 * connection: its host and auth method on the account, its secrets from the secret store under the
 * one naming scheme of docs/connections.md — exactly what pull, push and "Test connection" read.
 * Null when that side has no usable connection. Tests that install a port factory get theirs.
 */
export async function resolveRoundTripPort(
  db: Db,
  accountId: number,
  direction: SyncDirection,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RoundTripPort | null> {
  if (hasCustomRoundTripPortFactory()) return roundTripPortFor(db, accountId, direction);
  const state = readSyncState(db, accountId);
  const store = getSecretStore();
  try {
    if (direction === 'storefront_to_netsuite') {
      if (!state.netsuite) return null;
      const plan = connectionPlan(db, 'netsuite', state.netsuite.id);
      const method = plan.authMethod === 'oauth2' ? 'oauth2' : 'tba';
      const auth = await netsuiteAuthFromSecrets(store, plan.accountId!, method);
      const client = new NetsuiteClient({ accountId: plan.accountId!, baseUrl: plan.host, auth, ...tuning(env) });
      return new NetsuiteRoundTripPort(client, plan.accountId!, state.options.currencyIds);
    }
    if (direction !== 'netsuite_to_storefront') return null;
    if (state.account.platform !== 'shopify') {
      return new RefusingStorefrontPort(state.account.platform, state.account.name);
    }
    if (!text(readApiSettings(db, 'storefront_accounts', accountId).shop)) return null;
    const plan = connectionPlan(db, 'storefront', accountId);
    const accessToken = await shopifyTokenFromSecrets(store, plan.shop!);
    const baseUrl = /\/admin\/api\//.test(plan.host)
      ? plan.host
      : `${plan.host}/admin/api/${state.options.shopifyApiVersion || SHOPIFY_API_VERSION}`;
    return new ShopifyRoundTripPort({ baseUrl, accessToken, ...tuning(env) });
  } catch (error) {
    if (error instanceof UserError && NOT_CONFIGURED.test(error.code)) return null;
    throw error;
  }
}
