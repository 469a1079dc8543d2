import type { ResultRow } from '../../shared/contract';
import { formatAmount, isCurrencyCode } from '../../shared/money';
import type { Db } from '../store/open';

/**
 * A currency mismatch has no totals in one currency (its row stores NULL): each side's total in its
 * own currency comes from result_side_amounts (migration 007), so the row, the detail, the totals
 * and the exports all show the same two amounts (issue 16 item 6).
 */
export function withSides(db: Db, rows: ResultRow[]): ResultRow[] {
  const ids = rows.filter((r) => r.code === 'currency_mismatch').map((r) => r.id);
  if (ids.length === 0 || (db.pragma('user_version', { simple: true }) as number) < 7) return rows;
  const found = db
    .prepare(
      `SELECT result_id, side, currency, sum(amount) AS amount FROM result_side_amounts
       WHERE result_id IN (${ids.map(() => '?').join(',')}) GROUP BY result_id, side, currency`,
    )
    .all(...ids) as Array<{ result_id: number; side: 'storefront' | 'netsuite'; currency: string; amount: number }>;
  const sides = new Map<number, NonNullable<ResultRow['sides']>>();
  for (const f of found) {
    const entry = sides.get(f.result_id) ?? { storefront: null, netsuite: null };
    entry[f.side] = {
      currency: f.currency,
      amount: isCurrencyCode(f.currency) ? formatAmount(f.amount, f.currency) : String(f.amount),
    };
    sides.set(f.result_id, entry);
  }
  return rows.map((r) => (sides.has(r.id) ? { ...r, sides: sides.get(r.id) } : r));
}
