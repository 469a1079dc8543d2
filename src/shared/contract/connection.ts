import { z } from 'zod';
import { IsoDate } from '../model';
import { channel } from './define';

/**
 * Live connections: pulling refunds from a vendor API into a snapshot (issue 5).
 *
 * `host` / `baseUrl` / `url` come from the renderer and are hostile: the main process sends stored
 * credentials only where the destination policy (src/main/connectors/destination-policy.ts) allows —
 * the vendor's own https host for the account, shop or store asked for; for WooCommerce the store's
 * https origin, with the key pair stored for that origin; 127.0.0.1 (the emulators) only when the
 * process was started with REFUND_RECON_ALLOW_LOOPBACK_APIS=1. Nothing here can turn that switch on.
 */

// Calendar dates (shared/calendar-date.ts): a pull window of 2024-02-30 is refused, not sent on.

export const NetsuitePullRequest = z
  .object({
    platform: z.literal('netsuite'),
    /** `1234567` or `1234567_SB1`. */
    accountId: z.string().min(1).max(40),
    /** REST host override from Company URLs: an https host under .netsuite.com. */
    host: z.string().max(200).optional(),
    auth: z.enum(['tba', 'oauth2']).default('tba'),
    from: IsoDate.optional(),
    to: IsoDate.optional(),
    modifiedSince: IsoDate.optional(),
    orderRefField: z.string().max(80).optional(),
    concurrency: z.number().int().min(1).max(100).default(5),
    netsuiteAccountId: z.number().int().optional(),
    label: z.string().max(200).optional(),
  })
  .strict();

export const ShopifyPullRequest = z
  .object({
    platform: z.literal('shopify'),
    shop: z.string().min(1).max(100),
    /** Only `https://<shop>.myshopify.com` of this shop (or the emulator, behind the switch). */
    baseUrl: z.string().max(200).optional(),
    updatedSince: IsoDate.optional(),
    bulk: z.boolean().default(false),
    storefrontAccountId: z.number().int().optional(),
    label: z.string().max(200).optional(),
  })
  .strict();

export const BigcommercePullRequest = z
  .object({
    platform: z.literal('bigcommerce'),
    /** The store hash of the API path `/stores/<hash>/v3`. */
    storeHash: z.string().min(1).max(40),
    /** API base override: only the vendor's own base for this store, or the emulator behind the switch. */
    baseUrl: z.string().max(200).optional(),
    /** The store's currency: BigCommerce refunds do not carry one. */
    currency: z.string().regex(/^[A-Za-z]{3}$/, 'expected an ISO 4217 code such as USD'),
    from: IsoDate.optional(),
    to: IsoDate.optional(),
    concurrency: z.number().int().min(1).max(20).default(3),
    storefrontAccountId: z.number().int().optional(),
    label: z.string().max(200).optional(),
  })
  .strict();

export const WoocommercePullRequest = z
  .object({
    platform: z.literal('woocommerce'),
    /** The store's https:// address (http://127.0.0.1 only behind the switch). */
    url: z.string().min(1).max(200),
    from: IsoDate.optional(),
    to: IsoDate.optional(),
    modifiedSince: IsoDate.optional(),
    concurrency: z.number().int().min(1).max(20).default(4),
    storefrontAccountId: z.number().int().optional(),
    label: z.string().max(200).optional(),
  })
  .strict();

export const PullRequest = z.discriminatedUnion('platform', [
  NetsuitePullRequest,
  ShopifyPullRequest,
  BigcommercePullRequest,
  WoocommercePullRequest,
]);
export type PullRequest = z.infer<typeof PullRequest>;

export const PullOutcome = z.object({
  snapshotId: z.number().int(),
  refunds: z.number().int(),
  requests: z.number().int(),
  retries: z.number().int(),
  throttled: z.number().int(),
});
export type PullOutcome = z.infer<typeof PullOutcome>;

export const connectionChannels = {
  'connection:pull': channel(
    PullRequest,
    PullOutcome,
    'Pull refunds from NetSuite, Shopify, BigCommerce or WooCommerce into a new snapshot (runs as a job: progress events, cancellable; credentials from the secret store)',
  ),
};
