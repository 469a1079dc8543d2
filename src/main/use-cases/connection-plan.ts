import type { AuthMethod } from '../../shared/contract/accounts';
import { UserError } from '../../shared/errors';
import type { Platform } from '../../shared/model';
import { bigcommerceBaseUrl } from '../connectors/bigcommerce/client';
import { assertApiDestination, loopbackApisAllowed } from '../connectors/destination-policy';
import { restBaseUrl } from '../connectors/netsuite/account';
import { woocommerceDestination } from '../connectors/woocommerce/client';
import { listNetsuiteAccounts, readApiSettings, text } from '../store/accounts';
import type { Db } from '../store/open';
import { requireAccount } from '../sync/settings-store';

/**
 * Where an account's API is and which secrets it needs, worked out from the account alone (no
 * secret read). The host is checked by the connectors' destination policy here, so credentials
 * for one vendor can never be pointed at another vendor's host.
 *
 * Secret names follow the one scheme of docs/connections.md: `netsuite.<ACCOUNT ID>.<field>`,
 * `shopify.<shop>.accessToken`, `bigcommerce.<store hash>.accessToken`,
 * `woocommerce.<host>.consumerKey|consumerSecret`; the environment spelling is
 * `REFUND_RECON_` + the name upper-cased with every other character as `_`.
 */
export interface SecretField {
  field: string;
  label: string;
  /** The scoped secret name. */
  name: string;
  /** The unscoped name read as a fallback (one secrets file for one account of that vendor). */
  fallback: string | null;
}

export interface ConnectionPlan {
  type: 'netsuite' | 'storefront';
  id: number;
  platform: Platform | 'netsuite';
  host: string;
  hostIsDefault: boolean;
  authMethod: AuthMethod | null;
  authMethods: AuthMethod[];
  secrets: SecretField[];
  storeHash: string | null;
  /** Shopify: the shop name of the secret scope. */
  shop: string | null;
  /** NetSuite: the account ID. */
  accountId: string | null;
}

const TBA: [string, string][] = [
  ['consumerKey', 'Consumer key'],
  ['consumerSecret', 'Consumer secret'],
  ['tokenId', 'Token ID'],
  ['tokenSecret', 'Token secret'],
];
const OAUTH2: [string, string][] = [
  ['clientId', 'Client ID'],
  ['certificateId', 'Certificate ID'],
  ['privateKey', 'Private key (PEM)'],
];

export const AUTH_METHODS: Readonly<Record<string, AuthMethod[]>> = {
  netsuite: ['tba', 'oauth2'],
  shopify: ['access_token'],
  bigcommerce: ['api_token'],
  woocommerce: ['key_secret'],
};

export const AUTH_LABELS: Readonly<Record<AuthMethod, string>> = {
  tba: 'Token-based authentication (TBA)',
  oauth2: 'OAuth 2.0 client credentials',
  access_token: 'Admin API access token',
  api_token: 'API account access token',
  key_secret: 'REST API key and secret',
};

