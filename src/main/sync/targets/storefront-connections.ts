import type { Platform } from '../../../shared/model';
import { BigcommerceClient, bigcommerceBaseUrl } from '../../connectors/bigcommerce/client';
import { WoocommerceClient, woocommerceDestination } from '../../connectors/woocommerce/client';
import { bigcommerceTokenFromSecrets, getSecretStore, woocommerceKeysFromSecrets } from '../../secrets';
import { BigcommerceTarget } from './bigcommerce-target';
import type { PushTarget } from './target';
import { WoocommerceTarget } from './woocommerce-target';

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/**
 * The BigCommerce / WooCommerce push target of a storefront account (NetSuite → storefront).
 * `undefined`: not one of these platforms; `null`: the account has no API address configured.
 *
 * Account API settings (`storefront_accounts.api_settings`): BigCommerce `{ storeHash, baseUrl? }`,
 * WooCommerce `{ baseUrl }` (the store address); both optionally `inFlightSettleMs` (see
 * read-back.ts). The address is checked by the connectors' destination policy here, before any
 * secret is read; the secrets come from the secret store on first use (BigCommerce
 * `bigcommerce[.<hash>].accessToken`; WooCommerce the key pair bound to the store's origin — env
 * `REFUND_RECON_BIGCOMMERCE_ACCESSTOKEN`, `REFUND_RECON_WOOCOMMERCE_CONSUMERKEY` / `…_CONSUMERSECRET`
 * / `…_STOREURL`, or the secrets file).
 */
export function storefrontTargetFor(
  platform: Platform,
  settings: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
): PushTarget | null | undefined {
  const settleMs = count(settings.inFlightSettleMs);
  const baseDelayMs = env.REFUND_RECON_HTTP_BASE_DELAY_MS ? Number(env.REFUND_RECON_HTTP_BASE_DELAY_MS) : undefined;
  const tuning = {
    ...(baseDelayMs !== undefined && Number.isFinite(baseDelayMs) ? { baseDelayMs } : {}),
  };
  if (platform === 'bigcommerce') {
    const storeHash = text(settings.storeHash);
    if (!storeHash) return null;
    const baseUrl = text(settings.baseUrl) || undefined;
    bigcommerceBaseUrl(storeHash, baseUrl); // destination policy: throws before any secret is read
    return new BigcommerceTarget({
      ...(settleMs !== undefined ? { settleMs } : {}),
      client: async () =>
        new BigcommerceClient({
          storeHash,
          ...(baseUrl ? { baseUrl } : {}),
          accessToken: await bigcommerceTokenFromSecrets(getSecretStore(), storeHash),
          ...tuning,
        }),
    });
  }
  if (platform === 'woocommerce') {
    const url = text(settings.baseUrl);
    if (!url) return null;
    const destination = woocommerceDestination(url); // destination policy, before any secret
    return new WoocommerceTarget({
      ...(settleMs !== undefined ? { settleMs } : {}),
      client: async () => {
        const keys = await woocommerceKeysFromSecrets(getSecretStore(), destination);
        return new WoocommerceClient({ url, ...keys, ...tuning });
      },
    });
  }
  return undefined;
}
