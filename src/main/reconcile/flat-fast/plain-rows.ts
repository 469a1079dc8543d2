import { formatAmount } from '../../../shared/money';
import type { ReconcileResult } from '../engine';
import { CSV_HEADER, tableOrderKey } from '../output';
import type { ComboVerdict } from './combos';
import type { FlatTable } from './flat-table';

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
  const MATCHED_OK = ascii(',matched,ok,');
  const SF = ascii('sf:');
  const INTERNAL = ascii('internal id ');

  let out = Buffer.allocUnsafe(CHUNK);
  let pos = 0;
  const flush = () => {
    if (pos === 0) return;
    write(out.subarray(0, pos));
    // The sink may keep the chunk (a test collecting output): never reuse a written buffer.
    out = Buffer.allocUnsafe(CHUNK);
    pos = 0;
  };
  const put = (b: Buffer) => {
    for (let i = 0; i < b.length; i++) out[pos++] = b[i]!;
  };
  const copy = (src: Buffer, start: number, end: number) => {
    for (let i = start; i < end; i++) out[pos++] = src[i]!;
  };
  const putText = (s: string) => {
    const length = Buffer.byteLength(s);
    if (pos + length > CHUNK) flush();
    if (length > CHUNK) write(s);
    else pos += out.write(s, pos);
  };

  const sb = sf.bytes;
  const nb = ns.bytes;
  let g = 0;
  for (let k = 0; k < order.length; k++) {
    const p = order[k]!;
    const s = pairs.sfRow[p]!;
    const n = pairs.nsRow[p]!;
    const sRow = sf.rowStart[s]!;
    const idS = sRow + sf.idStart[s]!;
    const idE = sRow + sf.idEnd[s]!;
    const cur = sf.currency[s]!;
    if (g < general.length) {
      const prefix = prefixes[cur]!;
      while (g < general.length && keyBefore(general[g]![0], prefix, sb, idS, idE)) {
        putText(general[g]![1]);
        g++;
      }
    }
    // A row is at most ~4 times the storefront row and 3 times the NetSuite row, plus the fixed text.
    if (pos + 4 * sf.rowLength[s]! + 3 * ns.rowLength[n]! + 1024 > CHUNK) flush();
    const v = comboParts[pairs.combo[p]!]!;
    const c = currencyParts[cur]!;
    const refS = sRow + sf.refStart[s]!;
    const refE = sRow + sf.refEnd[s]!;
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
    // sf:<id>,matched,ok,<order>,<currency>,<date>,<id>,<total>,<doc>,<internal id>,<total>,<zero>,
    put(SF);
    copy(sb, idS, idE);
    put(MATCHED_OK);
    copy(sb, refS, refE);
    put(c.cell);
    copy(sb, dateS, dateS + 10);
    out[pos++] = 44;
    copy(sb, idS, idE);
    out[pos++] = 44;
    copy(sb, totS, totE);
    out[pos++] = 44;
    copy(nb, docS, docE);
    out[pos++] = 44;
    copy(nb, nidS, nidE);
    out[pos++] = 44;
    copy(nb, ntS, ntE);
    put(c.zero);
    // <matched by>,storefront refund <id> and <label><doc or internal id> agree on <currency> <total>.
    put(v.matchedBy);
    copy(sb, idS, idE);
    put(v.label);
    if (docE > docS) copy(nb, docS, docE);
    else {
      put(INTERNAL);
      copy(nb, nidS, nidE);
    }
    put(c.agree);
    copy(sb, totS, totE);
    out[pos++] = 46;
    // ,,,<kind> <total>,<kind> <total>\r\n
    put(v.sfKind);
    copy(sb, totS, totE);
    put(v.nsKind);
    copy(nb, ntS, ntE);
    out[pos++] = 13;
    out[pos++] = 10;
  }
  for (; g < general.length; g++) {
    putText(general[g]![1]);
  }
  flush();
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
    order.sort((x, y) => ranks[x]! - ranks[y]! || keys[x]! - keys[y]!);
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

/** matched-rows.ts `digitKey` on bytes (at most 15 digits; -1 otherwise). */
function digitKeyOf(b: Buffer, start: number, end: number): number {
  const len = end - start;
  if (len === 0 || len > 15) return -1;
  let key = 0;
  for (let i = 0; i < 15; i++) {
    let d = 0;
    if (i < len) {
      const c = b[start + i]!;
      if (c < 48 || c > 57) return -1;
      d = c - 47;
    }
    key = key * 11 + d;
  }
  return key;
}
