import type { PeriodRow, PeriodSummary } from '../../shared/contract';
import { formatAmount, isCurrencyCode } from '../../shared/money';
import type { Db } from '../store/open';
import { getRun } from './run-store';
import { matchedResultsByMonth } from './runs/matched-results';

/**
 * The month-end period summary (issue 16): per month and currency, the refunds, both sides' sums
 * and the difference, and how many results agree, are open, annotated (explained or ignored) or
 * resolved (fixed). A currency mismatch counts each side's money in its own currency (as the
 * totals do) and the result itself under its row's currency.
 */

const LATEST = `COALESCE((SELECT a.status FROM annotations a WHERE a.result_key = r.result_key ORDER BY a.id DESC LIMIT 1), 'open')`;

const STATE_SQL = `CASE WHEN r.severity IN ('ok','info') THEN 'agreed'
  ELSE (CASE ${LATEST} WHEN 'fixed' THEN 'resolved' WHEN 'open' THEN 'open' ELSE 'annotated' END) END`;

function decimal(minor: number, currency: string): string {
  return isCurrencyCode(currency) ? formatAmount(minor, currency) : String(minor);
}

interface Acc {
  month: string;
  currency: string;
  refunds: number;
  sf: number;
  ns: number;
  agreed: number;
  open: number;
  annotated: number;
  resolved: number;
}

export function periodSummary(db: Db, runId: number, from?: string, to?: string): PeriodSummary {
  getRun(db, runId);
  // Matched results stored as ids (migration 026): dated (their storefront record's date), agreed.
  const compact = matchedResultsByMonth(db, runId);
  const months = [
    ...new Set([
      ...(
        db
          .prepare(
            'SELECT DISTINCT substr(date, 1, 7) AS m FROM results WHERE run_id = ? AND date IS NOT NULL ORDER BY m',
          )
          .all(runId) as Array<{ m: string }>
      ).map((r) => r.m),
      ...compact.map((c) => c.month),
    ]),
  ].sort();
  const undated = (
    db.prepare('SELECT count(*) AS n FROM results WHERE run_id = ? AND date IS NULL').get(runId) as { n: number }
  ).n;
  const lo = from ?? '0000-00';
  const hi = to ?? '9999-99';
  const range = 'r.run_id = ? AND r.date IS NOT NULL AND substr(r.date, 1, 7) BETWEEN ? AND ?';
  const counted = db
    .prepare(
      `SELECT substr(r.date, 1, 7) AS month, r.currency AS currency, ${STATE_SQL} AS state, count(*) AS n,
              sum(r.storefront_refund_id IS NOT NULL) AS refunds,
              sum(coalesce(r.storefront_total, 0)) AS sf, sum(coalesce(r.netsuite_total, 0)) AS ns
       FROM results r WHERE ${range} GROUP BY month, r.currency, state`,
    )
    .all(runId, lo, hi) as Array<{
    month: string;
    currency: string;
    state: 'agreed' | 'open' | 'annotated' | 'resolved';
    n: number;
    refunds: number;
    sf: number;
    ns: number;
  }>;
  const twoCurrency =
    (db.pragma('user_version', { simple: true }) as number) >= 7
      ? (db
          .prepare(
            `SELECT substr(r.date, 1, 7) AS month, a.currency AS currency,
                    sum(CASE WHEN a.side = 'storefront' THEN a.amount ELSE 0 END) AS sf,
                    sum(CASE WHEN a.side = 'netsuite' THEN a.amount ELSE 0 END) AS ns
             FROM results r JOIN result_side_amounts a ON a.result_id = r.id
             WHERE ${range} GROUP BY month, a.currency`,
          )
          .all(runId, lo, hi) as Array<{ month: string; currency: string; sf: number; ns: number }>)
      : [];
  const acc = new Map<string, Acc>();
  const get = (month: string, currency: string): Acc => {
    const key = `${month} ${currency}`;
    let a = acc.get(key);
    if (!a) {
      a = { month, currency, refunds: 0, sf: 0, ns: 0, agreed: 0, open: 0, annotated: 0, resolved: 0 };
      acc.set(key, a);
    }
    return a;
  };
  for (const c of counted) {
    const a = get(c.month, c.currency);
    a.refunds += c.refunds;
    a.sf += c.sf;
    a.ns += c.ns;
    a[c.state] += c.n;
  }
  for (const c of compact) {
    if (c.month < lo || c.month > hi) continue;
    const a = get(c.month, c.currency);
    a.refunds += c.n;
    a.sf += c.total;
    a.ns += c.total;
    a.agreed += c.n;
  }
  for (const t of twoCurrency) {
    const a = get(t.month, t.currency);
    a.sf += t.sf;
    a.ns += t.ns;
  }
  const rows: PeriodRow[] = [...acc.values()]
    .sort((x, y) => x.month.localeCompare(y.month) || x.currency.localeCompare(y.currency))
    .map((a) => ({
      month: a.month,
      currency: a.currency,
      refunds: a.refunds,
      storefront: decimal(a.sf, a.currency),
      netsuite: decimal(a.ns, a.currency),
      difference: decimal(a.sf - a.ns, a.currency),
      agreed: a.agreed,
      open: a.open,
      annotated: a.annotated,
      resolved: a.resolved,
    }));
  return { runId, from: from ?? null, to: to ?? null, months, rows, undated };
}
