import type { Migration } from './migration';

/**
 * Issue 18 (tenders.md §1.1): how each refund's money went back.
 *
 * `refunds.tenders`: JSON array of the refund's tenders (`[{kind,gateway,amount,presentmentAmount,state,ref}]`),
 * or NULL when they are exactly the default of model.ts `defaultTenders`: one `other` tender of the total
 * (none on a Return Authorization or a refund of no positive total). Every row written before this
 * version is NULL and so reads as one `other` tender of its total: old snapshots stay readable
 * and compare as before, with no rewrite of millions of rows.
 * `refunds.credit_detail`: JSON `{"amountRemaining":n|null,"applications":[…],"recordTotal":n|null}` for
 * NetSuite records whose values differ from the defaults (no balance known, no applications,
 * recordTotal = total), else NULL.
 * Text columns rather than a row per tender: the import writes one column more per refund and the
 * matcher reads them only when it hydrates a result (see tender-columns.ts).
 */
export const migration015: Migration = {
  version: 15,
  name: 'refunds: tenders, credit memo balance and applications',
  up: `
ALTER TABLE refunds ADD COLUMN tenders TEXT;
ALTER TABLE refunds ADD COLUMN credit_detail TEXT;
`,
};
