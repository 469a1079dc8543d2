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

export const PullRequest = z.discriminatedUnion('platform', [NetsuitePullRequest, ShopifyPullRequest]);
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
    'Pull refunds from NetSuite or Shopify into a new snapshot (runs as a job: progress events, cancellable; credentials from the secret store)',
  ),
};
