import { z } from 'zod';
import { CurrencyCode, Minor, TenderKind } from '../../shared/model';

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
    /**
     * Storefront gateway → NetSuite payment method (tenders.md §5.1: `paymentMethod` mapped from the
     * gateway). `name` decides the method's tender kind when the record is read back (§1.3 defaults:
     * /store credit/, /gift/, /cash|cheque|check/, else card). Key `gift_card` maps gift-card refunds.
     */
    paymentMethods: z
      .array(z.object({ gateway: z.string().min(1), id: z.string().min(1), name: z.string().default('') }))
      .default([]),
    /**
     * Tender items (tenders.md §1.4, item role `tender`): internal ids of the items a stored-value
     * part is posted on as a negative line (Nova Module / Celigo store credit, NetSuite Connector or
     * Pipe17 gift cards). Empty: not configured.
     */
    tenderItems: z
      .object({ store_credit: z.string().default(''), gift_card: z.string().default('') })
      .default({ store_credit: '', gift_card: '' }),
    /**
     * tenders.md §5.2/§6: the NetSuite body field (`custbody…`, a checkbox) that marks a Credit Memo
     * as store credit for the storefront. Empty: only a store-credit tender item marks it.
     */
    storeCreditMarker: z.string().default(''),
    /**
     * Shopify Admin API version the account writes with (`2025-10` or later documents
     * `RefundInput.refundMethods` [tenders.md S2]); empty: the app's default version.
     */
    shopifyApiVersion: z
      .string()
      .regex(/^(\d{4}-\d{2}|unstable)?$/, 'expected YYYY-MM or unstable')
      .default(''),
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

/**
 * One SALE/CAPTURE transaction of a storefront order (tenders.md §5): what a refund can go back
 * onto. `refundable`: minor units still refundable on it (null: unknown).
 */
export const OrderPayment = z
  .object({
    parentId: z.string().default(''),
    gateway: z.string().default(''),
    kind: TenderKind.default('card'),
    refundable: Minor.nullable().default(null),
  })
  .strict();
export type OrderPayment = z.infer<typeof OrderPayment>;

/**
 * A chargeback or inquiry on the order (tenders.md §3.1 `CanonicalDispute`, as much of it as the
 * sync needs). Until disputes are stored beside the storefront snapshot, the order context file
 * carries them; `chargeback_open` refuses a refund onto an order with an open or lost chargeback.
 */
export const OrderDispute = z
  .object({
    id: z.string().min(1),
    type: z.preprocess((v) => (typeof v === 'string' ? v.toLowerCase() : v), z.enum(['chargeback', 'inquiry'])),
    status: z.preprocess(
      (v) => (typeof v === 'string' ? v.toLowerCase() : v),
      z.enum(['needs_response', 'under_review', 'accepted', 'won', 'lost', 'prevented', 'charge_refunded']),
    ),
    amount: Minor.nullable().default(null),
    initiatedAt: z.string().default(''),
  })
  .strict();
export type OrderDispute = z.infer<typeof OrderDispute>;

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
    /**
     * Every SALE/CAPTURE transaction (tenders.md §5), not only the one `payment` names: a gift-card
     * refund goes onto the gift-card SALE, store credit may not exceed what was paid. Empty: derived
     * from `payment` (files written before tenders).
     */
    payments: z.array(OrderPayment).default([]),
    /** The order's customer (Shopify Customer gid, BigCommerce `customer_id`); "" or "0": a guest order. */
    customerId: z.string().default(''),
    /** BigCommerce: the store's default currency (store credit only in it [tenders.md S9]); null: unknown. */
    storeCurrency: CurrencyCode.nullable().default(null),
    /** Chargebacks and inquiries on the order (tenders.md §3.1), until stored disputes are wired. */
    disputes: z.array(OrderDispute).default([]),
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
