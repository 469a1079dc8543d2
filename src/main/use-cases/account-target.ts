import { UserError } from '../../shared/errors';
import { NetsuiteClient } from '../connectors/netsuite/client';
import { getSecretStore, netsuiteAuthFromSecrets, shopifyTokenFromSecrets } from '../secrets';
import { readApiSettings, text } from '../store/accounts';
import type { Db } from '../store/open';
import type { SyncDirection } from '../sync/catalogue';
import { hasCustomTargetFactory, targetFor } from '../sync/connections';
import { readSyncState } from '../sync/settings-store';
import { NetsuiteTarget } from '../sync/targets/netsuite-target';
import { storefrontTargetFor } from '../sync/targets/storefront-connections';
import { ShopifyTarget } from '../sync/targets/storefront-target';
import type { PushTarget } from '../sync/targets/target';
import { connectionPlan } from './connection-plan';

const SHOPIFY_API_VERSION = '2025-07';

function tuning(env: NodeJS.ProcessEnv): { baseDelayMs?: number } {
  const value = env.REFUND_RECON_HTTP_BASE_DELAY_MS ? Number(env.REFUND_RECON_HTTP_BASE_DELAY_MS) : undefined;
  return value !== undefined && Number.isFinite(value) ? { baseDelayMs: value } : {};
}

/**
 * The push / dry-run target of a storefront account, from its connection (host and auth method
 * on the account, secrets from the secret store under the one naming scheme of
 * docs/connections.md): the same place `pull` and `connection test` read them. Null when the
 * direction is off or the account has no connection. Tests that install a target factory get
 * theirs.
 */
export async function resolveAccountTarget(
  db: Db,
  accountId: number,
  direction?: SyncDirection,
  env: NodeJS.ProcessEnv = process.env,
): Promise<PushTarget | null> {
  if (hasCustomTargetFactory()) return targetFor(db, accountId, direction);
  const state = readSyncState(db, accountId);
  const store = getSecretStore();
  const wanted = direction ?? state.direction;
  if (wanted === 'netsuite_to_storefront') {
    const settings = readApiSettings(db, 'storefront_accounts', accountId);
    if (state.account.platform === 'bigcommerce' || state.account.platform === 'woocommerce') {
      const address = text(settings.baseUrl) || (state.account.platform === 'woocommerce' ? text(settings.shop) : '');
      return (
        storefrontTargetFor(state.account.platform, { ...settings, ...(address ? { baseUrl: address } : {}) }, env) ??
        null
      );
    }
    if (state.account.platform !== 'shopify') return null;
    // An account made before connections had a shop address: its API base as the push knew it.
    if (!text(settings.shop)) return targetFor(db, accountId, direction);
    const plan = connectionPlan(db, 'storefront', accountId);
    const accessToken = await shopifyTokenFromSecrets(store, plan.shop!);
    // The account's API version (sync option `shopifyApiVersion`; store credit needs 2025-10+, tenders §5.3).
    const version = state.options.shopifyApiVersion || SHOPIFY_API_VERSION;
    const baseUrl = /\/admin\/api\//.test(plan.host) ? plan.host : `${plan.host}/admin/api/${version}`;
    return new ShopifyTarget({
      baseUrl,
      accessToken,
      ...(settings.readBack === 'none' ? { readBack: 'none' as const } : {}),
      ...tuning(env),
    });
  }
  if (wanted !== 'storefront_to_netsuite' || !state.netsuite) return null;
  const plan = connectionPlan(db, 'netsuite', state.netsuite.id);
  const auth = await netsuiteAuthFromSecrets(store, plan.accountId!, plan.authMethod === 'oauth2' ? 'oauth2' : 'tba');
  return new NetsuiteTarget(
    new NetsuiteClient({ accountId: plan.accountId!, baseUrl: plan.host, auth, ...tuning(env) }),
  );
}

/**
 * For dry runs: the target for "already synced?" lookups and the sandbox round trip, or null when
 * the account has no usable connection yet (the dry run then answers from the workspace alone,
 * and says so).
 */
export async function dryRunTarget(db: Db, accountId: number, direction?: SyncDirection): Promise<PushTarget | null> {
  try {
    return await resolveAccountTarget(db, accountId, direction);
  } catch (error) {
    if (
      error instanceof UserError &&
      /missing_secret|shop_missing|store_hash_missing|no_api_connection/.test(error.code)
    )
      return null;
    throw error;
  }
}
