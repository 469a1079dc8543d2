import { UserError } from '../../shared/errors';
import type { NetsuiteAuth } from '../connectors/netsuite/client';
import { envNameOf, type SecretStore } from './secret-store';

/**
 * Secret names per connection. A scoped name (`netsuite.<ACCOUNT>.tokenSecret`) wins over the
 * unscoped one (`netsuite.tokenSecret`), so one secrets file can serve several accounts.
 */
async function need(store: SecretStore, scoped: string, plain: string, what: string): Promise<string> {
  const value = (await store.get(scoped)) ?? (await store.get(plain));
  if (value === undefined) {
    throw new UserError(
      'missing_secret',
      `No ${what} is configured. Set the environment variable ${envNameOf(scoped)} (or ${envNameOf(plain)}), or add "${scoped}" to the secrets file.`,
      { field: scoped },
    );
  }
  return value;
}

export async function netsuiteAuthFromSecrets(
  store: SecretStore,
  account: string,
  method: 'tba' | 'oauth2',
): Promise<NetsuiteAuth> {
  const s = (key: string, what: string) => need(store, `netsuite.${account}.${key}`, `netsuite.${key}`, what);
  if (method === 'tba') {
    return {
      kind: 'tba',
      consumerKey: await s('consumerKey', 'NetSuite consumer key'),
      consumerSecret: await s('consumerSecret', 'NetSuite consumer secret'),
      token: await s('tokenId', 'NetSuite token ID'),
      tokenSecret: await s('tokenSecret', 'NetSuite token secret'),
    };
  }
  const algorithm = (await store.get(`netsuite.${account}.algorithm`)) ?? 'PS256';
  if (algorithm !== 'PS256' && algorithm !== 'RS256' && algorithm !== 'ES256') {
    throw new UserError(
      'netsuite_oauth2_algorithm',
      `JWT algorithm must be PS256, RS256 or ES256, found ${algorithm}.`,
    );
  }
  return {
    kind: 'oauth2',
    clientId: await s('clientId', 'NetSuite OAuth 2.0 client ID'),
    certificateId: await s('certificateId', 'NetSuite OAuth 2.0 certificate ID'),
    privateKey: await s('privateKey', 'NetSuite OAuth 2.0 private key (PEM)'),
    algorithm,
  };
}

export function shopifyTokenFromSecrets(store: SecretStore, shop: string): Promise<string> {
  return need(store, `shopify.${shop}.accessToken`, 'shopify.accessToken', 'Shopify Admin API access token');
}

export function bigcommerceTokenFromSecrets(store: SecretStore, storeHash: string): Promise<string> {
  return need(
    store,
    `bigcommerce.${storeHash}.accessToken`,
    'bigcommerce.accessToken',
    'BigCommerce API account access token',
  );
}

/** WooCommerce keys are scoped by the store's host (`shop.example.com`, `127.0.0.1:8080`). */
export async function woocommerceKeysFromSecrets(
  store: SecretStore,
  host: string,
): Promise<{ consumerKey: string; consumerSecret: string }> {
  return {
    consumerKey: await need(
      store,
      `woocommerce.${host}.consumerKey`,
      'woocommerce.consumerKey',
      'WooCommerce REST API consumer key',
    ),
    consumerSecret: await need(
      store,
      `woocommerce.${host}.consumerSecret`,
      'woocommerce.consumerSecret',
      'WooCommerce REST API consumer secret',
    ),
  };
}
