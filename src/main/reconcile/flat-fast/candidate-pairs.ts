import { orderKeyOf } from '../../store/order-key';
import { normaliseRefundId, refundKeyCandidates } from '../refund-key';
import {
  buffer,
  type FlatTable,
  ROW_CELLS_PLAIN,
  ROW_DOC_IS_ID,
  ROW_EXT_DIGITS,
  ROW_ID_NORMAL,
  ROW_ODD,
  ROW_QUIET,
  ROW_REF_PLAIN,
} from './flat-table';
import { KeySpace } from './key-space';
import { digitKeyOf } from './number-keys';

/**
 * The orders that may be plain matches, decided on the two FlatTables before the engine runs: an
 * order (normalised order key) with exactly one storefront refund and one NetSuite record, same
 * currency and total, printable cells, no memo or appliesTo, whose pairing the engine makes within
 * the order and nowhere else:
 *
 * - by refund key (spec §4 rule 1): the record's External ID names the refund, and no other record
 *   of the file names it; or by equal total (rule 2): neither names nor is named by anything;
 * - the refund id is not repeated on the storefront side (normalised, as `indexStorefront`), the
 *   internal id not on the NetSuite side (any record, compared or not);
 * - the order key is not empty (those go unmatched or `no_order_reference`);
 * - no row of the order, either side, has a tenders cell (ROW_ODD): the full importer reads those
 *   (odd-rows.ts) and the engine decides their order, tender checks and all.
 *
 * Everything that can tie an order to another one (a key naming a refund elsewhere, a repeated
 * id, a Customer Refund applying to a Credit Memo: those have an appliesTo, so are never
 * candidates) keeps both orders out, so the orders left to the engine are closed: the engine
 * gives them the results it gives them in the whole comparison. What the record types, kinds,
 * statuses and flags of a pair make of it is then asked of the engine itself, once per distinct
 * combination (`combos.ts`); a pair whose combination is not a plain `matched` row goes to the
 * engine too.
 */
export interface CandidatePairs {
  count: number;
  sfRow: Uint32Array;
  nsRow: Uint32Array;
  /** Index into `combos`. */
  combo: Uint16Array;
  combos: ComboKey[];
}

/** What decides a candidate pair's result besides the cells it prints. */
export interface ComboKey {
  sfAttr: number;
  nsAttr: number;
  currency: string;
  /** Paired by refund key (else by equal total). */
  byKey: boolean;
  zero: boolean;
}

/** Too many distinct combinations: something unusual, leave the files to the general path. */
const MAX_COMBOS = 4096;

/**
 * What candidatePairs knows of the storefront table alone (its first pass): made before the
 * NetSuite table exists, so the helper thread runs it while the main thread still reads that file.
 */
export interface StorefrontPass {
  sf: FlatTable;
  /** Order keys of both sides (buffer 0 the storefront bytes, 1 the NetSuite bytes once known). */
  orders: KeySpace;
  /** Normalised refund ids of the storefront (buffers as `orders`). */
  sfIds: KeySpace;
  sfGroup: Int32Array;
  sfRowOfId: Int32Array;
  /** Repeated refund ids (and their first): no candidates. */
  sfOut: Uint8Array;
}

/** Until the NetSuite bytes are known: no key of the storefront pass points into buffer 1. */
const NO_BYTES = Buffer.alloc(0);

/**
 * The storefront pass of candidatePairs. `expected`: how many order keys to size for (the larger
 * side when both are known; the tables grow if not).
 */
