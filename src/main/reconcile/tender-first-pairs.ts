import type { CanonicalRefund } from '../../shared/model';
import { firstFreeSlot } from './skip-pointers';
import { storefrontTenderSignature, type TenderUnit, unitTenderSignature } from './tender-check';

/**
 * §2 rule 1's tie-break for large orders (more candidate pairs than the engine tries one by one):
 * the pairs whose tenders agree are made first, without trying every pair.
 *
 * Whether a pair agrees depends only on what each side's tender signature holds
 * (tender-check.ts), so the NetSuite units of one (currency, total) bucket are grouped by
 * signature and each (storefront signature, unit signature) is checked once, on one pair of the
 * two groups. The pairing itself is the nearest-date search the engine's large-order path uses
 * (per tolerance step, storefront refunds in order, the nearest unused unit at or after the
 * refund's date, else before it), restricted to units that agree; skip pointers per group keep
 * it near-linear. What is left is paired by the engine as before (agreement no longer decides).
 * The cost is one agreement check per signature pair met, which stays small: an order's refunds
 * come in few tender splits.
 */

export interface PairableRefund {
  r: CanonicalRefund;
  day: number;
  used: boolean;
}

export interface PairableUnit extends TenderUnit {
  total: number;
  currency: string;
  used: boolean;
}

function totalIn(r: CanonicalRefund, currency: string): number | null {
  if (r.currency === currency) return r.total;
  if (r.presentment && r.presentment.currency === currency) return r.presentment.total;
  return null;
}

/** The units of one signature inside a bucket: their positions in the bucket's list, ascending. */
interface Group {
  signature: string;
  representative: PairableUnit;
  at: number[];
  /** Skip pointers over `at`: next[i] → first unused ≥ i; prev[i] → slot of the last unused < i (shifted by one). */
  next: Int32Array;
  prev: Int32Array;
}

interface Bucket {
  list: PairableUnit[];
  groups: Group[];
}

function lowerBound(values: readonly number[], x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Pairs storefront refunds with units of equal total (within tolerance, capped at 100 minor units
 * as the engine's large-order search is) whose tenders agree (`agrees`, the engine's check).
 * Returns the pairs in the order made; marks nothing used (the caller's emit does).
 */
export function tenderFirstPairs<S extends PairableRefund, U extends PairableUnit>(
  sfs: readonly S[],
  units: readonly U[],
  tol: (currency: string) => number,
  agrees: (s: S, u: U) => boolean,
): Array<[S, U]> {
  const grouped = new Map<string, PairableUnit[]>();
  for (const u of units) {
    if (u.used) continue;
    const k = `${u.currency}|${u.total}`;
    const list = grouped.get(k);
    if (list) list.push(u);
    else grouped.set(k, [u]);
  }
  const buckets = new Map<string, Bucket>();
  for (const [k, list] of grouped) {
    const bySignature = new Map<string, Group>();
    list.forEach((u, i) => {
      const signature = unitTenderSignature(u);
      let g = bySignature.get(signature);
      if (!g) {
        g = { signature, representative: u, at: [], next: new Int32Array(0), prev: new Int32Array(0) };
        bySignature.set(signature, g);
      }
      g.at.push(i);
    });
    const groups = [...bySignature.values()];
    for (const g of groups) {
      const n = g.at.length;
      g.next = new Int32Array(n + 1);
      g.prev = new Int32Array(n + 1);
      for (let i = 0; i <= n; i++) {
        g.next[i] = i;
        g.prev[i] = i;
      }
    }
    buckets.set(k, { list, groups });
  }
  const signatures = new Map<S, Map<string, string>>();
  const signatureOf = (s: S, currency: string): string => {
    let byCurrency = signatures.get(s);
    if (!byCurrency) {
      byCurrency = new Map();
      signatures.set(s, byCurrency);
    }
    let sig = byCurrency.get(currency);
    if (sig === undefined) {
      sig = storefrontTenderSignature(s.r, currency);
      byCurrency.set(currency, sig);
    }
    return sig;
  };
  const verdicts = new Map<string, boolean>();
  const agreesWith = (s: S, sig: string, g: Group): boolean => {
    const key = `${sig}\u0000${g.signature}`;
    let v = verdicts.get(key);
    if (v === undefined) {
      v = agrees(s, g.representative as U);
      verdicts.set(key, v);
    }
    return v;
  };

  const out: Array<[S, U]> = [];
  const used = new Set<PairableRefund | PairableUnit>();
  for (let delta = 0; ; delta++) {
    let anyTolerance = false;
    for (const s of sfs) {
      if (s.used || used.has(s)) continue;
      const t = Math.min(tol(s.r.currency), 100);
      if (delta > t) continue;
      anyTolerance = true;
      const currencies = [s.r.currency];
      if (s.r.presentment && s.r.presentment.currency !== s.r.currency) currencies.push(s.r.presentment.currency);
      let best: { g: Group; slot: number; u: PairableUnit; dist: number } | null = null;
      for (const c of currencies) {
        const total = totalIn(s.r, c)!;
        const sig = signatureOf(s, c);
        for (const sign of delta === 0 ? [0] : [-1, 1]) {
          const bucket = buckets.get(`${c}|${total + sign * delta}`);
          if (!bucket) continue;
          const { list } = bucket;
          let lo = 0;
          let hi = list.length;
          while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (list[mid]!.day < s.day) lo = mid + 1;
            else hi = mid;
          }
          // Over the agreeing groups: the first unused position at or after lo, the last before it.
          let right: { g: Group; slot: number; pos: number } | null = null;
          let left: { g: Group; slot: number; pos: number } | null = null;
          for (const g of bucket.groups) {
            if (!agreesWith(s, sig, g)) continue;
            const p = lowerBound(g.at, lo);
            const r = firstFreeSlot(g.next, p);
            if (r < g.at.length && (!right || g.at[r]! < right.pos)) right = { g, slot: r, pos: g.at[r]! };
            const l = firstFreeSlot(g.prev, p);
            if (l > 0 && (!left || g.at[l - 1]! > left.pos)) left = { g, slot: l - 1, pos: g.at[l - 1]! };
          }
          if (right) {
            const dist = list[right.pos]!.day - s.day;
            if (!best || dist < best.dist) best = { g: right.g, slot: right.slot, u: list[right.pos]!, dist };
          }
          if (left) {
            const dist = s.day - list[left.pos]!.day;
            if (!best || dist <= best.dist) best = { g: left.g, slot: left.slot, u: list[left.pos]!, dist };
          }
        }
      }
      if (best) {
        best.g.next[best.slot] = best.slot + 1;
        best.g.prev[best.slot + 1] = best.slot;
        used.add(s);
        used.add(best.u);
        out.push([s, best.u as U]);
      }
    }
    if (!anyTolerance) break;
  }
  return out;
}
