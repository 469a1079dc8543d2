import type { ActionGroup, ActionGroupId, ActionList } from '../../shared/contract';
import { formatAmount, isCurrencyCode } from '../../shared/money';
import type { Db } from '../store/open';
import { ACTION_GROUP_SQL, ACTION_GROUPS } from './action-filter';
import { getRun } from './run-store';

/**
 * The review's action list (issue 16): the open differences of a run grouped by cause and by what
 * fixes them (groups in action-filter.ts), with the money at stake and the unexplained difference.
 */

/** The latest annotation of a result (the same rule as the review's status column). */
const LATEST = `COALESCE((SELECT a.status FROM annotations a WHERE a.result_key = r.result_key ORDER BY a.id DESC LIMIT 1), 'open')`;

function decimal(minor: number, currency: string): string {
  return isCurrencyCode(currency) ? formatAmount(minor, currency) : String(minor);
}

interface Row {
  grp: ActionGroupId;
  status: string;
  currency: string;
  n: number;
  stake: number;
  diff: number;
}

export function actionList(db: Db, runId: number): ActionList {
  getRun(db, runId);
  const rows = db
    .prepare(
      `SELECT grp, status, currency, count(*) AS n, sum(stake) AS stake, sum(diff) AS diff FROM (
         SELECT ${ACTION_GROUP_SQL} AS grp, ${LATEST} AS status, r.currency AS currency,
                CASE WHEN r.difference <> 0 THEN abs(r.difference)
                     ELSE max(coalesce(r.storefront_total, 0), coalesce(r.netsuite_total, 0)) END AS stake,
                r.difference AS diff
         FROM results r
         WHERE r.run_id = ? AND r.severity IN ('warning','error') AND r.code <> 'currency_mismatch')
       WHERE grp IS NOT NULL GROUP BY grp, status, currency`,
    )
    .all(runId) as Row[];
  // Two currencies: each side in its own; at stake is the storefront side (the NetSuite one without it).
  const sides = db
    .prepare(
      `SELECT r.id AS id, ${LATEST} AS status, a.side AS side, a.currency AS currency, a.amount AS amount
       FROM results r JOIN result_side_amounts a ON a.result_id = r.id
       WHERE r.run_id = ? AND r.code = 'currency_mismatch' ORDER BY r.id, a.side DESC`,
    )
    .all(runId) as Array<{
    id: number;
    status: string;
    side: 'storefront' | 'netsuite';
    currency: string;
    amount: number;
  }>;
  const byId = new Map<number, typeof sides>();
  for (const s of sides) byId.set(s.id, [...(byId.get(s.id) ?? []), s]);
  for (const list of byId.values()) {
    const stakeSide = list.find((s) => s.side === 'storefront') ?? list[0]!;
    for (const s of list) {
      rows.push({
        grp: 'currency_mapping',
        status: s.status,
        currency: s.currency,
        n: s === stakeSide ? 1 : 0,
        stake: s === stakeSide ? Math.abs(s.amount) : 0,
        diff: s.side === 'storefront' ? s.amount : -s.amount,
      });
    }
  }
  const groups = new Map<ActionGroupId, { open: number; annotated: number; stake: Map<string, number> }>();
  const unexplained = new Map<string, number>();
  let needAction = 0;
  for (const r of rows) {
    let g = groups.get(r.grp);
    if (!g) {
      g = { open: 0, annotated: 0, stake: new Map() };
      groups.set(r.grp, g);
    }
    if (r.status === 'open') {
      g.open += r.n;
      needAction += r.n;
      // A currency mismatch's NetSuite side adds to the unexplained difference, not to what is at stake.
      if (r.n > 0 || r.stake !== 0) g.stake.set(r.currency, (g.stake.get(r.currency) ?? 0) + r.stake);
      unexplained.set(r.currency, (unexplained.get(r.currency) ?? 0) + r.diff);
    } else g.annotated += r.n;
  }
  const out: ActionGroup[] = [];
  for (const spec of ACTION_GROUPS) {
    const g = groups.get(spec.id);
    if (!g) continue;
    out.push({
      id: spec.id,
      title: spec.title,
      fix: spec.fix,
      open: g.open,
      annotated: g.annotated,
      atStake: Object.fromEntries(
        [...g.stake].sort(([a], [b]) => a.localeCompare(b)).map(([c, m]) => [c, decimal(m, c)]),
      ),
    });
  }
  // Most open first; a cause with nothing open left goes last.
  out.sort((a, b) => (b.open > 0 ? 1 : 0) - (a.open > 0 ? 1 : 0) || b.open - a.open);
  return {
    runId,
    needAction,
    unexplained: Object.fromEntries(
      [...unexplained].sort(([a], [b]) => a.localeCompare(b)).map(([c, m]) => [c, decimal(m, c)]),
    ),
    groups: out,
  };
}
