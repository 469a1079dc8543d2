import type { ResultCode } from '../../../shared/codes';
import type { RunDiff } from '../../../shared/contract/run';
import type { Db } from '../../store/open';
import { amount } from './amount';
import { getRun } from './runs';

/** Run-to-run diffs by stable result key. */

interface KeyState {
  code: ResultCode;
  difference: number;
  currency: string;
  orderRef: string;
}

function keyStates(db: Db, runId: number): Map<string, KeyState> {
  const map = new Map<string, KeyState>();
  const stmt = db
    .prepare('SELECT result_key, code, difference, currency, order_ref FROM results WHERE run_id = ?')
    .raw(true);
  for (const row of stmt.iterate(runId) as IterableIterator<[string, ResultCode, number, string, string]>) {
    map.set(row[0], { code: row[1], difference: row[2], currency: row[3], orderRef: row[4] });
  }
  return map;
}

/**
 * What changed between two runs, keyed by the stable result key: `new` (a problem now that was
 * not one before), `resolved` (a problem before, matched or gone now), `changed` (a problem in
 * both, with another code or difference).
 */
export function diffRuns(db: Db, fromRunId: number, toRunId: number, limit = 1000): RunDiff {
  getRun(db, fromRunId);
  getRun(db, toRunId);
  const before = keyStates(db, fromRunId);
  const after = keyStates(db, toRunId);
  const problem = (s: KeyState | undefined) => s !== undefined && s.code !== 'matched';
  const entry = (key: string, b: KeyState | undefined, a: KeyState | undefined) => ({
    key,
    orderRef: (a ?? b)!.orderRef,
    before: b ? { code: b.code, difference: amount(b.difference, b.currency)!, currency: b.currency } : null,
    after: a ? { code: a.code, difference: amount(a.difference, a.currency)!, currency: a.currency } : null,
  });
  const out: RunDiff = {
    fromRunId,
    toRunId,
    counts: { new: 0, resolved: 0, changed: 0, unchanged: 0 },
    new: [],
    resolved: [],
    changed: [],
    truncated: false,
  };
  const push = (list: RunDiff['new'], value: RunDiff['new'][number]) => {
    if (list.length < limit) list.push(value);
    else out.truncated = true;
  };
  const keys = new Set<string>([...before.keys(), ...after.keys()]);
  for (const key of [...keys].sort()) {
    const b = before.get(key);
    const a = after.get(key);
    if (!problem(b) && problem(a)) {
      out.counts.new++;
      push(out.new, entry(key, b, a));
    } else if (problem(b) && !problem(a)) {
      out.counts.resolved++;
      push(out.resolved, entry(key, b, a));
    } else if (
      problem(b) &&
      problem(a) &&
      (b!.code !== a!.code || b!.difference !== a!.difference || b!.currency !== a!.currency)
    ) {
      out.counts.changed++;
      push(out.changed, entry(key, b, a));
    } else out.counts.unchanged++;
  }
  return out;
}
