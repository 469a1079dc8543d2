import type { TextColumn } from '../store/match-cache';
import { emptyClassSums, splitAgrees } from '../tenders/classes';
import type { ReconcileResult } from './engine';
import type { MatchColumns } from './match-columns';

/**
 * Plain pairs: one storefront refund and one NetSuite record (no Customer Refund) of the same
 * order, same currency, same total, equal line summaries and one agreeing tender class — a
 * `matched` result that the engine decides from the columns alone, without the per-order objects
 * (`SfItem`, `ColumnRecord`, `NetsuiteUnit`) or the result (62.6 % of the results of the bench's
 * 200k rich set: a Credit Memo paid out by a Customer Refund is left to the general path). A sink that
 * takes them as a batch (`ResultSink.addPlain`) reads the indexes; any other sink gets each pair as
 * the `ReconcileResult` the general path builds (`PlainPairBatch.result`), byte for byte.
 */

/** What a side's columns offer the plain block (columns read from a snapshot or a memory snapshot). */
export interface PlainColumns {
  /** The line summaries (line-summary.ts), one per record. */
  readonly summary: TextColumn;
  /** tender-check.ts `quickClass` of record i as its `ColumnRecord` answers it before any use. */
  quickClass(i: number): number;
  /** The refunds row of record i (the run writer's compact rows name it). */
  readonly rowId: Float64Array;
  /** The order references as read (the writer checks that a compact row derives the result's). */
  readonly orderRef: TextColumn;
  /** Per record (SnapshotColumns.flags): 1 ok, 2 money moved, 4 line-item refund, 8 has item lines. */
  readonly flags: Uint8Array;
}

/**
 * Plain pairs k in [start, end), in result order; valid until the sink's `addPlain` returns (the
 * arrays are reused).
 */
export interface PlainPairBatch {
  start: number;
  end: number;
  /** Storefront column index of pair k. */
  readonly sf: Int32Array;
  /** NetSuite column index of pair k (the unit's only record). */
  readonly ns: Int32Array;
  /** The engine's unit index of pair k (`NetsuiteUnit.idx`). */
  readonly unit: Int32Array;
  /** 1: paired by refund key (`refund_key`); 0: by order and total (`order_total`). */
  readonly byKey: Uint8Array;
  readonly sfColumns: MatchColumns;
  readonly nsColumns: MatchColumns;
  /** Pair k as the general path's `ReconcileResult` (new objects each call). */
  result(k: number): ReconcileResult;
  /** The same from the indexes of a pair (storefront, NetSuite, unit, by key). */
  readonly build: (s: number, p: number, u: number, byKey: number) => ReconcileResult;
}

/** Pairs buffered before a batch goes to the sink. */
export const PLAIN_BATCH = 4096;

export function newPlainBatch(
  sfColumns: MatchColumns,
  nsColumns: MatchColumns,
  build: PlainPairBatch['build'],
  capacity = PLAIN_BATCH,
): PlainPairBatch {
  const sf = new Int32Array(capacity);
  const ns = new Int32Array(capacity);
  const unit = new Int32Array(capacity);
  const byKey = new Uint8Array(capacity);
  return {
    start: 0,
    end: 0,
    sf,
    ns,
    unit,
    byKey,
    sfColumns,
    nsColumns,
    build,
    result: (k) => build(sf[k]!, ns[k]!, unit[k]!, byKey[k]!),
  };
}

/** Appends pairs [from.start, from.end) of `from` to `to` (its arrays hold them; no check of room). */
export function appendPlainPairs(to: PlainPairBatch, from: PlainPairBatch): void {
  // (A loop, not `set` of subarrays: runs are a few pairs, and each subarray is an allocation.)
  let at = to.end;
  for (let k = from.start; k < from.end; k++, at++) {
    to.sf[at] = from.sf[k]!;
    to.ns[at] = from.ns[k]!;
    to.unit[at] = from.unit[k]!;
    to.byKey[at] = from.byKey[k]!;
  }
  to.end = at;
}

/**
 * lines.ts `sameLinesInSummary` on two summaries held in text columns, without cutting them:
 * equal texts, or equal from the first comma on (the first value only says where shipping came from).
 */
export function sameSummaries(a: TextColumn, i: number, b: TextColumn, j: number): boolean {
  const at = a.text;
  const bt = b.text;
  const a0 = a.offsets[i]!;
  const a1 = a.offsets[i + 1]!;
  const b0 = b.offsets[j]!;
  const b1 = b.offsets[j + 1]!;
  if (a1 - a0 === b1 - b0) {
    let k = 0;
    const len = a1 - a0;
    while (k < len && at.charCodeAt(a0 + k) === bt.charCodeAt(b0 + k)) k++;
    if (k === len) return true;
  }
  const ia = at.indexOf(',', a0);
  const ib = bt.indexOf(',', b0);
  if (ia < 0 || ia >= a1 || ib < 0 || ib >= b1 || a1 - ia !== b1 - ib) return false;
  for (let k = a1 - ia - 1; k >= 0; k--) if (at.charCodeAt(ia + k) !== bt.charCodeAt(ib + k)) return false;
  return true;
}

