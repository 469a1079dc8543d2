import type { Migration } from './migration';

/**
 * For results whose two sides are not in one currency (a currency mismatch), each side's money in
 * its own currency. The review's and the exports' per-currency totals add these, so they agree with
 * the CLI summary instead of leaving both sides of such a result out.
 */
export const migration007: Migration = {
  version: 7,
  name: 'per-side amounts of results in two currencies',
  up: `
CREATE TABLE result_side_amounts (
  result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE,
  side TEXT NOT NULL CHECK (side IN ('storefront','netsuite')),
  currency TEXT NOT NULL,
  amount INTEGER NOT NULL
) STRICT;
CREATE INDEX result_side_amounts_by_result ON result_side_amounts(result_id);
`,
};
