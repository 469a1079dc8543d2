import { z } from 'zod';
import { CurrencyCode, Minor } from '../../shared/model';

/** A reference to a NetSuite record in a REST body: by internal id, or by External ID. */
export const NsRef = z.union([z.object({ id: z.string().min(1) }), z.object({ externalId: z.string().min(1) })]);
export type NsRef = z.infer<typeof NsRef>;

/**
 * Per-account sync options (stored as JSON in refund_sync_settings.options). Item internal ids are
 * what FarApp's "Post positive refund adjustments against item" setting holds.
 */
export const SyncOptions = z
  .object({
    /** Generic refund item (Other Charge for Sale) for amounts not tied to an item. */
    genericItemId: z.string().default(''),
    /** Item that carries a shipping refund; falls back to the generic item. */
    shippingItemId: z.string().default(''),
    /** Item for a tax-only refund (a positive line carrying the tax as its rate); falls back to generic. */
    taxOnlyItemId: z.string().default(''),
    /** Bank/undeposited-funds account of a Cash Refund or Customer Refund. */
    refundAccountId: z.string().default(''),
    /** ISO code → NetSuite currency internal id. */
    currencyIds: z.record(z.string(), z.string()).default({}),
    /** Storefront SKU → NetSuite item name/SKU, where they are not identical (spec §3 item mapping). */
    itemMap: z.record(z.string(), z.string()).default({}),
    /** Storefront side: restock on refunds pushed out of NetSuite (Shopify restockType). */
    restockType: z.enum(['NO_RESTOCK', 'RETURN', 'CANCEL']).default('NO_RESTOCK'),
    notifyCustomer: z.boolean().default(false),
  })
  .strict();
export type SyncOptions = z.infer<typeof SyncOptions>;
export type SyncOptionsInput = z.input<typeof SyncOptions>;

const OrderDate = z
  .string()
  .regex(/^(\d{4}-\d{2}-\d{2})?$/, 'expected YYYY-MM-DD')
  .optional();

/** How NetSuite holds the order a storefront refund belongs to (read from NetSuite). */
export const NetsuiteOrderContext = z
  .object({
    orderRef: z.string().min(1),
    customerId: z.string().min(1),
    currency: CurrencyCode,
    /** The billing record: Cash Sale, Invoice, or none yet (sales order only). */
    billing: z.discriminatedUnion('type', [
      z.object({ type: z.literal('cashSale'), id: z.string().min(1), tranId: z.string().default('') }),
      z.object({ type: z.literal('invoice'), id: z.string().min(1), tranId: z.string().default('') }),
      z.object({ type: z.literal('none') }),
    ]),
    /** A Customer Deposit taken on the sales order (what a refund before billing is made against). */
    deposit: z
      .object({ id: z.string().min(1), amount: Minor })
      .nullable()
      .default(null),
    /** Item lines of the NetSuite order: item name/SKU → internal id. */
    items: z.array(z.object({ sku: z.string(), itemId: z.string().min(1) })).default([]),
    /** Order total in minor units: tells a full refund from a partial one. */
    orderTotal: Minor.nullable().default(null),
    subsidiaryId: z.string().default(''),
    locationId: z.string().default(''),
    /** Date the order was created (YYYY-MM-DD), for the "Import Orders Created After" cutoff (absent: unknown). */
    orderDate: OrderDate,
  })
  .strict();
export type NetsuiteOrderContext = z.infer<typeof NetsuiteOrderContext>;

/** How the storefront holds the order a NetSuite refund belongs to (read from the storefront). */
export const StorefrontOrderContext = z
  .object({
    orderRef: z.string().min(1),
    /** Shopify `gid://shopify/Order/…`, BigCommerce order id, WooCommerce order id. */
    orderId: z.string().min(1),
    currency: CurrencyCode,
    /** Shopify: presentment currency when it differs from the shop currency. */
    presentmentCurrency: CurrencyCode.nullable().default(null),
    orderTotal: Minor.nullable().default(null),
    lines: z
      .array(
        z.object({
          sku: z.string(),
          /** Shopify LineItem gid, BigCommerce order product id, WooCommerce order line item id. */
          lineItemId: z.string().min(1),
          quantity: z.number().int().nonnegative(),
          /** WooCommerce tax rate id for `refund_tax`. */
          taxRateId: z.string().default(''),
        }),
      )
      .default([]),
    /** BigCommerce order address id (SHIPPING item), WooCommerce shipping line id. */
    shippingLineId: z.string().default(''),
    /** Shopify: the SALE/CAPTURE transaction refunds go against; BigCommerce: payment provider. */
    payment: z
      .object({ parentId: z.string().default(''), gateway: z.string().default(''), providerId: z.string().default('') })
      .default({ parentId: '', gateway: '', providerId: '' }),
    locationId: z.string().default(''),
    /** Date the order was created (YYYY-MM-DD), for the "Import Orders Created After" cutoff (absent: unknown). */
    orderDate: OrderDate,
  })
  .strict();
export type StorefrontOrderContext = z.infer<typeof StorefrontOrderContext>;

/** A file of order contexts for `dry-run --orders-context` and the fixtures. */
export const OrderContextFile = z
  .object({
    netsuite: z.array(NetsuiteOrderContext).default([]),
    storefront: z.array(StorefrontOrderContext).default([]),
  })
  .strict();
export type OrderContextFile = z.infer<typeof OrderContextFile>;