/** engine.ts `recordTypeMismatch` from the columns. */
export function recordTypeMismatchAt(c: MatchColumns, i: number): boolean {
  const from = c.createdFromType[i];
  if (!from) return false;
  const type = c.recordType[i];
  if (type === 'cashRefund') return from !== 'cashSale' && from !== 'returnAuthorization';
  if (type === 'creditMemo') return from !== 'invoice' && from !== 'returnAuthorization';
  return false;
}

/** What the engine knows of the records once rule 1 (refund key) and the unit table are done. */
export interface PlainContext {
  sf: MatchColumns;
  ns: MatchColumns;
  sfPlain: PlainColumns;
  nsPlain: PlainColumns;
  /** The unit has Customer Refunds besides its primary record. */
  hasExtra: Uint8Array;
  pairFirst: Int32Array;
  pairMore: ReadonlyMap<number, number[]>;
  keyDupBySf: ReadonlyMap<number, number[]>;
  keyDupUnit: Uint8Array;
  unitPaired: Uint8Array;
  sfOriginalOfRepeat: Uint8Array;
  ambiguousSfIds: ReadonlySet<string>;
  dupNsIds: ReadonlySet<string>;
  disputes: ReadonlyMap<string, unknown> | null;
  tol: (currency: string) => number;
}

const QUICK_KEYS = ['money', 'stored_value', 'exchange', 'other'] as const;
const sumsA = emptyClassSums();
const sumsB = emptyClassSums();

/**
 * engine.ts `compareTenders` returns before its full check for one refund (quick class `qs`) and a
 * unit of one record (`qn`), in one currency: `quickAgrees`, or every tender the default `other`.
 */
export function quickTendersSettle(qs: number, qn: number, sfTotal: number, nsTotal: number, tol: number): boolean {
  if (qs >= 0 && qn >= 0) {
    sumsA.money = sumsA.stored_value = sumsA.exchange = sumsA.other = 0;
    sumsB.money = sumsB.stored_value = sumsB.exchange = sumsB.other = 0;
    if (qs < 4) sumsA[QUICK_KEYS[qs]!] += sfTotal;
    if (qn < 4) sumsB[QUICK_KEYS[qn]!] += nsTotal;
    if (sumsA.exchange <= 0 && sumsB.exchange <= 0 && splitAgrees(sumsA, sumsB, tol)) return true;
  }
  return (qs === 3 || qs === 4) && qn === 3;
}

/**
 * Whether the order of storefront refund `s` and unit `u` (primary record `p`), the only records of
 * their order `key`, is a plain pair: 1 by refund key, 0 by order and total, -1 not plain (the
 * general path decides it). Plain means the general path ends in one `matched` result for exactly
 * these two records that nothing else refers to: no repeated id, no key duplicate, no dispute,
 * same currency (no presentment money) and total, no record-type mismatch, equal line summaries
 * (no item mapping), and tenders the quick check settles (`quickTendersSettle`).
 */
export function plainPairOf(
  x: PlainContext,
  key: string,
  s: number,
  u: number,
  p: number,
  hasMapping: boolean,
): number {
  if (hasMapping || key === '' || x.hasExtra[u]) return -1;
  const first = x.pairFirst[s]!;
  let byKey = 0;
  if (first >= 0) {
    if (first !== u || (x.pairMore.size > 0 && x.pairMore.has(s))) return -1;
    if (x.keyDupBySf.size > 0 && x.keyDupBySf.has(s)) return -1;
    byKey = 1;
  } else if (x.unitPaired[u] || x.keyDupUnit[u]) return -1;
  const { sf, ns } = x;
  if (sf.total[s] !== ns.total[p] || sf.currency[s] !== ns.currency[p]) return -1;
  if (x.sfOriginalOfRepeat[s]) return -1;
  if (x.ambiguousSfIds.size > 0 && x.ambiguousSfIds.has(sf.id[s]!)) return -1;
  if (x.dupNsIds.size > 0 && x.dupNsIds.has(ns.id[p]!)) return -1;
  if (x.disputes?.has(key)) return -1;
  if (recordTypeMismatchAt(ns, p)) return -1;
  const currency = ns.currency[p]!;
  const qs = x.sfPlain.quickClass(s);
  const qn = x.nsPlain.quickClass(p);
  if (!quickTendersSettle(qs, qn, sf.total[s]!, ns.total[p]!, x.tol(currency))) return -1;
  if (!sameSummaries(x.sfPlain.summary, s, x.nsPlain.summary, p)) return -1;
  return byKey;
}
