import fs from 'node:fs';
import type { ReconcileResult } from '../engine';
import { CSV_HEADER, tableOrderKey } from '../output';
import type { ComboVerdict } from './combos';
import type { FlatTable } from './flat-table';
import { CHUNK, type PlainPairs, plainRow, plainTexts, rowRoom, sortedPairs } from './plain-row-format';

export type { PlainPairs } from './plain-row-format';

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
  const prefixes = prefixesOf(sf);
  const order = sortedPairs(sf, pairs, prefixes);
  const { combo: comboParts, currency: currencyParts, fixed } = plainTexts(sf, verdicts);

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
    if (pos + rowRoom(sf, s, ns, n) > out.length) {
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

/**
 * Writes `--format csv` as writePlainMerged does when the plain rows are already formatted, in
 * `order`, in `file` (formatPlainRows on the helper thread; `starts[k]`: where row k starts):
 * the file's bytes are copied in runs, each general row where tableOrderKey puts it.
 */
export function writeFormattedMerged(
  sf: FlatTable,
  pairs: PlainPairs,
  order: Uint32Array,
  starts: Float64Array,
  file: string,
  general: ReadonlyArray<readonly [string, string]>,
  write: (chunk: string | Buffer) => void,
): void {
  write(`${CSV_HEADER.join(',')}\r\n`);
  const prefixes = prefixesOf(sf);
  const fd = fs.openSync(file, 'r');
  try {
    // One buffer, reused: the sink is done with a Buffer chunk when write returns (as copyFile in
    // output-sink.ts assumes); ~200 MB of fresh chunks would raise the peak RSS before a GC.
    let out = Buffer.allocUnsafe(CHUNK);
    let pos = 0;
    const flush = () => {
      if (pos === 0) return;
      write(out.subarray(0, pos));
      pos = 0;
    };
    const copy = (from: number, to: number) => {
      while (from < to) {
        if (pos === out.length) flush();
        const got = fs.readSync(fd, out, pos, Math.min(out.length - pos, to - from), from);
        if (got <= 0) throw new Error(`${file} ended early.`);
        pos += got;
        from += got;
      }
    };
    // Whether `key` sorts before plain row j (keyBefore, as writePlainMerged asks it).
    const before = (key: string, j: number) => {
      const s = pairs.sfRow[order[j]!]!;
      const row = sf.rowStart[s]!;
      return keyBefore(key, prefixes[sf.currency[s]!]!, sf.bytes, row + sf.idStart[s]!, row + sf.idEnd[s]!);
    };
    const n = order.length;
    let k = 0;
    for (const [key, row] of general) {
      // The first plain row after the general one (plain rows are in key order: a binary search).
      let lo = k;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (before(key, mid)) hi = mid;
        else lo = mid + 1;
      }
      copy(starts[k]!, starts[lo]!);
      k = lo;
      const length = Buffer.byteLength(row);
      if (pos + length > out.length) {
        flush();
        if (length > out.length) out = Buffer.allocUnsafe(length);
      }
      pos += out.write(row, pos);
    }
    copy(starts[k]!, starts[n]!);
    flush();
  } finally {
    fs.closeSync(fd);
  }
}

/** tableOrderKey's prefix of a plain row (ok, no difference) by the storefront table's currency code. */
export function prefixesOf(sf: FlatTable): string[] {
  return sf.currencies.map((currency) => {
    const key = 'sf:';
    const full = tableOrderKey({ severity: 'ok', difference: 0, currency, key } as ReconcileResult);
    return full.slice(0, full.length - key.length);
  });
}

/** `key` sorts before `prefix + "sf:" + bytes[start, end)` (ASCII, compared as UTF-16 code units). */
export function keyBefore(key: string, prefix: string, bytes: Buffer, start: number, end: number): boolean {
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
