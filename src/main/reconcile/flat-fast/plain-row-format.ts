import { formatAmount } from '../../../shared/money';
import type { ComboVerdict } from './combos';
import type { FlatTable } from './flat-table';
import { digitKeyOf } from './number-keys';

/**
 * The plain rows' formatting (matched-rows.ts's template, the cells copied from the files' bytes)
 * and order, without the engine or the output module: the helper thread (helper-worker.ts) loads
 * only this to write them while the main thread runs the general compare.
 */

/** The plain pairs the fast path writes itself (rows of the two tables and their combination). */
export interface PlainPairs {
  count: number;
  sfRow: Uint32Array;
  nsRow: Uint32Array;
  combo: Uint16Array;
}

/** Bytes per output chunk. */
export const CHUNK = 4 << 20;

/** The text of each combination and currency and the fixed text, as bytes. */
export interface PlainTexts {
  combo: ComboText[];
  currency: CurrencyText[];
  fixed: FixedText;
}

export function plainTexts(sf: FlatTable, verdicts: readonly ComboVerdict[]): PlainTexts {
  const ascii = (s: string) => Buffer.from(s, 'latin1');
  return {
    combo: verdicts.map((v) => ({
      matchedBy: ascii(`,${v.matchedBy},storefront refund `),
      label: ascii(` and ${v.label}`),
      sfKind: ascii(`,,,${v.sfKind} `),
      nsKind: ascii(`,${v.nsKind} `),
    })),
    currency: sf.currencies.map((c) => ({
      cell: ascii(`,${c},`),
      agree: ascii(` agree on ${c} `),
      zero: ascii(`,${formatAmount(0, c)}`),
    })),
    fixed: { sf: ascii('sf:'), matchedOk: ascii(',matched,ok,'), internal: ascii('internal id ') },
  };
}

/** Room a row may take: at most ~4 times the storefront row and 3 times the NetSuite row, plus the fixed text. */
export function rowRoom(sf: FlatTable, s: number, ns: FlatTable, n: number): number {
  return 4 * sf.rowLength[s]! + 3 * ns.rowLength[n]! + 1024;
}

/**
 * The plain rows alone, in `order`, to `write` in large chunks; one chunk is reused, so `write`
 * must be done with it when it returns (a file write). Returns where each row starts in what was
 * written (`[count]`: the total length).
 */
export function formatPlainRows(
  sf: FlatTable,
  ns: FlatTable,
  pairs: PlainPairs,
  order: Uint32Array,
  texts: PlainTexts,
  write: (chunk: Buffer) => void,
): Float64Array {
  const starts = new Float64Array(order.length + 1);
  const out = Buffer.allocUnsafe(CHUNK);
  let pos = 0;
  let written = 0;
  const { combo, currency, fixed } = texts;
  for (let k = 0; k < order.length; k++) {
    const p = order[k]!;
    const s = pairs.sfRow[p]!;
    const n = pairs.nsRow[p]!;
    if (pos + rowRoom(sf, s, ns, n) > out.length) {
      write(out.subarray(0, pos));
      written += pos;
      pos = 0;
    }
    starts[k] = written + pos;
    pos = plainRow(out, pos, sf, s, ns, n, combo[pairs.combo[p]!]!, currency[sf.currency[s]!]!, fixed);
  }
  if (pos > 0) write(out.subarray(0, pos));
  starts[order.length] = written + pos;
  return starts;
}

export interface FixedText {
  sf: Buffer;
  matchedOk: Buffer;
  internal: Buffer;
}

export interface ComboText {
  matchedBy: Buffer;
  label: Buffer;
  sfKind: Buffer;
  nsKind: Buffer;
}

export interface CurrencyText {
  cell: Buffer;
  agree: Buffer;
  zero: Buffer;
}

/** Copies src[start, end) to out at `at`; returns the position after it. */
function cp(out: Buffer, at: number, src: Buffer, start: number, end: number): number {
  for (let i = start; i < end; i++) out[at++] = src[i]!;
  return at;
}

/** Appends all of `text`. */
function put(out: Buffer, at: number, text: Buffer): number {
  for (let i = 0; i < text.length; i++) out[at++] = text[i]!;
  return at;
}

/**
 * One plain row, matched-rows.ts's template with the cells from the files' bytes:
 * `sf:<id>,matched,ok,<order>,<currency>,<date>,<id>,<total>,<doc>,<internal id>,<total>,<zero>,
 * <matched by>,storefront refund <id> and <label><doc or internal id> agree on <currency> <total>.,,,
 * <kind> <total>,<kind> <total>` and CRLF. Returns the position after it.
 */
