import type { ReconcileOutput, ReconcileResult } from '../../../src/main/reconcile/engine';
import { hintFor } from '../../../src/main/reconcile/hints';

/** Everything a result shows, for comparing two engines' outputs field by field. */
export function resultForm(r: ReconcileResult) {
  return {
    key: r.key,
    code: r.code,
    severity: r.severity,
    issues: r.issues,
    orderRef: r.orderRef,
    orderKey: r.orderKey,
    currency: r.currency,
    date: r.date,
    storefront: r.storefront.map((s) => s.id),
    netsuite: r.netsuite.map((n) => n.id),
    units: r.units.map((u) => u.members.map((m) => m.id)),
    totals: [r.storefrontTotal, r.netsuiteTotal, r.difference, r.tolerance],
    matchedBy: r.matchedBy,
    presentment: r.presentment,
    duplicateOf: r.duplicateOf,
    duplicateReason: r.duplicateReason,
    lines: r.lines,
    hint: hintFor(r),
  };
}

export function outputForm(out: Pick<ReconcileOutput, 'results' | 'summary' | 'notCompared'>) {
  return {
    results: out.results.map(resultForm),
    summary: out.summary,
    notCompared: out.notCompared.map((r) => r.id),
  };
}
