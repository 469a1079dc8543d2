import type { TenderMapping } from '../../shared/contract/snapshot';
import type { Side, Tender, TenderKind } from '../../shared/model';
import { type SnapshotColumns, TextColumn } from '../store/match-cache';
import { storefrontRules } from './tender-mapping';

/**
 * The workspace's tender mapping (tenders.md §1.3) applied when a comparison reads its snapshots,
 * so a mapping changed in the settings counts in the next comparison without importing the files
 * again. Only what the mapping names changes: a storefront tender whose gateway it maps, a NetSuite
 * tender settled or paid out by a payment method or tender item it maps. Defaults are never
 * re-derived (a snapshot keeps what its import or pull decided), and tender items that were not
 * tender items at import are not turned into tenders here: that changes a record's total, which
 * only an import can do.
 */

export type ColumnsRemap = (side: Side, snapshotId: number, columns: SnapshotColumns) => SnapshotColumns;

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

/** One row's tender text with the rules applied, or the same text when nothing changes. */
function remapText(text: string, kindOf: (t: Tender) => TenderKind | undefined): string {
  if (text === '') return text; // the default: one `other` tender with no gateway, nothing to map
  let tenders: Tender[];
  try {
    tenders = JSON.parse(text) as Tender[];
  } catch {
    return text;
  }
  if (!Array.isArray(tenders)) return text;
  let changed = false;
  const out = tenders.map((t) => {
    const kind = kindOf(t);
    if (kind === undefined || kind === t.kind) return t;
    changed = true;
    return { ...t, kind };
  });
  return changed ? JSON.stringify(out) : text;
}

function remapColumn(columns: SnapshotColumns, kindOf: (t: Tender) => TenderKind | undefined): SnapshotColumns {
  const n = columns.n;
  const values: string[] = new Array(n);
  let changed = false;
  for (let i = 0; i < n; i++) {
    const text = columns.tenders.get(i);
    values[i] = remapText(text, kindOf);
    if (values[i] !== text) changed = true;
  }
  return changed ? { ...columns, tenders: TextColumn.from(values) } : columns;
}

/**
 * The remap of a comparison, or undefined when the mapping names nothing. `platformOf` gives a
 * storefront snapshot's platform (`shopify`, `bigcommerce`, `woocommerce`), or null when its
 * format does not say (a canonical file): then the rules of every platform apply.
 */
export function tenderColumnsRemap(
  mapping: TenderMapping | undefined,
  platformOf: (snapshotId: number) => string | null,
): ColumnsRemap | undefined {
  if (!mapping || (mapping.storefront.length === 0 && mapping.netsuite.length === 0)) return undefined;
  const ns = netsuiteRules(mapping);
  const anyPlatform = new Map<string, TenderKind>();
  for (const r of mapping.storefront) anyPlatform.set(r.gateway.trim().toLowerCase(), r.kind);
  return (side, snapshotId, columns) => {
    if (side === 'netsuite') {
      if (!ns) return columns;
      return remapColumn(columns, (t) =>
        (t.state === 'settled' || t.state === 'paid_out') && !NETSUITE_PART_GATEWAYS.has(t.gateway.trim().toLowerCase())
          ? ns.get(t.gateway.trim().toLowerCase())
          : undefined,
      );
    }
    const platform = platformOf(snapshotId);
    const rules = platform === null ? anyPlatform : storefrontRules(mapping, platform);
    if (!rules || rules.size === 0) return columns;
    return remapColumn(columns, (t) => rules.get((t.gateway ?? '').trim().toLowerCase()));
  };
}

/** A storefront snapshot's platform from its import format or pull source, or null when it does not say. */
export function platformOfFormat(format: string): string | null {
  const f = format.toLowerCase();
  for (const p of ['shopify', 'bigcommerce', 'woocommerce']) if (f.startsWith(p)) return p;
  return null;
}
