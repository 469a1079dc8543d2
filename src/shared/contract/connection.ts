import { z } from 'zod';
import { channel } from './define';

/** Live connections: pulling refunds from a vendor API into a snapshot (issue 5). */

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

export const NetsuitePullRequest = z
  .object({
    platform: z.literal('netsuite'),
    /** `1234567` or `1234567_SB1`. */
    accountId: z.string().min(1).max(40),
    /** REST host override from Company URLs. */
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
    /** API base override (e.g. the local emulator `http://127.0.0.1:<port>/stores/<hash>/v3`). */
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
    /** The store's https:// address (http:// only for 127.0.0.1). */
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
