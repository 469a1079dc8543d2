import { orderKeyOf } from '../../store/snapshot-writer';
import type { ReconcileResult } from '../engine';
import { comparedOnTotalOnly } from '../hints';
import { MATCHED_BY_CODES } from './matched-results';

/**
 * Which results the run writer stores as a compact row of `matched_results` (migration 026) instead
 * of a full `results` row: only those whose every column the readers derive (`MATCHED_ROWS_SQL`)
 * equals what the writer would have stored. Decided from the engine's result with a few field
 * tests and no per-row serialisation: skipping the per-row JavaScript of these rows (detail, hint,
 * search text, key) is most of what the compact store saves (docs/benchmarks/reconcile.md,
 * session 8, p8-plain).
 */

/**
 * Whether a matched result with a tender check may be a compact row, its tender text dropped: the
 * readers rebuild the split from the records (detail, tender split, problem filter) and the class
 * filter reads the classes the compact row keeps (`tender_classes`). A result showing a dispute
 * stays in `results` either way: the records do not hold the dispute.
 */
export const COMPACT_DROPS_TENDER_TEXT = true;

/** The refunds row behind a record the engine matched (`rowId`, set when read from a workspace). */
export function rowIdOf(refund: unknown): number | null {
  const id = (refund as { rowId?: number }).rowId;
  return typeof id === 'number' ? id : null;
}

const RULES = new Set<string>(MATCHED_BY_CODES);

/**
 * True when the readers derive exactly this result's stored row from a compact row: code
 * `matched`, severity `ok`, no hint (not compared on its total only), the constant detail (issues
 * `matched` alone; a roll-up's storefront ids, which the compact row lists), no dispute, no tender
 * check (unless `COMPACT_DROPS_TENDER_TEXT`), key `sf:<first storefront record's id>` (not the `#n` of an
 * ambiguous id), order reference and key those of that record, difference 0 and both totals equal,
 * one or two NetSuite records, every record stored (a row id), and a rule with a stored code.
 */
export function isCompactable(r: ReconcileResult): boolean {
  if (r.code !== 'matched' || r.severity !== 'ok' || r.issues.length !== 1) return false;
  if (r.duplicateOf || r.duplicateReason || r.presentment || r.lines) return false;
  if (r.dispute !== null || (!COMPACT_DROPS_TENDER_TEXT && r.tenderCheck !== null)) return false;
  if (r.difference !== 0 || r.storefrontTotal === null || r.storefrontTotal !== r.netsuiteTotal) return false;
  const sf = r.storefront;
  const ns = r.netsuite;
  if (sf.length === 0 || ns.length === 0 || ns.length > 2) return false;
  const first = sf[0]!;
  if (r.key !== `sf:${first.id}`) return false;
  // The engine takes a NetSuite record's reference when the storefront record has none: the
  // compact row would read the storefront record's.
  if (r.orderRef !== first.orderRef || r.orderKey !== orderKeyOf(first.orderRef)) return false;
  if (!RULES.has(r.matchedBy)) return false;
  for (const s of sf) if (rowIdOf(s) === null) return false;
  for (const n of ns) if (rowIdOf(n) === null) return false;
  return !comparedOnTotalOnly(r);
}
