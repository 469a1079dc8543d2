import { orderKeyOf } from '../../store/snapshot-writer';
import type { MatchColumns } from '../match-columns';
import type { PlainPairBatch } from '../plain-pairs';

/**
 * Plain pairs (plain-pairs.ts) as the run writer takes them: the column indexes of each pair and
 * the result id it was given, kept until the writer's next flush. Most become a compact row of
 * `matched_results` written straight from the columns, without the `ReconcileResult` (and its two
 * records and unit) that `Engine.plainResult` would build for it.
 */
export class PendingPlainPairs {
  n = 0;
  id = new Float64Array(1024);
  sf = new Int32Array(1024);
  ns = new Int32Array(1024);
  unit = new Int32Array(1024);
  byKey = new Uint8Array(1024);
  /** The batch's columns and its result builder (one engine run: the same for every batch). */
  source: PlainPairBatch | null = null;

  /** Takes pairs [batch.start, batch.end), the first one numbered `firstId`. */
  take(batch: PlainPairBatch, firstId: number): void {
    this.source = batch;
    const need = this.n + batch.end - batch.start;
    if (need > this.id.length) this.grow(need);
    let at = this.n;
    let id = firstId;
    for (let k = batch.start; k < batch.end; k++, at++) {
      this.id[at] = id++;
      this.sf[at] = batch.sf[k]!;
      this.ns[at] = batch.ns[k]!;
      this.unit[at] = batch.unit[k]!;
      this.byKey[at] = batch.byKey[k]!;
    }
    this.n = at;
  }

  private grow(need: number): void {
    let size = this.id.length;
    while (size < need) size *= 2;
    const id = new Float64Array(size);
    const sf = new Int32Array(size);
    const ns = new Int32Array(size);
    const unit = new Int32Array(size);
    const byKey = new Uint8Array(size);
    id.set(this.id);
    sf.set(this.sf);
    ns.set(this.ns);
    unit.set(this.unit);
    byKey.set(this.byKey);
    Object.assign(this, { id, sf, ns, unit, byKey });
  }
}

/**
 * compactable.ts `isCompactable` of the result `Engine.plainResult` builds for storefront record
 * `s` of a plain pair, from the columns. The rest of its conditions hold for every plain pair (code
 * `matched`, severity `ok`, one issue, equal totals, one record a side, a stored rule, no tender
 * check, no dispute, the key `sf:<id>`: plain pairs have no ambiguous id). Left to check: the
 * storefront record is not compared on its total only (a line-item refund without item lines:
 * hints.ts `comparedOnTotalOnly`; its records are not hydrated, so `linesExported` is unset), and
 * the result's order key is the one the readers derive from the storefront record's reference
 * (`orderKeyOf`; a workspace may hold keys of an older rule). A plain pair's key is never '', so
 * its reference is not '' either: the result's reference is the storefront record's.
 */
export function plainPairCompactable(sf: MatchColumns, s: number): boolean {
  const plain = sf.plain!;
  if ((plain.flags[s]! & 12) === 4) return false;
  return orderKeyOf(plain.orderRef.get(s)) === sf.orderKey[s];
}
