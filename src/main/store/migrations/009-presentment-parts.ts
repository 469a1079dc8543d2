import type { Migration } from './migration';

/**
 * Issue 14 defect 1: a storefront refund's parts in presentment (customer) money, so a refund that
 * NetSuite recorded in the customer's currency is compared line by line in that currency.
 *
 * `refunds.presentment_parts`: JSON `{"shipping":n,"tax":n,"adjustment":n,"lines":[{"amount":n,"tax":n},…]}`
 * in minor units of `presentment_currency`, `lines[i]` being the refund's line `line_no = i + 1`;
 * NULL when the source did not give every part in presentment money (and for every row written
 * before this version: those refunds keep comparing on their presentment total, as before).
 * One column rather than columns on `refund_lines`: the matcher never reads `refund_lines` (it
 * reads line summaries, migration 005) and multi-currency refunds are a small share of a snapshot.
 */
export const migration009: Migration = {
  version: 9,
  name: 'refunds: parts in presentment money',
  up: `
ALTER TABLE refunds ADD COLUMN presentment_parts TEXT;
`,
};
