import Database from 'better-sqlite3';
import fc from 'fast-check';
import type { CaseKind } from '../../../src/main/demo/cases';
import { migrate } from '../../../src/main/store/migrate';
import { MIGRATIONS } from '../../../src/main/store/migrations';
import { writeSnapshot } from '../../../src/main/store/snapshot-writer';
import type { CanonicalRefund } from '../../../src/shared/model';
import { fromCases } from './helpers';

/**
 * Realistic cases bent towards the edges of the run writer's compact rule (compact-writer.test.ts,
 * plain-writer.test.ts): a repeated storefront id, no order reference or one that normalises to
 * nothing, refund keys pairing across orders, totals compared on the total only, a NetSuite record
 * split in three.
 */

export const KINDS: CaseKind[] = [
  'matched_full',
  'matched_partial',
  'matched_shipping',
  'matched_general',
  'matched_rollup',
  'rounding',
  'amount_mismatch',
  'general_refund',
  'missing_in_netsuite',
  'duplicate',
  'currency_mismatch',
  'record_type_mismatch',
  'no_order_reference',
  'voided',
];

/** What happens to one storefront refund of the cases (each bend on its own, so they combine). */
const bend = fc.record({
  ref: fc.constantFrom('keep', 'keep', 'keep', 'empty', 'to-nothing'),
  key: fc.constantFrom(false, false, true),
  repeatId: fc.constantFrom(false, false, false, true),
  lines: fc.constantFrom('keep', 'keep', 'keep', 'total-only', 'none'),
  /** A NetSuite record of the cases split in three (a roll-up of three records). */
  splitNetsuite: fc.constantFrom(false, false, false, true),
  other: fc.nat(50),
});
export type Bend = typeof bend extends fc.Arbitrary<infer T> ? T : never;

export const inputs = fc.record({
  kinds: fc.array(fc.constantFrom(...KINDS), { minLength: 1, maxLength: 14 }),
  seed: fc.nat(1000),
  bends: fc.array(bend, { maxLength: 14 }),
});

/** The cases' refunds, bent as `input.bends` says (refund by refund). */
export function bent(input: { kinds: CaseKind[]; seed: number; bends: Bend[] }) {
  const { storefront, netsuite } = fromCases(input.kinds, input.seed + 1);
  const sf: CanonicalRefund[] = storefront.map((r) => ({ ...r }));
  const ns: CanonicalRefund[] = netsuite.map((r) => ({ ...r }));
  input.bends.forEach((b) => {
    const n = ns[b.other % Math.max(1, ns.length)];
    if (!b.splitNetsuite || !n || n.total < 3) return;
    const third = Math.floor(n.total / 3);
    const parts = [third, third, n.total - 2 * third].map((total, k) => ({
      ...n,
      id: `${n.id}-${k}`,
      documentNumber: `${n.documentNumber}-${k}`,
      total,
      recordTotal: total,
      kind: 'general' as const,
      lines: [],
      tenders: n.tenders.slice(0, 1).map((t) => ({ ...t, amount: total, presentmentAmount: null })),
    }));
    ns.splice(ns.indexOf(n), 1, ...parts);
  });
  input.bends.forEach((b, i) => {
    const r = sf[i];
    if (!r) return;
    if (b.key && ns.length > 0) {
      // A NetSuite record naming this refund by its id (rule 1), whatever its order says.
      ns[b.other % ns.length]!.externalId = r.id;
    }
    if (b.repeatId) r.id = sf[b.other % sf.length]!.id;
    // No reference (the engine takes the NetSuite record's), or one that normalises to nothing.
    if (b.ref === 'empty') r.orderRef = '';
    else if (b.ref === 'to-nothing') r.orderRef = 'Order';
    if (b.lines === 'total-only') r.linesExported = false;
    else if (b.lines === 'none') sf[i] = { ...r, kind: 'line_item', lines: [] };
  });
  return { sf, ns };
}

/** A workspace in memory (foreign keys on) holding `sf` and `ns` as snapshots. */
export async function casesWorkspace(sf: CanonicalRefund[], ns: CanonicalRefund[]) {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS);
  const meta = { label: 't', source: 'file' as const, format: 'canonical-json', importerVersion: 'test' };
  const sfId = await writeSnapshot(db, { ...meta, side: 'storefront' }, sf);
  const nsId = await writeSnapshot(db, { ...meta, side: 'netsuite' }, ns);
  return { db, sfId, nsId };
}
