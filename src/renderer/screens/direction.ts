import type { Direction } from '../../shared/contract';

export const DIRECTION_LABELS: Record<Direction, string> = {
  off: 'Off',
  storefront_to_netsuite: 'Storefront → NetSuite',
  netsuite_to_storefront: 'NetSuite → Storefront',
};
