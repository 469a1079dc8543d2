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

/** `shop` is the bare shop name (`my-store`) from the destination policy. */
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

/**
 * WooCommerce keys are bound to the store's origin, so a store address can only ever receive the
 * pair stored for that same origin:
 *
 * - scoped: `woocommerce.<host[:port]>.consumerKey` / `.consumerSecret` (host as in the checked
 *   destination: lower case, the default port left out). Both halves must be scoped; a scoped
 *   half is never completed with an unscoped one. Not read from environment variables (the
 *   variable spelling folds `.`, `-` and `:` into `_`, so `shop-example.com` would read the
 *   variables of `shop.example.com`): put them in the secrets file.
 * - unscoped default `woocommerce.consumerKey` / `.consumerSecret`: sent only to the origin named
 *   by `woocommerce.storeUrl` (`REFUND_RECON_WOOCOMMERCE_STOREURL`), never to whatever address a
 *   request names.
 *
 * `destination` must come from the destination policy (`woocommerceDestination`).
 */
export async function woocommerceKeysFromSecrets(
  store: SecretStore,
  destination: { origin: string; host: string },
): Promise<{ consumerKey: string; consumerSecret: string }> {
  const { origin, host } = destination;
  const scopedKeyName = `woocommerce.${host}.consumerKey`;
  const scopedSecretName = `woocommerce.${host}.consumerSecret`;
  const scopedKey = await store.get(scopedKeyName);
  const scopedSecret = await store.get(scopedSecretName);
  if (scopedKey !== undefined || scopedSecret !== undefined) {
    if (scopedKey === undefined || scopedSecret === undefined) {
      const missing = scopedKey === undefined ? scopedKeyName : scopedSecretName;
      throw new UserError(
        'missing_secret',
        `Only half of the WooCommerce key pair for ${origin} is configured: add "${missing}" to the secrets file (scoped WooCommerce secrets are not read from environment variables).`,
        { field: missing },
      );
    }
    return { consumerKey: scopedKey, consumerSecret: scopedSecret };
  }
  const plainKey = await store.get('woocommerce.consumerKey');
  const plainSecret = await store.get('woocommerce.consumerSecret');
  if (plainKey === undefined || plainSecret === undefined) {
    throw new UserError(
      'missing_secret',
      `No WooCommerce REST API key pair is configured for ${origin}. Add "${scopedKeyName}" and "${scopedSecretName}" to the secrets file, or set ${envNameOf('woocommerce.consumerKey')}, ${envNameOf('woocommerce.consumerSecret')} and ${envNameOf('woocommerce.storeUrl')}=${origin}.`,
      { field: scopedKeyName },
    );
  }
  const bound = await store.get('woocommerce.storeUrl');
  let boundOrigin: string | undefined;
  try {
    boundOrigin = bound === undefined ? undefined : new URL(bound.trim()).origin.toLowerCase();
  } catch {
    boundOrigin = undefined;
  }
  if (boundOrigin === undefined) {
    throw new UserError(
      'woocommerce_secret_unbound',
      `The default WooCommerce key pair is not tied to a store, so it is not sent to ${origin}. Set ${envNameOf('woocommerce.storeUrl')} (or "woocommerce.storeUrl" in the secrets file) to the store the pair belongs to, such as ${origin}, or store the pair as "${scopedKeyName}" / "${scopedSecretName}".`,
      { field: 'woocommerce.storeUrl' },
    );
  }
  if (boundOrigin !== origin) {
    throw new UserError(
      'woocommerce_secret_other_store',
      `The default WooCommerce key pair belongs to ${boundOrigin} (woocommerce.storeUrl), not to ${origin}; it is never sent to another store. Store this store's pair as "${scopedKeyName}" / "${scopedSecretName}" in the secrets file.`,
      { field: 'woocommerce.storeUrl' },
    );
  }
  return { consumerKey: plainKey, consumerSecret: plainSecret };
}
