import type { TenderMapping } from '../../shared/contract/snapshot';
import type { CanonicalRefundInput, TenderKind } from '../../shared/model';

/**
 * The storefront half of the user's tender mapping (tenders.md §1.3): `tenders.storefront:
 * [{ platform, gateway, kind }]`, case-insensitive on the gateway name, overriding the importer's
 * default kind. (The NetSuite half is applied by the NetSuite importers: netsuite-tenders.ts.)
 */

export type StorefrontRules = ReadonlyMap<string, TenderKind>;

/** The rules of one platform (`shopify`, `bigcommerce`, `woocommerce`), or undefined when there are none. */
export function storefrontRules(mapping: TenderMapping | undefined, platform: string): StorefrontRules | undefined {
  const rules = new Map<string, TenderKind>();
  for (const r of mapping?.storefront ?? []) {
    if (r.platform.trim().toLowerCase() === platform) rules.set(r.gateway.trim().toLowerCase(), r.kind);
  }
  return rules.size > 0 ? rules : undefined;
}

/** The refund with each tender whose gateway the rules name given the mapped kind. */
export function applyStorefrontRules(refund: CanonicalRefundInput, rules: StorefrontRules): CanonicalRefundInput {
  const tenders = refund.tenders;
  if (!tenders || tenders.length === 0) return refund;
  let changed = false;
  const out = tenders.map((t) => {
    const kind = rules.get((t.gateway ?? '').trim().toLowerCase());
    if (kind === undefined || kind === t.kind) return t;
    changed = true;
    return { ...t, kind };
  });
  return changed ? { ...refund, tenders: out } : refund;
}
