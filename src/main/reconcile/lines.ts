import type { CanonicalRefund } from '../../shared/model';
import { summaryHasItems } from '../store/line-summary';

/** One row of the line comparison: an item SKU (through the item mapping) or shipping, by role. */
export interface LineComparison {
  sku: string;
  role: 'item' | 'shipping';
  status: 'same' | 'missing_in_netsuite' | 'missing_in_storefront' | 'quantity_differs' | 'amount_differs';
  storefront: { quantity: number; amount: number } | null;
  netsuite: { quantity: number; amount: number } | null;
}

export interface LineCheck {
  /** Both sides carry item lines, so lines were compared. */
  compared: boolean;
  storefrontHasItems: boolean;
  netsuiteHasItems: boolean;
  differs: boolean;
  lines: LineComparison[];
}

export const SHIPPING_KEY = '(shipping)';

/** A record that can answer without its lines (match-columns.ts: from its line summary). */
interface KnowsItemLines {
  hasItemLines?: () => boolean;
  /**
   * The line summary's values (line-summary.ts: shipping-from-lines flag, shipping, then SKU,
   * quantity, amount per item line) while the lines are not rebuilt; null once they are.
   */
  summaryValues?: () => Array<string | number> | null;
}

function hasItemLines(refund: CanonicalRefund): boolean {
  const own = (refund as KnowsItemLines).hasItemLines;
  return own !== undefined ? own.call(refund) : refundHasItemLines(refund);
}

/** `Object.keys(o).length > 0` without building the key list (called once per compared pair). */
function hasOwnKeys(o: object): boolean {
  for (const k in o) if (Object.hasOwn(o, k)) return true;
  return false;
}

/** NetSuite records whose lines describe the refund: a Customer Refund only settles its Credit Memo. */
function lineBearing(records: readonly CanonicalRefund[]): readonly CanonicalRefund[] {
  // One record that is not a Customer Refund is its own list (most pairs: no copy).
  if (records.length === 1 && records[0]!.recordType !== 'customerRefund') return records;
  const own = records.filter((r) => r.recordType !== 'customerRefund');
  return own.length > 0 ? own : [...records];
}

function shippingOf(refund: CanonicalRefund): number {
  let sum = 0;
  let any = false;
  for (const line of refund.lines) {
    if (line.role === 'shipping') {
      sum += line.amount;
      any = true;
    }
  }
  return any ? sum : refund.shipping;
}

function skuOf(sku: string, description: string): string {
  return sku.trim() === '' ? `(no SKU) ${description}`.trim() : sku.trim();
}

type Agg = Map<string, { quantity: number; amount: number }>;

function aggregate(records: readonly CanonicalRefund[], mapping: Readonly<Record<string, string>> | null): Agg {
  const agg: Agg = new Map();
  for (const record of records) {
    for (const line of record.lines) {
      if (line.role !== 'item') continue;
      let sku = skuOf(line.sku, line.description);
      if (mapping) sku = mapping[sku] ?? sku;
      const entry = agg.get(sku);
      if (entry) {
        entry.quantity += line.quantity;
        entry.amount += line.amount;
      } else agg.set(sku, { quantity: line.quantity, amount: line.amount });
    }
  }
  return agg;
}

/** Item lines by SKU (as `aggregate`) and the shipping sum (as `shippingOf`), from line summaries where records have them. */
function itemsAndShipping(
  records: readonly CanonicalRefund[],
  mapping: Readonly<Record<string, string>> | null,
): { agg: Agg; shipping: number } {
  const agg: Agg = new Map();
  let shipping = 0;
  const add = (rawSku: string, description: string, quantity: number, amount: number) => {
    let sku = skuOf(rawSku, description);
    if (mapping) sku = mapping[sku] ?? sku;
    const entry = agg.get(sku);
    if (entry) {
      entry.quantity += quantity;
      entry.amount += amount;
    } else agg.set(sku, { quantity, amount });
  };
  for (const record of records) {
    const values = (record as KnowsItemLines).summaryValues?.call(record) ?? null;
    if (values === null) {
      for (const line of record.lines)
        if (line.role === 'item') add(line.sku, line.description, line.quantity, line.amount);
      shipping += shippingOf(record);
      continue;
    }
    // linesFromSummary's lines: descriptions '', one shipping line of the sum when flagged.
    for (let i = 2; i + 2 < values.length; i += 3) {
      add(values[i] as string, '', values[i + 1] as number, values[i + 2] as number);
    }
    shipping += values[0] === 1 ? (values[1] as number) : record.shipping;
  }
  return { agg, shipping };
}

/** compareLines' `differs`, without its rows: an item SKU, quantity or amount, or shipping, disagrees. */
function itemsOrShippingDiffer(
  storefront: readonly CanonicalRefund[],
  nsRecords: readonly CanonicalRefund[],
  mapping: Readonly<Record<string, string>> | null,
  tolerance: number,
): boolean {
  const s = itemsAndShipping(storefront, mapping);
  const n = itemsAndShipping(nsRecords, null);
  if (s.agg.size !== n.agg.size) return true;
  for (const [sku, a] of s.agg) {
    const b = n.agg.get(sku);
    if (!b || a.quantity !== b.quantity || Math.abs(a.amount - b.amount) > tolerance) return true;
  }
  if (s.shipping === 0 && n.shipping === 0) return false;
  return !(Math.abs(s.shipping - n.shipping) <= tolerance);
}

