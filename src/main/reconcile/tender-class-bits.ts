import type { TenderClass } from '../../shared/contract/run';

/**
 * A compact row's tender classes (`matched_results.tender_classes`, migration 026): the classes of
 * the split the writer would have stored (`byClass`), one bit each, plus one bit for an exchange
 * block (returned and exchanged values: exchange data with no exchange tender, tenders.md §1.1).
 * The split itself is dropped (rebuilt from the records on read), but its classes cannot be told
 * from the records in SQL: a Credit Memo's `other` tender that a Customer Refund's card pays out is
 * `money` in the split (docs/benchmarks/reconcile.md, session 9, p9-cread, "What is left").
 */
export const TENDER_CLASS_BITS: Readonly<Record<TenderClass, number>> = {
  money: 1,
  stored_value: 2,
  exchange: 4,
  other: 8,
};
export const EXCHANGE_BLOCK_BIT = 16;

/** The bits the class filter tests for `classes`: an exchange block counts as `exchange`, as the stored split's text does. */
export function tenderClassMask(classes: readonly TenderClass[]): number {
  let mask = 0;
  for (const c of classes) mask |= TENDER_CLASS_BITS[c];
  if (classes.includes('exchange')) mask |= EXCHANGE_BLOCK_BIT;
  return mask;
}
