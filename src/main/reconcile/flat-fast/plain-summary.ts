import type { TenderClass } from '../../../shared/contract/run';
import type { EngineSummary } from '../engine';
import type { ComboVerdict } from './combos';
import type { FlatTable } from './flat-table';
import type { PlainPairs } from './plain-rows';

/**
 * The engine's summary of the general rows with the plain pairs added as the engine counts a
 * plain match (SummaryAcc.count): one `matched` / `ok` result each, both totals in the result's
 * currency, each side's money in its tender class (the combination's; amounts of 0 add no class).
 */
export function withPlainPairs(
  general: EngineSummary,
  sf: FlatTable,
  ns: FlatTable,
  pairs: PlainPairs,
  verdicts: readonly ComboVerdict[],
): EngineSummary {
  const summary: EngineSummary = {
    ...general,
    storefrontRefunds: sf.n,
    netsuiteRecords: ns.n,
    byCode: { ...general.byCode },
    bySeverity: { ...general.bySeverity },
    totals: { ...general.totals },
    byClass: { ...general.byClass },
  };
  if (pairs.count === 0) return summary;
  summary.results += pairs.count;
  summary.byCode.matched = (summary.byCode.matched ?? 0) + pairs.count;
  summary.bySeverity.ok = (summary.bySeverity.ok ?? 0) + pairs.count;
  // Sums per currency code and combination first: a few additions per pair.
  const sums = new Map<number, number>();
  for (let p = 0; p < pairs.count; p++) {
    const s = pairs.sfRow[p]!;
    const key = pairs.combo[p]! * 256 + sf.currency[s]!;
    sums.set(key, (sums.get(key) ?? 0) + sf.total[s]!);
  }
  for (const [key, amount] of sums) {
    const verdict = verdicts[Math.floor(key / 256)]!;
    const currency = sf.currencies[key % 256]!;
    const totals = { ...(summary.totals[currency] ?? { storefront: 0, netsuite: 0 }) };
    totals.storefront += amount;
    totals.netsuite += amount;
    summary.totals[currency] = totals;
    if (amount === 0) continue;
    const byClass = { ...(summary.byClass[currency] ?? {}) };
    const add = (cls: string, side: 'storefront' | 'netsuite') => {
      const c = { ...(byClass[cls as TenderClass] ?? { storefront: 0, netsuite: 0 }) };
      c[side] += amount;
      byClass[cls as TenderClass] = c;
    };
    add(verdict.sfClass, 'storefront');
    add(verdict.nsClass, 'netsuite');
    summary.byClass[currency] = byClass;
  }
  return summary;
}
