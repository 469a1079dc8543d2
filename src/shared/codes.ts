import { z } from 'zod';

/** Result codes of spec §5: stable identifiers used by the CLI, the UI, exports and tests. */
export const ResultCode = z.enum([
  'matched',
  'rounding',
  'amount_mismatch',
  'line_mismatch',
  'general_refund',
  'missing_in_netsuite',
  'missing_in_storefront',
  'duplicate',
  'currency_mismatch',
  'record_type_mismatch',
  'no_order_reference',
  'no_money_moved',
  // tenders.md §3: how the money went back.
  'tender_mismatch',
  'credit_not_paid_out',
  'exchange',
  'chargeback',
]);
export type ResultCode = z.infer<typeof ResultCode>;

export const Severity = z.enum(['ok', 'info', 'warning', 'error']);
export type Severity = z.infer<typeof Severity>;

/** Default severity per code. `general_refund` drops to info when the storefront cannot refund lines. */
export const DEFAULT_SEVERITY: Record<ResultCode, Severity> = {
  matched: 'ok',
  rounding: 'info',
  amount_mismatch: 'error',
  line_mismatch: 'error',
  general_refund: 'warning',
  missing_in_netsuite: 'error',
  missing_in_storefront: 'error',
  duplicate: 'error',
  currency_mismatch: 'error',
  record_type_mismatch: 'warning',
  no_order_reference: 'error',
  no_money_moved: 'info',
  tender_mismatch: 'error',
  credit_not_paid_out: 'warning',
  // Info when both sides record the exchange consistently; warning for pattern X2 or no record.
  exchange: 'info',
  // Rises to error for a refund made during an open or lost chargeback (tenders.md §3 (b)).
  chargeback: 'warning',
};

export const CODE_LABELS: Record<ResultCode, string> = {
  matched: 'Matched',
  rounding: 'Rounding',
  amount_mismatch: 'Amount mismatch',
  line_mismatch: 'Line mismatch',
  general_refund: 'General refund',
  missing_in_netsuite: 'Missing in NetSuite',
  missing_in_storefront: 'Missing in storefront',
  duplicate: 'Duplicate',
  currency_mismatch: 'Currency mismatch',
  record_type_mismatch: 'Record type mismatch',
  no_order_reference: 'No order reference',
  no_money_moved: 'No money moved',
  tender_mismatch: 'Paid back differently',
  credit_not_paid_out: 'Credit not paid out',
  exchange: 'Exchange',
  chargeback: 'Chargeback',
};

const SEVERITY_RANK: Record<Severity, number> = { ok: 0, info: 1, warning: 2, error: 3 };

export function severityRank(severity: Severity): number {
  return SEVERITY_RANK[severity];
}

/** CLI exit status of spec §7: 0 when everything is ok or info, 1 when any warning or error. */
export function exitStatusFor(severities: Iterable<Severity>): 0 | 1 {
  for (const severity of severities) if (SEVERITY_RANK[severity] >= SEVERITY_RANK.warning) return 1;
  return 0;
}
