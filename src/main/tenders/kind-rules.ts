import type { TenderMapping } from '../../shared/contract/snapshot';
import type { Side, Tender, TenderKind } from '../../shared/model';
import { storefrontRules } from './tender-mapping';

/**
 * The workspace's tender mapping (tenders.md §1.3) as a rule per tender: the kind the mapping gives
 * a tender of a snapshot, or undefined where it names nothing. One rule for everything that shows
 * stored tenders again: the comparison's columns (remap-columns.ts) and the result detail and
 * exports rebuilt from stored records (reconcile/runs/detail.ts, result-tenders.ts), so the review
 * shows a plain match's tenders as the comparison counted them.
 *
 * Only what the mapping names changes: a storefront tender whose gateway it maps, a NetSuite tender
 * settled or paid out by a payment method or tender item it maps. Defaults are never re-derived (a
 * snapshot keeps what its import or pull decided).
 */

/** The mapped kind of one tender, or undefined when the mapping leaves it as stored. */
export type TenderKindOf = (t: Tender) => TenderKind | undefined;

/** The rule for the tenders of one snapshot (its side and, for a storefront, its platform), or undefined when none applies. */
export type TenderKindRules = (side: Side, snapshotId: number) => TenderKindOf | undefined;

/** Gateways the NetSuite importers write for parts no payment method settled (§1.4): never mapped. */
const NETSUITE_PART_GATEWAYS = new Set(['', 'open-credit', 'receivable', 'applied', 'manual']);

function netsuiteRules(mapping: TenderMapping): ReadonlyMap<string, TenderKind> | undefined {
  const rules = new Map<string, TenderKind>();
  for (const m of mapping.netsuite) {
    const name = 'paymentMethod' in m ? m.paymentMethod : m.item;
    rules.set(name.trim().toLowerCase(), m.kind);
  }
  return rules.size > 0 ? rules : undefined;
}

/**
 * The rules of a mapping, or undefined when it names nothing. `platformOf` gives a storefront
 * snapshot's platform (`shopify`, `bigcommerce`, `woocommerce`), or null when its format does not
 * say (a canonical file): then the rules of every platform apply. Asked once per snapshot.
 */
export function tenderKindRules(
  mapping: TenderMapping | undefined,
  platformOf: (snapshotId: number) => string | null,
): TenderKindRules | undefined {
  if (!mapping || (mapping.storefront.length === 0 && mapping.netsuite.length === 0)) return undefined;
  const ns = netsuiteRules(mapping);
  const netsuiteKindOf: TenderKindOf | undefined = ns
    ? (t) =>
        (t.state === 'settled' || t.state === 'paid_out') && !NETSUITE_PART_GATEWAYS.has(t.gateway.trim().toLowerCase())
          ? ns.get(t.gateway.trim().toLowerCase())
          : undefined
    : undefined;
  const anyPlatform = new Map<string, TenderKind>();
  for (const r of mapping.storefront) anyPlatform.set(r.gateway.trim().toLowerCase(), r.kind);
  const bySnapshot = new Map<number, TenderKindOf | undefined>();
  return (side, snapshotId) => {
    if (side === 'netsuite') return netsuiteKindOf;
    if (bySnapshot.has(snapshotId)) return bySnapshot.get(snapshotId);
    const platform = platformOf(snapshotId);
    const rules = platform === null ? anyPlatform : storefrontRules(mapping, platform);
    const kindOf: TenderKindOf | undefined =
      rules && rules.size > 0 ? (t) => rules.get((t.gateway ?? '').trim().toLowerCase()) : undefined;
    bySnapshot.set(snapshotId, kindOf);
    return kindOf;
  };
}

/** The tenders with the rule applied: the same array when nothing changes. */
export function remapTenders(tenders: Tender[], kindOf: TenderKindOf | undefined): Tender[] {
  if (!kindOf) return tenders;
  let changed = false;
  const out = tenders.map((t) => {
    const kind = kindOf(t);
    if (kind === undefined || kind === t.kind) return t;
    changed = true;
    return { ...t, kind };
  });
  return changed ? out : tenders;
}

/** A storefront snapshot's platform from its import format or pull source, or null when it does not say. */
export function platformOfFormat(format: string): string | null {
  const f = format.toLowerCase();
  for (const p of ['shopify', 'bigcommerce', 'woocommerce']) if (f.startsWith(p)) return p;
  return null;
}