export function storefrontPass(sf: FlatTable, expected = sf.n): StorefrontPass {
  // Order keys of both sides, from the bytes (orderKeyOf's fast case) or from the text. Sized for
  // the larger side (the two sides mostly share their orders; the table grows if not): half the
  // memory of room for both, and fewer cache misses.
  const orders = new KeySpace([sf.bytes, NO_BYTES], expected);
  // One pass a side, every key of a row at once: the row's bytes are read from memory once (the
  // files are far bigger than the cache; a pass per key cost a miss per row each).
  // Storefront: order keys, and refund ids normalised; repeated ids (and their first) are no
  // candidates. The NetSuite bytes come later: External IDs are looked up in place.
  const sfGroup = new Int32Array(sf.n);
  const sfIds = new KeySpace([sf.bytes, NO_BYTES], sf.n);
  const sfRowOfId = new Int32Array(sf.n);
  const sfOut = new Uint8Array(sf.n);
  for (let r = 0; r < sf.n; r++) {
    const start = sf.rowStart[r]!;
    sfGroup[r] = groupOf(orders, sf, 0, r, start);
    const s = start + sf.idStart[r]!;
    const e = start + sf.idEnd[r]!;
    const k =
      (sf.flags[r]! & ROW_ID_NORMAL) !== 0
        ? sfIds.add(0, s, e)
        : sfIds.addText(normaliseRefundId(sf.bytes.toString('latin1', s, e)));
    if (sfIds.added) sfRowOfId[k] = r;
    else {
      sfOut[r] = 1;
      sfOut[sfRowOfId[k]!] = 1;
    }
  }
  return { sf, orders, sfIds, sfGroup, sfRowOfId, sfOut };
}

/** The order key's id of row r (buffer `bufIndex` of `orders`), or -1 when it has none. */
function groupOf(orders: KeySpace, t: FlatTable, bufIndex: number, r: number, start: number): number {
  const s = start + t.refStart[r]!;
  const e = start + t.refEnd[r]!;
  if ((t.flags[r]! & ROW_REF_PLAIN) !== 0) return orders.add(bufIndex, t.bytes[s] === 35 ? s + 1 : s, e);
  const key = orderKeyOf(t.bytes.toString('latin1', s, e));
  return key === '' ? -1 : orders.addText(key);
}

/**
 * The candidate pairs of `sf` and `ns`; `pass`: the storefront pass when it was run before (its
 * `sf` must be this one; it is used up: its key tables take the NetSuite keys).
 */