/** Fast path for the common case: one record each, same item lines in the same order. */
function identicalSimple(
  sf: CanonicalRefund,
  ns: CanonicalRefund,
  mapping: Readonly<Record<string, string>>,
  hasMapping: boolean,
): boolean {
  const a = sf.lines;
  const b = ns.lines;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.role !== y.role || x.quantity !== y.quantity || x.amount !== y.amount) return false;
    if (x.role === 'item') {
      const sku = hasMapping ? (mapping[x.sku] ?? x.sku) : x.sku;
      if (sku !== y.sku || sku.trim() === '') return false;
    }
  }
  return shippingOf(sf) === shippingOf(ns);
}

/**
 * Two line summaries (line-summary.ts) that agree on everything after the first value: the same
 * item lines in the same order and the same shipping by role. The first value only says whether
 * shipping came from shipping lines or the shipping field, which compareLines does not compare.
 */
function sameLinesInSummary(a: string, b: string): boolean {
  if (a === b) return true;
  const ia = a.indexOf(',');
  const ib = b.indexOf(',');
  if (ia < 0 || ib < 0 || a.length - ia !== b.length - ib) return false;
  for (let k = a.length - ia - 1; k >= 0; k--) if (a.charCodeAt(ia + k) !== b.charCodeAt(ib + k)) return false;
  return true;
}

/**
 * Compares item lines by SKU (storefront SKU mapped to the NetSuite item) and shipping by role.
 * Generic refund items and tax lines are not compared line by line: they carry amounts not tied
 * to an item, and the totals check covers them. `withRows` false skips building the row list
 * when only the verdict is needed (the 1M-refund path).
 */
export function compareLines(
  storefront: readonly CanonicalRefund[],
  netsuite: readonly CanonicalRefund[],
  mapping: Readonly<Record<string, string>>,
  tolerance: number,
  withRows = true,
): LineCheck {
  const nsRecords = lineBearing(netsuite);
  const hasMapping = hasOwnKeys(mapping);
  if (!withRows && !hasMapping && storefront.length === 1 && nsRecords.length === 1) {
    // Records read from a snapshot carry their line summary (line-summary.ts): equal summaries
    // mean equal item lines and shipping, so the verdict needs no lines at all.
    const a = (storefront[0] as { lineSummary?: string }).lineSummary;
    const b = (nsRecords[0] as { lineSummary?: string }).lineSummary;
    if (a !== undefined && b !== undefined && sameLinesInSummary(a, b)) {
      const items = summaryHasItems(a);
      return { compared: items, storefrontHasItems: items, netsuiteHasItems: items, differs: false, lines: [] };
    }
  }
  const storefrontHasItems = storefront.some(hasItemLines);
  const netsuiteHasItems = nsRecords.some(hasItemLines);
  if (!storefrontHasItems || !netsuiteHasItems) {
    return { compared: false, storefrontHasItems, netsuiteHasItems, differs: false, lines: [] };
  }
  if (!withRows && storefront.length === 1 && nsRecords.length === 1) {
    if (identicalSimple(storefront[0]!, nsRecords[0]!, mapping, hasMapping)) {
      return { compared: true, storefrontHasItems, netsuiteHasItems, differs: false, lines: [] };
    }
  }
  if (!withRows && !itemsOrShippingDiffer(storefront, nsRecords, hasMapping ? mapping : null, tolerance)) {
    // The verdict alone, when that is all the caller needs and it is "same" (most roll-ups): no
    // row list, no sort, and records read from a snapshot never rebuild their lines.
    return { compared: true, storefrontHasItems, netsuiteHasItems, differs: false, lines: [] };
  }
  const sfAgg = aggregate(storefront, hasMapping ? mapping : null);
  const nsAgg = aggregate(nsRecords, null);
  const rows: LineComparison[] = [];
  let differs = false;
  const skus = new Set<string>([...sfAgg.keys(), ...nsAgg.keys()]);
  for (const sku of [...skus].sort()) {
    const s = sfAgg.get(sku) ?? null;
    const n = nsAgg.get(sku) ?? null;
    let status: LineComparison['status'];
    if (!n) status = 'missing_in_netsuite';
    else if (!s) status = 'missing_in_storefront';
    else if (s.quantity !== n.quantity) status = 'quantity_differs';
    else if (Math.abs(s.amount - n.amount) > tolerance) status = 'amount_differs';
    else status = 'same';
    if (status !== 'same') differs = true;
    rows.push({ sku, role: 'item', status, storefront: s, netsuite: n });
  }
  let sfShip = 0;
  for (const r of storefront) sfShip += shippingOf(r);
  let nsShip = 0;
  for (const r of nsRecords) nsShip += shippingOf(r);
  if (sfShip !== 0 || nsShip !== 0) {
    const same = Math.abs(sfShip - nsShip) <= tolerance;
    if (!same) differs = true;
    rows.push({
      sku: SHIPPING_KEY,
      role: 'shipping',
      status: same
        ? 'same'
        : sfShip === 0
          ? 'missing_in_storefront'
          : nsShip === 0
            ? 'missing_in_netsuite'
            : 'amount_differs',
      storefront: sfShip === 0 ? null : { quantity: 0, amount: sfShip },
      netsuite: nsShip === 0 ? null : { quantity: 0, amount: nsShip },
    });
  }
  return { compared: true, storefrontHasItems, netsuiteHasItems, differs, lines: withRows || differs ? rows : [] };
}

/** Some line of the refund is an item line, read from its lines (the reference engine's definition). */
export function refundHasItemLines(refund: CanonicalRefund): boolean {
  for (const line of refund.lines) if (line.role === 'item') return true;
  return false;
}
