import type { ActionGroupId } from '../../shared/contract';

/**
 * The causes of the review's action list (issue 16), each with what fixes it. A result belongs to
 * the first group whose condition it meets; the conditions read the result's code and the cause its
 * hint names (hints.ts writes those phrases), so the action list and the review's `action` filter
 * agree by construction.
 */

interface GroupSpec {
  id: ActionGroupId;
  title: string;
  fix: string;
  /** SQL over `results r`; fixed text, no user input. */
  when: string;
}

export const ACTION_GROUPS: readonly GroupSpec[] = [
  {
    id: 'item_mapping',
    title: 'Item mapping: storefront SKU ↔ NetSuite item',
    fix: 'Map the storefront SKUs to NetSuite items (the connector’s item mapping), or correct the items on the NetSuite records.',
    when: "(r.code = 'line_mismatch' OR (r.code = 'general_refund' AND r.severity <> 'info'))",
  },
  {
    id: 'shipping_item',
    title: 'Shipping item not configured',
    fix: 'Set the shipping item in the connector’s NetSuite settings so refunded shipping reaches the refund record.',
    when: "(r.code = 'amount_mismatch' AND r.hint LIKE '%shipping item mapping%')",
  },
  {
    id: 'tax_codes',
    title: 'Tax not refunded alike: tax codes',
    fix: 'Check the tax codes on the refund items in NetSuite (and a tax-only refund item).',
    when: "(r.code = 'amount_mismatch' AND r.hint LIKE '%tax code%')",
  },
  {
    id: 'netsuite_configuration',
    title: 'Refund created in NetSuite from the source order: NetSuite configuration',
    fix: 'NetSuite built these records from the order: check its items, tax codes, shipping item and record-type settings; the connector does not decide how.',
    when: "(r.code = 'record_type_mismatch' OR (r.code = 'amount_mismatch' AND r.hint LIKE '%NetSuite''s configuration%'))",
  },
  {
    id: 'amount_other',
    title: 'Amounts differ: compare the two records',
    fix: 'Open each result: the lines and parts show which amount differs; correct the record that is wrong.',
    when: "r.code = 'amount_mismatch'",
  },
  {
    id: 'not_synced',
    title: 'Missing in NetSuite: not synced yet',
    fix: 'Wait for the connector’s next sync, or push the refund to NetSuite from Accounts & directions.',
    when: "r.code = 'missing_in_netsuite'",
  },
  {
    id: 'only_in_netsuite',
    title: 'Only in NetSuite: entered by hand or outside the storefront export',
    fix: 'Check whether the refund was keyed in NetSuite by hand (a common source of doubles) or falls outside the storefront file’s dates.',
    when: "r.code = 'missing_in_storefront'",
  },
  {
    id: 'duplicates',
    title: 'Duplicates to void',
    fix: 'Void the second NetSuite record (or check the payment gateway for a refund issued twice).',
    when: "r.code = 'duplicate'",
  },
  {
    id: 'order_reference',
    title: 'NetSuite records without an order reference',
    fix: 'Fill in the storefront order reference (or the External ID) on the NetSuite record.',
    when: "r.code = 'no_order_reference'",
  },
  {
    id: 'currency_mapping',
    title: 'Currency mapping: the two sides are in different currencies',
    fix: 'Check the connector’s currency mapping and the currency of the NetSuite customer record.',
    when: "r.code = 'currency_mismatch'",
  },
  // How the money went back (tenders.md §3): the fixes are the hints' own advice, in short.
  {
    id: 'tender_booking',
    title: 'Paid back one way, booked another way in NetSuite',
    fix: 'Book each refund the way the customer got it back: store credit as an open Credit Memo (or on the store-credit item), money as a Cash Refund or a Customer Refund.',
    when: "r.code = 'tender_mismatch'",
  },
  {
    id: 'credit_payout',
    title: 'Credit Memos not paid out',
    fix: 'Create the Customer Refund that pays out each Credit Memo, or correct the storefront refund if the customer really got store credit.',
    when: "r.code = 'credit_not_paid_out'",
  },
  {
    id: 'chargebacks',
    title: 'Refunds and chargebacks on the same order',
    fix: 'Book each chargeback one way only, and do not refund an order with an open or lost chargeback: accept or answer the dispute.',
    when: "r.code = 'chargeback'",
  },
  {
    id: 'exchanges',
    title: 'Exchanges not recorded as exchanges in NetSuite',
    fix: 'Check that NetSuite holds the sale of the exchange items (a Cash Sale, or the Invoice the credit was applied to).',
    when: "r.code = 'exchange'",
  },
];

/** The group of a result, as one SQL expression (NULL: nothing to act on). */
export const ACTION_GROUP_SQL = `CASE ${ACTION_GROUPS.map((g) => `WHEN ${g.when} THEN '${g.id}'`).join(' ')} ELSE NULL END`;

/** The `action` filter of a results query. Only warning and error results are actionable. */
export function actionFilterSql(): string {
  return `(r.severity IN ('warning','error') AND (${ACTION_GROUP_SQL}) = ?)`;
}
