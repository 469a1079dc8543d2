import type { Direction } from './contract/workspace';

/** How a refund-sync direction is named, on screens and in the core's messages alike. */
export const DIRECTION_LABELS: Readonly<Record<Direction, string>> = {
  off: 'Off',
  storefront_to_netsuite: 'Storefront → NetSuite',
  netsuite_to_storefront: 'NetSuite → Storefront',
};
