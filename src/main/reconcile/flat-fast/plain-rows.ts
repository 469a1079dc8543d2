import { formatAmount } from '../../../shared/money';
import type { ReconcileResult } from '../engine';
import { CSV_HEADER, tableOrderKey } from '../output';
import type { ComboVerdict } from './combos';
import type { FlatTable } from './flat-table';
import { digitKeyOf } from './number-keys';

/** The plain pairs the fast path writes itself (rows of the two tables and their combination). */
export interface PlainPairs {
  count: number;
  sfRow: Uint32Array;
  nsRow: Uint32Array;
  combo: Uint16Array;
}

/** Bytes per output chunk. */
const CHUNK = 4 << 20;

/**
 * Writes `--format csv`: the header, then the plain pairs' rows (matched-rows.ts's template, the
 * cells copied from the files' bytes into large Buffers) merged with the general rows (`general`,
 * [tableOrderKey, csvRow] sorted by key) in tableOrderKey's order, as SortedCsvWriter does.
 */
export function writePlainMerged(
  sf: FlatTable,
  ns: FlatTable,
  pairs: PlainPairs,
  verdicts: readonly ComboVerdict[],
  general: ReadonlyArray<readonly [string, string]>,
  write: (chunk: string | Buffer) => void,
): void {
  write(`${CSV_HEADER.join(',')}\r\n`);
  const order = sortedPairs(sf, pairs);
  const prefixes = prefixesOf(sf);
  // Text of each combination and currency, as bytes.
  const ascii = (s: string) => Buffer.from(s, 'latin1');
  const comboParts = verdicts.map((v) => ({
    matchedBy: ascii(`,${v.matchedBy},storefront refund `),
    label: ascii(` and ${v.label}`),
    sfKind: ascii(`,,,${v.sfKind} `),
    nsKind: ascii(`,${v.nsKind} `),
  }));
  const currencyParts = sf.currencies.map((c) => ({
    cell: ascii(`,${c},`),
    agree: ascii(` agree on ${c} `),
    zero: ascii(`,${formatAmount(0, c)}`),
  }));

  const fixed: FixedText = { sf: ascii('sf:'), matchedOk: ascii(',matched,ok,'), internal: ascii('internal id ') };
  // `out` and `pos` stay locals of this function (no closure writes them): the row writer gets and
  // returns the position, so the hot loop keeps them in registers.
  let out = Buffer.allocUnsafe(CHUNK);
  let pos = 0;
  const sb = sf.bytes;
  let g = 0;
  for (let k = 0; k < order.length; k++) {
    const p = order[k]!;
    const s = pairs.sfRow[p]!;
    const n = pairs.nsRow[p]!;
    const cur = sf.currency[s]!;
    if (g < general.length) {
      const sRow = sf.rowStart[s]!;
      const prefix = prefixes[cur]!;
      while (g < general.length && keyBefore(general[g]![0], prefix, sb, sRow + sf.idStart[s]!, sRow + sf.idEnd[s]!)) {
        const row = general[g++]![1];
        if (pos + Buffer.byteLength(row) > CHUNK) {
          write(out.subarray(0, pos));
          out = Buffer.allocUnsafe(Math.max(CHUNK, Buffer.byteLength(row)));
          pos = 0;
        }
        pos += out.write(row, pos);
      }
    }
    // A row is at most ~4 times the storefront row and 3 times the NetSuite row, plus the fixed text.
    if (pos + 4 * sf.rowLength[s]! + 3 * ns.rowLength[n]! + 1024 > out.length) {
      // The sink may keep the chunk (a test collecting output): a written buffer is never reused.
      write(out.subarray(0, pos));
      out = Buffer.allocUnsafe(CHUNK);
      pos = 0;
    }
    pos = plainRow(out, pos, sf, s, ns, n, comboParts[pairs.combo[p]!]!, currencyParts[cur]!, fixed);
  }
  for (; g < general.length; g++) {
    const row = general[g]![1];
    if (pos + Buffer.byteLength(row) > out.length) {
      write(out.subarray(0, pos));
      out = Buffer.allocUnsafe(Math.max(CHUNK, Buffer.byteLength(row)));
      pos = 0;
    }
    pos += out.write(row, pos);
  }
  if (pos > 0) write(out.subarray(0, pos));
}

interface FixedText {
  sf: Buffer;
  matchedOk: Buffer;
  internal: Buffer;
}

interface ComboText {
  matchedBy: Buffer;
  label: Buffer;
  sfKind: Buffer;
  nsKind: Buffer;
}

interface CurrencyText {
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
function plainRow(
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

/** tableOrderKey's prefix of a plain row (ok, no difference) by the storefront table's currency code. */
function prefixesOf(sf: FlatTable): string[] {
  return sf.currencies.map((currency) => {
    const key = 'sf:';
    const full = tableOrderKey({ severity: 'ok', difference: 0, currency, key } as ReconcileResult);
    return full.slice(0, full.length - key.length);
  });
}

/** `key` sorts before `prefix + "sf:" + bytes[start, end)` (ASCII, compared as UTF-16 code units). */
function keyBefore(key: string, prefix: string, bytes: Buffer, start: number, end: number): boolean {
  const p = prefix.length;
  const total = p + 3 + (end - start);
  const n = Math.min(key.length, total);
  for (let i = 0; i < n; i++) {
    const a = key.charCodeAt(i);
    const b = i < p ? prefix.charCodeAt(i) : i < p + 3 ? 'sf:'.charCodeAt(i - p) : bytes[start + i - p - 3]!;
    if (a !== b) return a < b;
  }
  return key.length < total;
}

/** The pairs in tableOrderKey's order: by prefix (currency), then the refund id as text. */
function sortedPairs(sf: FlatTable, pairs: PlainPairs): Uint32Array {
  const prefixes = prefixesOf(sf);
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