/** `my-store.myshopify.com`, `https://my-store.myshopify.com/…` or `my-store` → `my-store`. */
export function shopName(address: string): string {
  const bare = address
    .trim()
    .replace(/^https?:\/\//i, '')
    .split('/')[0]!
    .toLowerCase();
  return bare.endsWith('.myshopify.com') ? bare.slice(0, -'.myshopify.com'.length) : bare;
}

function fields(prefix: string, list: [string, string][], fallbackPrefix: string | null): SecretField[] {
  return list.map(([field, label]) => ({
    field,
    label,
    name: `${prefix}.${field}`,
    fallback: fallbackPrefix ? `${fallbackPrefix}.${field}` : null,
  }));
}

function netsuitePlan(db: Db, id: number, hostOverride?: string, method?: AuthMethod): ConnectionPlan {
  const account = listNetsuiteAccounts(db).find((n) => n.id === id);
  if (!account)
    throw new UserError('account_not_found', `There is no NetSuite account ${id} in this workspace.`, { field: 'id' });
  // Older workspaces kept the host in the API settings (`baseUrl`); the column wins.
  const override = hostOverride ?? (account.restHost || text(readApiSettings(db, 'netsuite_accounts', id).baseUrl));
  const host = override
    ? assertApiDestination({
        platform: 'netsuite',
        accountId: account.accountId,
        url: override,
        allowLoopback: loopbackApisAllowed(),
      }).baseUrl
    : restBaseUrl(account.accountId);
  const authMethod = method ?? account.authMethod;
  if (authMethod !== 'tba' && authMethod !== 'oauth2') {
    throw new UserError(
      'invalid_auth_method',
      'A NetSuite account connects with token-based authentication (tba) or OAuth 2.0 client credentials (oauth2).',
      {
        field: 'authMethod',
      },
    );
  }
  const prefix = `netsuite.${account.accountId}`;
  return {
    type: 'netsuite',
    id,
    platform: 'netsuite',
    host,
    hostIsDefault: !override,
    authMethod,
    authMethods: AUTH_METHODS.netsuite!,
    secrets: fields(prefix, authMethod === 'tba' ? TBA : OAUTH2, 'netsuite'),
    storeHash: null,
    shop: null,
    accountId: account.accountId,
  };
}

function storefrontPlan(db: Db, id: number, hostOverride?: string, storeHashIn?: string): ConnectionPlan {
  const account = requireAccount(db, id);
  const settings = readApiSettings(db, 'storefront_accounts', id);
  const override = hostOverride ?? text(settings.baseUrl);
  const shopAddress = text(settings.shop);
  const allowLoopback = loopbackApisAllowed();
  const base = { type: 'storefront' as const, id, platform: account.platform, accountId: null };
  switch (account.platform) {
    case 'shopify': {
      const shop = shopAddress ? shopName(shopAddress) : '';
      if (!shop) {
        throw new UserError(
          'shop_missing',
          `${account.name} has no shop address: set it (such as my-store.myshopify.com) before its connection.`,
          {
            field: 'shop',
          },
        );
      }
      const destination = assertApiDestination({
        platform: 'shopify',
        shop,
        url: override || undefined,
        allowLoopback,
      });
      return {
        ...base,
        host: destination.baseUrl,
        hostIsDefault: !override,
        authMethod: 'access_token',
        authMethods: AUTH_METHODS.shopify!,
        secrets: fields(`shopify.${destination.shop ?? shop}`, [['accessToken', 'Admin API access token']], 'shopify'),
        storeHash: null,
        shop: destination.shop ?? shop,
      };
    }
    case 'bigcommerce': {
      const storeHash = (storeHashIn ?? text(settings.storeHash)).toLowerCase();
      if (!storeHash) {
        throw new UserError(
          'store_hash_missing',
          `${account.name} needs its BigCommerce store hash (the part after /stores/ in the API path shown with the API account).`,
          { field: 'storeHash' },
        );
      }
      return {
        ...base,
        host: bigcommerceBaseUrl(storeHash, override || undefined),
        hostIsDefault: !override,
        authMethod: 'api_token',
        authMethods: AUTH_METHODS.bigcommerce!,
        secrets: fields(`bigcommerce.${storeHash}`, [['accessToken', 'API account access token']], 'bigcommerce'),
        storeHash,
        shop: null,
      };
    }
    case 'woocommerce': {
      const address = override || shopAddress;
      if (!address) {
        throw new UserError(
          'shop_missing',
          `${account.name} has no store address: set it (such as https://shop.example.com) before its connection.`,
          {
            field: 'shop',
          },
        );
      }
      const destination = woocommerceDestination(address, allowLoopback);
      return {
        ...base,
        host: destination.baseUrl,
        hostIsDefault: !override,
        authMethod: 'key_secret',
        authMethods: AUTH_METHODS.woocommerce!,
        // Scoped by host and read from the secrets file only (see connection-secrets.ts).
        secrets: fields(
          `woocommerce.${destination.host}`,
          [
            ['consumerKey', 'Consumer key'],
            ['consumerSecret', 'Consumer secret'],
          ],
          null,
        ),
        storeHash: null,
        shop: null,
      };
    }
    default:
      throw new UserError(
        'no_api_connection',
        `${account.name} is a ${account.platform} storefront: this app reads it from export files; live connections exist for Shopify, BigCommerce and WooCommerce.`,
        { field: 'platform' },
      );
  }
}

export function connectionPlan(
  db: Db,
  type: 'netsuite' | 'storefront',
  id: number,
  change: { host?: string | undefined; authMethod?: AuthMethod | undefined; storeHash?: string | undefined } = {},
): ConnectionPlan {
  if (type === 'netsuite') return netsuitePlan(db, id, change.host, change.authMethod);
  if (change.authMethod !== undefined) {
    const platform = requireAccount(db, id).platform;
    const offered = AUTH_METHODS[platform] ?? [];
    if (!offered.includes(change.authMethod)) {
      throw new UserError(
        'invalid_auth_method',
        `A ${platform} store connects with ${offered.map((m) => AUTH_LABELS[m]).join(' or ') || 'export files only'}.`,
        { field: 'authMethod' },
      );
    }
  }
  return storefrontPlan(db, id, change.host, change.storeHash);
}
