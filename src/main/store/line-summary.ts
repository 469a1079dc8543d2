import type { CanonicalRefund, RefundLine } from '../../shared/model';
import { jsonElement, jsonString } from './json-text';
import type { Db } from './open';

/**
 * A refund's lines as the matcher compares them, in one short text (`refunds.line_summary`,
 * migration 005), so a comparison never reads `refund_lines`:
 *
 *   JSON `[shippingFromLines (0|1), shipping, sku, quantity, amount, sku, quantity, amount, …]`
 *
 * - the item lines in line order: SKU trimmed (a blank SKU is `(no SKU)`, the snapshot matcher
 *   never read descriptions), quantity, amount (minor units);
 * - shipping by role: the sum of the shipping lines when there are any (flag 1), else the refund's
 *   `shipping` field (flag 0) — exactly what `compareLines` compares;
 * - generic refund items and tax lines are not compared line by line, so they are left out.
 *
 * Exact (no hash): equal summaries mean equal lines, and the lines can be rebuilt from it
 * (`linesFromSummary`) for the comparison rows of a result that differs.
 */
export function lineSummary(refund: Pick<CanonicalRefund, 'lines' | 'shipping'>): string {
  // Written by hand: JSON.stringify of an array per refund was ~3 % of the rich one-shot's NDJSON
  // thread. Same text as JSON.stringify([flag, shipping, sku, quantity, amount, …])
  // (test/unit/store/line-summary-text.test.ts).
  let items = '';
  let shipping = 0;
  let shippingLines = false;
  for (const line of refund.lines) {
    if (line.role === 'item') {
      const sku = line.sku.trim();
      items += `,${jsonString(sku === '' ? '(no SKU)' : sku)},${jsonElement(line.quantity)},${jsonElement(line.amount)}`;
    } else if (line.role === 'shipping') {
      shipping += line.amount;
      shippingLines = true;
    }
  }
  return `[${shippingLines ? 1 : 0},${jsonElement(shippingLines ? shipping : refund.shipping)}${items}]`;
}

/**
 * `lineSummary` of a refund whose lines are flat values (the writer's packed batches: `count` lines
 * of `width` values from `at`, with `sku`, `quantity`, `amount` and `role` at the given offsets).
 * Must equal lineSummary of the same refund (test/unit/store/packed-refunds.test.ts).
 */
export function lineSummaryOfValues(
  values: readonly unknown[],
  at: number,
  count: number,
  width: number,
  offsets: { sku: number; quantity: number; amount: number; role: number },
  /** The role of a line from its value (a dictionary code in packed batches). */
  roleOf: (value: unknown) => string | null,
  refundShipping: number,
): string {
  const out: Array<string | number> = [0, 0];
  let shipping = 0;
  let shippingLines = false;
  for (let i = 0; i < count; i++) {
    const base = at + i * width;
    const role = roleOf(values[base + offsets.role]);
    if (role === 'item') {
      const sku = (values[base + offsets.sku] as string).trim();
      out.push(
        sku === '' ? '(no SKU)' : sku,
        values[base + offsets.quantity] as number,
        values[base + offsets.amount] as number,
      );
    } else if (role === 'shipping') {
      shipping += values[base + offsets.amount] as number;
      shippingLines = true;
    }
  }
  out[0] = shippingLines ? 1 : 0;
  out[1] = shippingLines ? shipping : refundShipping;
  return JSON.stringify(out);
}

/** True when the summary holds at least one item line. */
export function summaryHasItems(summary: string): boolean {
  // `[f,s]` has exactly one comma; any item adds three more.
  let commas = 0;
  for (let i = 0; i < summary.length && commas < 2; i++) if (summary.charCodeAt(i) === 44) commas++;
  return commas >= 2;
}

/**
 * Rebuilds the compared lines: the item lines, plus one shipping line carrying the shipping sum
 * when the refund had shipping lines (otherwise the shipping lives in the `shipping` field).
 */
export function linesFromSummary(summary: string): {
  lines: RefundLine[];
  shipping: number;
  shippingFromLines: boolean;
} {
  const v = JSON.parse(summary) as Array<string | number>;
  const lines: RefundLine[] = [];
  for (let i = 2; i + 2 < v.length; i += 3) {
    lines.push({
      sku: v[i] as string,
      description: '',
      quantity: v[i + 1] as number,
      amount: v[i + 2] as number,
      tax: 0,
      role: 'item',
    });
  }
  const shippingFromLines = v[0] === 1;
  const shipping = v[1] as number;
  if (shippingFromLines)
    lines.push({ sku: '', description: '', quantity: 0, amount: shipping, tax: 0, role: 'shipping' });
  return { lines, shipping, shippingFromLines };
}

