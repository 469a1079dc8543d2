import type { Direction } from '../../shared/contract/workspace';
import type { Platform } from '../../shared/model';

export type SyncDirection = Exclude<Direction, 'off'>;

export interface PlatformDefaults {
  platform: Platform;
  label: string;
  kind: 'marketplace' | 'cart' | 'other';
  /** Can the storefront refund single lines? `unknown` until a hand refund in the storefront answers it. */
  lineItemRefunds: 'yes' | 'no' | 'unknown';
  /** Directions the platform's connector offers (refund-domain.md §1.2). */
  directions: readonly SyncDirection[];
  storeCredit: boolean;
  splitTender: boolean;
  /** Marketplaces refund in the marketplace and sync in; carts refund in NetSuite and push out. */
  recommended: SyncDirection | null;
  note: string;
}

/**
 * The built-in catalogue (spec §2, refund-domain.md §1.1–1.4). No published table says which
 * storefronts refund by line, so these are starting points the user overrides per account.
 */
export const PLATFORM_CATALOGUE: Readonly<Record<Platform, PlatformDefaults>> = {
  amazon: {
    platform: 'amazon',
    label: 'Amazon',
    kind: 'marketplace',
    lineItemRefunds: 'yes',
    directions: ['storefront_to_netsuite'],
    storeCredit: false,
    splitTender: false,
    recommended: 'storefront_to_netsuite',
    note: 'Refunds arrive through the settlement sync; the connector offers no refund push to Amazon.',
  },
  ebay: {
    platform: 'ebay',
    label: 'eBay',
    kind: 'marketplace',
    lineItemRefunds: 'yes',
    directions: ['storefront_to_netsuite'],
    storeCredit: false,
    splitTender: false,
    recommended: 'storefront_to_netsuite',
    note: 'A refund made before the buyer asked appears as an external transaction the connector cannot retrieve.',
  },
  walmart: {
    platform: 'walmart',
    label: 'Walmart',
    kind: 'marketplace',
    lineItemRefunds: 'yes',
    directions: ['storefront_to_netsuite'],
    storeCredit: false,
    splitTender: false,
    recommended: 'storefront_to_netsuite',
    note: 'Marketplace: refund in Walmart and let the connector bring the refund into NetSuite.',
  },
  shopify: {
    platform: 'shopify',
    label: 'Shopify',
    kind: 'cart',
    lineItemRefunds: 'yes',
    directions: ['storefront_to_netsuite', 'netsuite_to_storefront'],
    storeCredit: true,
    splitTender: true,
    recommended: 'netsuite_to_storefront',
    note: 'Cart: refund in NetSuite and let the connector push the refund to Shopify.',
  },
  magento: {
    platform: 'magento',
    label: 'Magento / Adobe Commerce',
    kind: 'cart',
    lineItemRefunds: 'yes',
    directions: ['storefront_to_netsuite', 'netsuite_to_storefront'],
    storeCredit: true,
    splitTender: false,
    recommended: 'netsuite_to_storefront',
    note: 'Cart: refund in NetSuite and let the connector push the refund (credit memo) to Magento.',
  },
  bigcommerce: {
    platform: 'bigcommerce',
    label: 'BigCommerce',
    kind: 'cart',
    lineItemRefunds: 'yes',
    directions: ['storefront_to_netsuite', 'netsuite_to_storefront'],
    storeCredit: true,
    splitTender: false,
    recommended: 'netsuite_to_storefront',
    note: 'Cart: refund in NetSuite; the push asks BigCommerce for a refund quote, then refunds.',
  },
  woocommerce: {
    platform: 'woocommerce',
    label: 'WooCommerce',
    kind: 'cart',
    lineItemRefunds: 'yes',
    directions: ['storefront_to_netsuite', 'netsuite_to_storefront'],
    storeCredit: false,
    splitTender: false,
    recommended: 'netsuite_to_storefront',
    note: 'Cart: refund in NetSuite and let the connector push the refund to WooCommerce.',
  },
  other: {
    platform: 'other',
    label: 'Other storefront',
    kind: 'other',
    lineItemRefunds: 'unknown',
    directions: ['storefront_to_netsuite', 'netsuite_to_storefront'],
    storeCredit: false,
    splitTender: false,
    recommended: null,
    note: 'No recommendation: choose the side where refunds are made, and test with a hand refund first.',
  },
};

export function platformDefaults(platform: Platform): PlatformDefaults {
  return PLATFORM_CATALOGUE[platform];
}

// One definition for the app and the core.
export { DIRECTION_LABELS } from '../../shared/direction-labels';

/** The side a refund is made on for a direction ("source") and the side that only receives. */
export function sourceSide(direction: SyncDirection): 'storefront' | 'netsuite' {
  return direction === 'storefront_to_netsuite' ? 'storefront' : 'netsuite';
}
