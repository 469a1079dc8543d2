import { BigcommerceClient } from '../connectors/bigcommerce/client';
import { NetsuiteClient } from '../connectors/netsuite/client';
import { ShopifyClient } from '../connectors/shopify/client';
import { WoocommerceClient, woocommerceDestination } from '../connectors/woocommerce/client';
import {
  bigcommerceTokenFromSecrets,
  netsuiteAuthFromSecrets,
  type SecretStore,
  shopifyTokenFromSecrets,
  woocommerceKeysFromSecrets,
} from '../secrets';
import type { ConnectionPlan } from './connection-plan';

export type AccountClient =
  | { platform: 'netsuite'; client: NetsuiteClient }
  | { platform: 'shopify'; client: ShopifyClient }
  | { platform: 'bigcommerce'; client: BigcommerceClient }
  | { platform: 'woocommerce'; client: WoocommerceClient };

/** The vendor client of an account's connection, with its secrets read from the store (main process only). */
export async function clientFor(
  plan: ConnectionPlan,
  store: SecretStore,
  tuning: { maxAttempts?: number; timeoutMs?: number } = {},
): Promise<AccountClient | null> {
  switch (plan.platform) {
    case 'netsuite': {
      const auth = await netsuiteAuthFromSecrets(
        store,
        plan.accountId!,
        plan.authMethod === 'oauth2' ? 'oauth2' : 'tba',
      );
      return {
        platform: 'netsuite',
        client: new NetsuiteClient({ accountId: plan.accountId!, baseUrl: plan.host, auth, ...tuning }),
      };
    }
    case 'shopify': {
      const accessToken = await shopifyTokenFromSecrets(store, plan.shop!);
      return {
        platform: 'shopify',
        client: new ShopifyClient({ shop: plan.shop!, baseUrl: plan.host, accessToken, ...tuning }),
      };
    }
    case 'bigcommerce': {
      const accessToken = await bigcommerceTokenFromSecrets(store, plan.storeHash!);
      return {
        platform: 'bigcommerce',
        client: new BigcommerceClient({ storeHash: plan.storeHash!, baseUrl: plan.host, accessToken, ...tuning }),
      };
    }
    case 'woocommerce': {
      const keys = await woocommerceKeysFromSecrets(store, woocommerceDestination(plan.host));
      return { platform: 'woocommerce', client: new WoocommerceClient({ url: plan.host, ...keys, ...tuning }) };
    }
    default:
      return null;
  }
}