/**
 * The line summaries of a snapshot's refunds that have none, computed from `refund_lines` without
 * writing them back (a temporary workspace): one pass over the lines into arrays indexed by row id,
 * and `summaryOf(rowId, shipping)` giving exactly `lineSummary()`'s text. Null when none is missing.
 */
export function computeLineSummaries(db: Db, snapshotId: number): ((rowId: number, shipping: number) => string) | null {
  const missing = db
    .prepare(
      'SELECT min(id) AS lo, max(id) AS hi, count(*) AS n FROM refunds WHERE snapshot_id = ? AND line_summary IS NULL',
    )
    .get(snapshotId) as { lo: number | null; hi: number | null; n: number };
  if (missing.n === 0 || missing.lo === null || missing.hi === null) return null;
  const lo = missing.lo;
  const size = missing.hi - lo + 1;
  // Per refund: the item part of the JSON text (`,"sku",quantity,amount` per item line, in line
  // order) and the sum of its shipping lines, if any.
  const items: string[] = new Array(size).fill('');
  const shippingSum = new Float64Array(size);
  const shippingLines = new Uint8Array(size);
  const lines = db
    .prepare(
      `SELECT refund_id, sku, quantity, amount, role FROM refund_lines
       WHERE refund_id BETWEEN ? AND ? ORDER BY refund_id, line_no`,
    )
    .raw(true);
  let current = -1;
  let text = '';
  for (const row of lines.iterate(lo, missing.hi) as IterableIterator<[number, string, number, number, string]>) {
    const k = row[0] - lo;
    if (k !== current) {
      if (current >= 0) items[current] = text;
      current = k;
      text = '';
    }
    if (row[4] === 'item') {
      const sku = row[1].trim();
      text += `,${JSON.stringify(sku === '' ? '(no SKU)' : sku)},${JSON.stringify(row[2])},${JSON.stringify(row[3])}`;
    } else if (row[4] === 'shipping') {
      shippingSum[k] = shippingSum[k]! + row[3];
      shippingLines[k] = 1;
    }
  }
  if (current >= 0) items[current] = text;
  return (rowId, shipping) => {
    const k = rowId - lo;
    if (k < 0 || k >= size) return JSON.stringify([0, shipping]);
    const fromLines = shippingLines[k] === 1;
    return `[${fromLines ? 1 : 0},${JSON.stringify(fromLines ? shippingSum[k]! : shipping)}${items[k]}]`;
  };
}

/**
 * Fills `line_summary` for the refunds of a snapshot that have none (written before migration 005,
 * or by a writer that does not fill it). One pass over the snapshot's lines; returns the rows filled.
 */
export function ensureLineSummaries(db: Db, snapshotId: number): number {
  const missing = db
    .prepare(
      'SELECT min(id) AS lo, max(id) AS hi, count(*) AS n FROM refunds WHERE snapshot_id = ? AND line_summary IS NULL',
    )
    .get(snapshotId) as { lo: number | null; hi: number | null; n: number };
  if (missing.n === 0 || missing.lo === null || missing.hi === null) return 0;
  const refunds = db
    .prepare(
      'SELECT id, shipping FROM refunds WHERE snapshot_id = ? AND line_summary IS NULL AND id BETWEEN ? AND ? ORDER BY id',
    )
    .raw(true);
  const lines = db
    .prepare(
      `SELECT refund_id, sku, quantity, amount, role FROM refund_lines
       WHERE refund_id BETWEEN ? AND ? ORDER BY refund_id, line_no`,
    )
    .raw(true);
  const update = db.prepare('UPDATE refunds SET line_summary = ? WHERE id = ?');
  const CHUNK = 50_000;
  let filled = 0;
  db.transaction(() => {
    for (let lo = missing.lo!; lo <= missing.hi!; lo += CHUNK) {
      const hi = Math.min(missing.hi!, lo + CHUNK - 1);
      const byId = new Map<number, { lines: RefundLine[]; shipping: number }>();
      for (const row of refunds.iterate(snapshotId, lo, hi) as IterableIterator<[number, number]>) {
        byId.set(row[0], { lines: [], shipping: row[1] });
      }
      if (byId.size === 0) continue;
      for (const row of lines.iterate(lo, hi) as IterableIterator<[number, string, number, number, string]>) {
        const r = byId.get(row[0]);
        if (r) {
          r.lines.push({
            sku: row[1],
            description: '',
            quantity: row[2],
            amount: row[3],
            tax: 0,
            role: row[4] as RefundLine['role'],
          });
        }
      }
      for (const [id, r] of byId) {
        update.run(lineSummary(r), id);
        filled++;
      }
    }
  })();
  return filled;
}