export function candidatePairs(
  sf: FlatTable,
  ns: FlatTable,
  pass: StorefrontPass = storefrontPass(sf, Math.max(sf.n, ns.n)),
  shared = false,
): CandidatePairs | null {
  if (pass.sf !== sf) throw new Error('candidatePairs: the storefront pass is of another table.');
  const { orders, sfIds, sfGroup, sfRowOfId, sfOut } = pass;
  orders.setBuffer(1, ns.bytes);
  sfIds.setBuffer(1, ns.bytes);
  // NetSuite: order keys; refund keys (External ID): the storefront refund each record names, and
  // how often each is named; and whether the internal ids are digits in increasing order (most
  // exports), which cannot repeat.
  const nsGroup = new Int32Array(ns.n);
  const hit = new Int32Array(ns.n).fill(-1);
  const named = new Uint8Array(sf.n);
  let previousId = -1;
  for (let r = 0; r < ns.n; r++) {
    const start = ns.rowStart[r]!;
    nsGroup[r] = groupOf(orders, ns, 1, r, start);
    if (previousId >= 0) {
      const id = digitKeyOf(ns.bytes, start + ns.idStart[r]!, start + ns.idEnd[r]!);
      previousId = id > previousId ? id : -1;
    } else if (r === 0) previousId = digitKeyOf(ns.bytes, start + ns.idStart[r]!, start + ns.idEnd[r]!);
    const s = start + ns.extStart[r]!;
    const e = start + ns.extEnd[r]!;
    if (e === s) continue;
    let k = -1;
    if ((ns.flags[r]! & ROW_EXT_DIGITS) !== 0) k = sfIds.get(1, s, e);
    else {
      for (const candidate of refundKeyCandidates(ns.bytes.toString('latin1', s, e), 'externalId')) {
        k = sfIds.getText(candidate);
        if (k >= 0) break;
      }
    }
    if (k < 0) continue;
    const target = sfRowOfId[k]!;
    hit[r] = target;
    if (named[target]! < 2) named[target]!++;
  }
  // Internal ids not in increasing digit order: repeated ones are no candidates.
  const nsOut = new Uint8Array(ns.n);
  if (ns.n > 0 && previousId < 0) {
    const nsIds = new KeySpace([ns.bytes], ns.n);
    const nsRowOfId = new Int32Array(ns.n);
    for (let r = 0; r < ns.n; r++) {
      const start = ns.rowStart[r]!;
      const k = nsIds.add(0, start + ns.idStart[r]!, start + ns.idEnd[r]!);
      if (nsIds.added) nsRowOfId[k] = r;
      else {
        nsOut[r] = 1;
        nsOut[nsRowOfId[k]!] = 1;
      }
    }
  }

  // Per order: its records, the key pairs inside it, and whether anything ties it to others.
  const groups = orders.size;
  const sfCount = new Int32Array(groups);
  const nsCount = new Int32Array(groups);
  const keyPairs = new Int32Array(groups);
  const groupSf = new Int32Array(groups);
  const blocked = new Uint8Array(groups);
  // Credit Memos and Customer Refunds are grouped into units across records (engine buildUnits).
  const grouped = ns.recordTypes.map((t) => t === 'creditMemo' || t === 'customerRefund');
  for (let r = 0; r < sf.n; r++) {
    const g = sfGroup[r]!;
    if (g < 0) continue;
    sfCount[g]!++;
    groupSf[g] = r;
    if (sfOut[r] || (sf.flags[r]! & ROW_ODD) !== 0) blocked[g] = 1;
  }
  for (let r = 0; r < ns.n; r++) {
    const g = nsGroup[r]!;
    if (g < 0) continue;
    nsCount[g]!++;
    if (nsOut[r] || grouped[ns.attr[r]! & 63] || (ns.flags[r]! & ROW_ODD) !== 0) blocked[g] = 1;
    const h = hit[r]!;
    if (h >= 0 && sfGroup[h] === g && named[h] === 1) keyPairs[g]!++;
  }

  // Currencies of the NetSuite table by the storefront table's code.
  const sameCurrency = sf.currencies.map((c) => ns.currencies.indexOf(c));
  // In shared memory when the helper thread decides: it keeps them to sort (helper-worker.ts).
  const most = Math.min(sf.n, ns.n);
  const sfRow = new Uint32Array(buffer(most * 4, shared));
  const nsRow = new Uint32Array(buffer(most * 4, shared));
  const combo = new Uint16Array(buffer(most * 2, shared));
  const combos: ComboKey[] = [];
  const comboIndex = new Map<number, number>();
  const need = ROW_CELLS_PLAIN | ROW_QUIET;
  let lastCode = -1;
  let lastCombo = 0;
  let count = 0;
  for (let n = 0; n < ns.n; n++) {
    const g = nsGroup[n]!;
    if (g < 0 || blocked[g]) continue;
    let s: number;
    let byKey: boolean;
    if (keyPairs[g] === nsCount[g] && sfCount[g] === nsCount[g]) {
      // Every record of the order is in a key pair inside it (each refund named once): the pairs
      // are independent results (engine processOrder: key pairs first, nothing left over).
      s = hit[n]!;
      byKey = true;
    } else if (sfCount[g] === 1 && nsCount[g] === 1 && hit[n] === -1 && named[groupSf[g]!] === 0) {
      // One refund and one record, neither named by a key: rule 2 pairs them on an equal total.
      s = groupSf[g]!;
      byKey = false;
    } else continue;
    const fs = sf.flags[s]!;
    const fn = ns.flags[n]!;
    if ((fs & (need | ROW_DOC_IS_ID)) !== (need | ROW_DOC_IS_ID) || (fn & need) !== need) continue;
    if (sameCurrency[sf.currency[s]!] !== ns.currency[n] || sf.total[s] !== ns.total[n]) continue;
    const zero = sf.total[s] === 0;
    const code = ((sf.attr[s]! * 2 ** 20 + ns.attr[n]!) * 256 + sf.currency[s]!) * 4 + (byKey ? 2 : 0) + (zero ? 1 : 0);
    let c = code === lastCode ? lastCombo : comboIndex.get(code);
    if (c === undefined) {
      if (combos.length >= MAX_COMBOS) return null;
      c = combos.length;
      combos.push({ sfAttr: sf.attr[s]!, nsAttr: ns.attr[n]!, currency: sf.currencies[sf.currency[s]!]!, byKey, zero });
      comboIndex.set(code, c);
    }
    lastCode = code;
    lastCombo = c;
    sfRow[count] = s;
    nsRow[count] = n;
    combo[count] = c;
    count++;
  }
  return { count, sfRow, nsRow, combo, combos };
}
