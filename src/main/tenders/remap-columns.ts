import type { TenderMapping } from '../../shared/contract/snapshot';
import type { Side, Tender } from '../../shared/model';
import { type SnapshotColumns, TextColumn } from '../store/match-cache';
import { remapTenders, type TenderKindOf, tenderKindRules } from './kind-rules';

export { platformOfFormat } from './kind-rules';

/**
 * The workspace's tender mapping (tenders.md §1.3) applied when a comparison reads its snapshots,
 * so a mapping changed in the settings counts in the next comparison without importing the files
 * again. What changes is kind-rules.ts's (only what the mapping names). Tender items that were not
 * tender items at import are not turned into tenders here: that changes a record's total, which
 * only an import can do.
 */

export type ColumnsRemap = (side: Side, snapshotId: number, columns: SnapshotColumns) => SnapshotColumns;

/** One row's tender text with the rule applied, or the same text when nothing changes. */
function remapText(text: string, kindOf: TenderKindOf): string {
  if (text === '') return text; // the default: one `other` tender with no gateway, nothing to map
  let tenders: Tender[];
  try {
    tenders = JSON.parse(text) as Tender[];
  } catch {
    return text;
  }
  if (!Array.isArray(tenders)) return text;
  const out = remapTenders(tenders, kindOf);
  return out === tenders ? text : JSON.stringify(out);
}

function remapColumn(columns: SnapshotColumns, kindOf: TenderKindOf): SnapshotColumns {
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
 * storefront snapshot's platform, or null when its format does not say (kind-rules.ts).
 */
export function tenderColumnsRemap(
  mapping: TenderMapping | undefined,
  platformOf: (snapshotId: number) => string | null,
): ColumnsRemap | undefined {
  const rules = tenderKindRules(mapping, platformOf);
  if (!rules) return undefined;
  return (side, snapshotId, columns) => {
    const kindOf = rules(side, snapshotId);
    return kindOf ? remapColumn(columns, kindOf) : columns;
  };
}