export function plainRow(
  out: Buffer,
  at: number,
  sf: FlatTable,
  s: number,
  ns: FlatTable,
  n: number,
  v: ComboText,
  c: CurrencyText,
  fixed: FixedText,
): number {
  const sb = sf.bytes;
  const nb = ns.bytes;
  const sRow = sf.rowStart[s]!;
  const idS = sRow + sf.idStart[s]!;
  const idE = sRow + sf.idEnd[s]!;
  const dateS = sRow + sf.dateStart[s]!;
  const totS = sRow + sf.totalStart[s]!;
  const totE = sRow + sf.totalEnd[s]!;
  const nRow = ns.rowStart[n]!;
  const docS = nRow + ns.docStart[n]!;
  const docE = nRow + ns.docEnd[n]!;
  const nidS = nRow + ns.idStart[n]!;
  const nidE = nRow + ns.idEnd[n]!;
  const ntS = nRow + ns.totalStart[n]!;
  const ntE = nRow + ns.totalEnd[n]!;
  at = put(out, at, fixed.sf);
  at = cp(out, at, sb, idS, idE);
  at = put(out, at, fixed.matchedOk);
  at = cp(out, at, sb, sRow + sf.refStart[s]!, sRow + sf.refEnd[s]!);
  at = put(out, at, c.cell);
  at = cp(out, at, sb, dateS, dateS + 10);
  out[at++] = 44;
  at = cp(out, at, sb, idS, idE);
  out[at++] = 44;
  at = cp(out, at, sb, totS, totE);
  out[at++] = 44;
  at = cp(out, at, nb, docS, docE);
  out[at++] = 44;
  at = cp(out, at, nb, nidS, nidE);
  out[at++] = 44;
  at = cp(out, at, nb, ntS, ntE);
  at = put(out, at, c.zero);
  at = put(out, at, v.matchedBy);
  at = cp(out, at, sb, idS, idE);
  at = put(out, at, v.label);
  if (docE > docS) at = cp(out, at, nb, docS, docE);
  else {
    at = put(out, at, fixed.internal);
    at = cp(out, at, nb, nidS, nidE);
  }
  at = put(out, at, c.agree);
  at = cp(out, at, sb, totS, totE);
  out[at++] = 46;
  at = put(out, at, v.sfKind);
  at = cp(out, at, sb, totS, totE);
  at = put(out, at, v.nsKind);
  at = cp(out, at, nb, ntS, ntE);
  out[at++] = 13;
  out[at++] = 10;
  return at;
}

/**
 * sortedPairs of the plain pairs, from `candidateOrder` = sortedPairs of all the candidate pairs
 * they were taken from (the helper sorts those while the main thread still works towards the
 * verdicts): the plain pairs are the candidates whose combination is plain, in candidate order,
 * and both sorts are stable, so the plain ones in candidate order are the plain pairs sorted.
 * Null when the plain candidates are not `count` (then sort the pairs themselves).
 */
export function plainPairOrder(
  candidates: PlainPairs,
  candidateOrder: Uint32Array,
  verdicts: readonly ComboVerdict[],
  count: number,
): Uint32Array | null {
  const pairOf = new Int32Array(candidates.count).fill(-1);
  let pairs = 0;
  for (let p = 0; p < candidates.count; p++) if (verdicts[candidates.combo[p]!]!.plain) pairOf[p] = pairs++;
  if (pairs !== count || candidateOrder.length !== candidates.count) return null;
  const order = new Uint32Array(count);
  let k = 0;
  for (let i = 0; i < candidateOrder.length; i++) {
    const pair = pairOf[candidateOrder[i]!]!;
    if (pair >= 0) order[k++] = pair;
  }
  return order;
}

/** The pairs in tableOrderKey's order: by prefix (currency), then the refund id as text. */
export function sortedPairs(sf: FlatTable, pairs: PlainPairs, prefixes: readonly string[]): Uint32Array {
  const ranked = [...prefixes.keys()].sort((a, b) =>
    prefixes[a]! < prefixes[b]! ? -1 : prefixes[a]! > prefixes[b]! ? 1 : 0,
  );
  const rank = new Uint16Array(prefixes.length);
  ranked.forEach((code, r) => {
    rank[code] = r;
  });
  const n = pairs.count;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const b = sf.bytes;
  const keys = new Float64Array(n);
  const ranks = new Uint16Array(n);
  let allDigits = true;
  for (let i = 0; i < n; i++) {
    const s = pairs.sfRow[i]!;
    ranks[i] = rank[sf.currency[s]!]!;
    if (!allDigits) continue;
    const k = digitKeyOf(b, sf.rowStart[s]! + sf.idStart[s]!, sf.rowStart[s]! + sf.idEnd[s]!);
    if (k < 0) allDigits = false;
    else keys[i] = k;
  }
  if (allDigits) {
    // By rank first (a counting sort, stable), then each rank's run by id; a run already in order
    // (an export sorted by refund id) is not sorted again.
    const counts = new Uint32Array(ranked.length + 1);
    for (let i = 0; i < n; i++) counts[ranks[i]! + 1]!++;
    for (let r = 1; r <= ranked.length; r++) counts[r]! += counts[r - 1]!;
    const starts = counts.slice(0, ranked.length + 1);
    for (let i = 0; i < n; i++) order[counts[ranks[i]!]!++] = i;
    for (let r = 0; r < ranked.length; r++) {
      const run = order.subarray(starts[r]!, starts[r + 1]!);
      let sorted = true;
      for (let k = 1; k < run.length && sorted; k++) if (keys[run[k - 1]!]! > keys[run[k]!]!) sorted = false;
      if (!sorted) run.sort((x, y) => keys[x]! - keys[y]!);
    }
  } else {
    order.sort((x, y) => {
      const r = ranks[x]! - ranks[y]!;
      if (r !== 0) return r;
      const sx = pairs.sfRow[x]!;
      const sy = pairs.sfRow[y]!;
      return b.compare(
        b,
        sf.rowStart[sy]! + sf.idStart[sy]!,
        sf.rowStart[sy]! + sf.idEnd[sy]!,
        sf.rowStart[sx]! + sf.idStart[sx]!,
        sf.rowStart[sx]! + sf.idEnd[sx]!,
      );
    });
  }
  return order;
}
