import { z } from 'zod';

/** The causes of the review's action list (issue 16), also a results filter (`action`). */
export const ACTION_GROUP_IDS = [
  'item_mapping',
  'shipping_item',
  'tax_codes',
  'netsuite_configuration',
  'amount_other',
  'not_synced',
  'only_in_netsuite',
  'duplicates',
  'order_reference',
  'currency_mapping',
  'tender_booking',
  'credit_payout',
  'chargebacks',
  'exchanges',
] as const;
export const ActionGroupId = z.enum(ACTION_GROUP_IDS);
export type ActionGroupId = z.infer<typeof ActionGroupId>;
