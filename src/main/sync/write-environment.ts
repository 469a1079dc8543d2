import { PLATFORM_CATALOGUE, type SyncDirection } from './catalogue';
import { ShopifyRoundTripPort } from './round-trip/shopify-port';
import type { AccountSyncState } from './settings-store';
import { ShopifyTarget } from './targets/storefront-target';
import type { PushTarget } from './targets/target';

export interface WriteEnvironment {
  environment: 'sandbox' | 'production';
  /** The system written to, in words, and why it counts as this environment. */
  where: string;
}

/**
 * The environment of the system a push WRITES to (issue 17, sibling of Y2): the readiness gate
 * asks this, never the NetSuite account alone — a sandbox NetSuite account says nothing about the
 * store a NetSuite → storefront push refunds real customers in.
 *
 * - storefront → NetSuite: the linked NetSuite account's environment (its account ID, see
 *   src/shared/netsuite-environment.ts).
 * - NetSuite → storefront: a store is production unless proven otherwise. A Shopify store is
 *   proven a development store by its plan — the round trip's own check
 *   (round-trip/shopify-port.ts, one read-only query); BigCommerce and WooCommerce offer no such
 *   proof, so they are production.
 */
export async function writeEnvironment(
  state: AccountSyncState,
  direction: SyncDirection,
  target: PushTarget,
  signal?: AbortSignal,
): Promise<WriteEnvironment> {
  if (direction === 'storefront_to_netsuite') {
    const ns = state.netsuite;
    return {
      environment: ns?.environment ?? 'production',
      where: ns ? `NetSuite account ${ns.accountId} (${ns.environment})` : 'NetSuite',
    };
  }
  if (target instanceof ShopifyTarget) {
    const port = new ShopifyRoundTripPort(target.connection);
    const verdict = await port.check(signal);
    if (verdict.sandbox) return { environment: 'sandbox', where: verdict.name };
    return {
      environment: 'production',
      where: `the ${port.where}, a live store (its plan was not read as a development store's)`,
    };
  }
  const platform = PLATFORM_CATALOGUE[state.account.platform].label;
  return {
    environment: 'production',
    where: `the ${platform} store of ${state.account.name} (a live store: ${platform} offers no proof of a test store)`,
  };
}
