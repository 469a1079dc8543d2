import type { Migration } from './migration';

/**
 * Issue 14 defect 1: a storefront refund's parts in presentment (customer) money, so a refund that
 * NetSuite recorded in the customer's currency is compared line by line in that currency.
 *
 * `refunds.presentment_parts`: JSON `{"shipping":n,"tax":n,"adjustment":n,"lines":[{"amount":n,"tax":n},…]}`
 * in minor units of `presentment_currency`, `lines[i]` being the refund's line `line_no = i + 1`;
 * NULL when the source did not give every part in presentment money (and for every row written
 * before this version: those refunds keep comparing on their presentment total, as before).
 * `refunds.lines_exported` (issue 14 defect 4): 0 when the export carried only the refund's total
 * (a Shopify bulk file whose refunds have `totalRefundedSet` only): the hint says its lines were
 * not exported. Every earlier row had its lines: 1.
 * One column rather than columns on `refund_lines`: the matcher never reads `refund_lines` (it
 * reads line summaries, migration 005) and multi-currency refunds are a small share of a snapshot.
 */
export const migration009: Migration = {
  version: 9,
  name: 'refunds: parts in presentment money; whether lines were exported',
  up: `
ALTER TABLE refunds ADD COLUMN presentment_parts TEXT;
ALTER TABLE refunds ADD COLUMN lines_exported INTEGER NOT NULL DEFAULT 1 CHECK (lines_exported IN (0,1));
`,
};
