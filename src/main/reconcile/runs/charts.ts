import { formatAmount, isCurrencyCode } from '../../../shared/money';
import type { Db } from '../../store/open';
import { countMatchedResults } from './matched-results';
import { getRun } from './runs';

/** What the run's charts draw: results per code, open differences per day, money at stake per currency. */
export interface RunCharts {
  runId: number;
  byCode: Record<string, number>;
  byDay: Array<{ date: string; count: number }>;
  /** Decimal strings per ISO currency: the sum of the differences' absolute values. */
  atStake: Record<string, string>;
}

/** The charts of one run (a run that does not exist is the user's error, worded by `getRun`). */
export function runCharts(db: Db, runId: number): RunCharts {
  getRun(db, runId);
  const codes = db
    .prepare('SELECT code, count(*) AS n FROM results WHERE run_id = ? GROUP BY code ORDER BY code')
    .all(runId) as Array<{ code: string; n: number }>;
  // Matched results stored as ids (migration 026) are all `matched` (and count in nothing below).
  const compact = countMatchedResults(db, runId);
  if (compact > 0) {
    const matched = codes.find((c) => c.code === 'matched');
    if (matched) matched.n += compact;
    else codes.push({ code: 'matched', n: compact });
    codes.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  }
  const byCode = Object.fromEntries(codes.map((r) => [r.code, r.n]));
  const byDay = (
    db
      .prepare(
        `SELECT date, count(*) AS count FROM results WHERE run_id = ? AND code <> 'matched' AND date IS NOT NULL
         GROUP BY date ORDER BY date`,
      )
      .all(runId) as Array<{ date: string; count: number }>
  ).map((r) => ({ date: r.date, count: r.count }));
  const atStake: Record<string, string> = {};
  for (const r of db
    .prepare(
      `SELECT currency, sum(abs(difference)) AS stake FROM results WHERE run_id = ? AND code <> 'matched'
       GROUP BY currency ORDER BY currency`,
    )
    .all(runId) as Array<{ currency: string; stake: number }>) {
    atStake[r.currency] = isCurrencyCode(r.currency) ? formatAmount(r.stake, r.currency) : String(r.stake);
  }
  return { runId, byCode, byDay, atStake };
}
