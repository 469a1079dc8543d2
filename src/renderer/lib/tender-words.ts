import type { TenderClass, TenderProblem } from '../../shared/contract';

/** Accountants' words for the tender classes and the review's tender filter (tenders.md §1.1, §6): never the identifiers. */

export const TENDER_CLASS_LABELS: Record<TenderClass, string> = {
  money: 'Money (card, cash, wallet)',
  stored_value: 'Store credit and gift cards',
  exchange: 'Exchange credit',
  other: 'Not stated by the source',
};

/** The filter's choices, in the order the review offers them. */
export const TENDER_PROBLEM_LABELS: Record<TenderProblem, string> = {
  any: 'Any tender difference',
  tender_mismatch: 'Paid back differently',
  credit_not_paid_out: 'Credit not paid out',
  exchange: 'Exchanges',
  chargeback: 'Chargebacks',
};
