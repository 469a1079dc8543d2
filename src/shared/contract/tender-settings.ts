import { z } from 'zod';
import { TenderKind } from '../model';
import { channel } from './define';

/**
 * The tender mapping screen (tenders.md §1.3): which storefront gateways and NetSuite payment
 * methods are which tender kind, kept in the workspace. Names are checked (empty, twice) by the
 * use-case, which words the answer for an accountant; here only the shape and sizes.
 */

const Actor = z.string().trim().min(1).max(120).default('local user');
const Name = z.string().max(200);

/** The storefront platforms whose importers and pulls name gateways (§1.2). */
export const TenderPlatform = z.enum(['shopify', 'bigcommerce', 'woocommerce']);
export type TenderPlatform = z.infer<typeof TenderPlatform>;

export const GatewayMappingRow = z.object({ platform: TenderPlatform, gateway: Name, kind: TenderKind });
export type GatewayMappingRow = z.infer<typeof GatewayMappingRow>;
export const PaymentMethodMappingRow = z.object({ paymentMethod: Name, kind: TenderKind });
export type PaymentMethodMappingRow = z.infer<typeof PaymentMethodMappingRow>;

export const TenderMappingView = z.object({
  storefront: z.array(GatewayMappingRow),
  paymentMethods: z.array(PaymentMethodMappingRow),
  /**
   * NetSuite tender items (`itemRoles.tender` and `tenders.netsuite` item rows of a mapping file):
   * kept as they are by the screen, since an item changes a record's total, which only an import
   * applies.
   */
  tenderItems: z.array(z.object({ item: z.string(), kind: TenderKind })),
  /** Days an open Credit Memo may wait for its Customer Refund (§2 rule 3): the comparison setting. */
  creditPayoutDays: z.number().int().min(0).max(3660),
});
export type TenderMappingView = z.infer<typeof TenderMappingView>;

export const tenderSettingsChannels = {
  'tender-mapping:get': channel(
    z.object({}).strict(),
    TenderMappingView,
    'The workspace tender mapping: storefront gateways and NetSuite payment methods to tender kinds',
  ),
  'tender-mapping:set': channel(
    z
      .object({
        storefront: z.array(GatewayMappingRow).max(500),
        paymentMethods: z.array(PaymentMethodMappingRow).max(500),
        creditPayoutDays: z.number().int().optional(),
        actor: Actor,
      })
      .strict(),
    TenderMappingView,
    'Replace the gateway and payment-method rows of the tender mapping (audited); the next comparison uses them',
  ),
};
