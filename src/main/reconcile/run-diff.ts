import type { ResultCode } from '../../shared/codes';
import type { RunDiffSum } from '../../shared/contract';
import { formatAmount, isCurrencyCode } from '../../shared/money';
import type { Db } from '../store/open';
import { type SnapshotSource, snapshotSourceReader } from '../store/snapshots';
import { getRun } from './run-store';
import { matchedResultKeys } from './runs/matched-results';

/**
 * "Since the last run" (issue 16 item 9): the earlier run of the same accounts or files, and a diff
 * whose counts add up to the later run's results: every result of the later run is new, resolved,
 * changed, unchanged or new-and-agreeing. Results of the earlier run that the later one no longer
 * has (outside its data) are listed apart as `gone`, never counted in the sum.
 */

/** What a snapshot is "of": its account (pulled) or its file name (imported); demo data is one source. */
function sourceKey(s: SnapshotSource | undefined): string {
  if (!s) return '?';
  if (s.source === 'demo') return 'demo';
  if (s.storefront_account_id !== null) return `storefront-account:${s.storefront_account_id}`;
  if (s.netsuite_account_id !== null) return `netsuite-account:${s.netsuite_account_id}`;
  return `file:${s.file_name ?? s.label}`;
}

function describeSource(s: SnapshotSource | undefined): string {
  if (!s) return 'a deleted snapshot';
  if (s.source === 'demo') return 'the demo data';
  if (s.source === 'file') return `the file ${s.file_name ?? s.label}`;
  return s.label;
}

function runSources(db: Db, runId: number): { key: string; text: string } {
  const run = getRun(db, runId);
  const snap = snapshotSourceReader(db);
  const sf = snap(run.storefrontSnapshotId);
  const ns = snap(run.netsuiteSnapshotId);
  const text =
    sf?.source === 'demo' && ns?.source === 'demo'
      ? 'the demo data'
      : sf?.source === 'file' && ns?.source === 'file'
        ? `the files ${sf.file_name ?? sf.label} and ${ns.file_name ?? ns.label}`
        : `${describeSource(sf)} and ${describeSource(ns)}`;
  return { key: `${sourceKey(sf)} | ${sourceKey(ns)}`, text };
}

export function previousComparableRun(db: Db, runId: number): { runId: number | null; reason: string } {
  const mine = runSources(db, runId);
  const earlier = db
    .prepare("SELECT id FROM comparison_runs WHERE id < ? AND status = 'complete' ORDER BY id DESC")
    .all(runId) as Array<{ id: number }>;
  for (const e of earlier) {
    if (runSources(db, e.id).key === mine.key) {
      return { runId: e.id, reason: `Run ${e.id} is the last earlier run of ${mine.text}.` };
    }
  }
  return {
    runId: null,
    reason:
      earlier.length === 0
        ? 'This is the first run: compare again later (new snapshots of the same accounts or files) to see what changed.'
        : `No earlier run compared ${mine.text}: the earlier runs are of other accounts or files, so a comparison with them would not mean anything.`,
  };
}

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
  // Matched results stored as ids (migration 026): code `matched`, difference 0.
  for (const [key, currency, orderRef] of matchedResultKeys(db, runId)) {
    map.set(key, { code: 'matched', difference: 0, currency, orderRef });
  }
  return map;
}

const AGREEING: ReadonlySet<ResultCode> = new Set(['matched', 'rounding', 'no_money_moved']);

function amount(minor: number, currency: string): string {
  return isCurrencyCode(currency) ? formatAmount(minor, currency) : String(minor);
}

export function diffRunsAddingUp(db: Db, fromRunId: number, toRunId: number, limit = 500): RunDiffSum {
  getRun(db, fromRunId);
  getRun(db, toRunId);
  const before = keyStates(db, fromRunId);
  const after = keyStates(db, toRunId);
  const problem = (s: KeyState | undefined) => s !== undefined && !AGREEING.has(s.code);
  const side = (s: KeyState | undefined) =>
    s ? { code: s.code, difference: amount(s.difference, s.currency), currency: s.currency } : null;
  const entry = (key: string, b: KeyState | undefined, a: KeyState | undefined) => ({
    key,
    orderRef: (a ?? b)!.orderRef,
    before: side(b),
    after: side(a),
  });
  const out: RunDiffSum = {
    fromRunId,
    toRunId,
    results: after.size,
    counts: { new: 0, resolved: 0, changed: 0, unchanged: 0, newAgreeing: 0 },
    gone: 0,
    new: [],
    resolved: [],
    changed: [],
    goneEntries: [],
    truncated: false,
  };
  const push = (list: RunDiffSum['new'], value: RunDiffSum['new'][number]) => {
    if (list.length < limit) list.push(value);
    else out.truncated = true;
  };
  for (const key of [...after.keys()].sort()) {
    const a = after.get(key)!;
    const b = before.get(key);
    if (problem(a)) {
      if (!problem(b)) {
        out.counts.new++;
        push(out.new, entry(key, b, a));
      } else if (b!.code !== a.code || b!.difference !== a.difference || b!.currency !== a.currency) {
        out.counts.changed++;
        push(out.changed, entry(key, b, a));
      } else out.counts.unchanged++;
    } else if (problem(b)) {
      out.counts.resolved++;
      push(out.resolved, entry(key, b, a));
    } else if (b === undefined) out.counts.newAgreeing++;
    else out.counts.unchanged++;
  }
  for (const key of [...before.keys()].sort()) {
    if (after.has(key)) continue;
    out.gone++;
    push(out.goneEntries, entry(key, before.get(key), undefined));
  }
  return out;
}
