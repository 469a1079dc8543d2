import type { TenderClass } from '../../shared/contract/run';
import type { TenderKind } from '../../shared/model';

/**
 * Tender classes and the per-class agreement of tenders.md §2 rule 2. Pure arithmetic on minor
 * units, shared by the matching engine (result codes) and the dry run's `tender` check (§5), so
 * both decide "the split agrees" the same way.
 */

const CLASS_OF: Record<TenderKind, TenderClass> = {
  card: 'money',
  cash: 'money',
  store_credit: 'stored_value',
  gift_card: 'stored_value',
  exchange: 'exchange',
  other: 'other',
};

export function tenderClassOf(kind: TenderKind): TenderClass {
  return CLASS_OF[kind];
}

/** Minor units per class, `other` included (the unattributed part that may fill any class). */
export interface ClassSums {
  money: number;
  stored_value: number;
  exchange: number;
  other: number;
}

export function emptyClassSums(): ClassSums {
  return { money: 0, stored_value: 0, exchange: 0, other: 0 };
}

/** Sums tenders by class (adds into `into` when given: roll-ups compare the sums of their members). */
export function classSums(tenders: Iterable<{ kind: TenderKind; amount: number }>, into = emptyClassSums()): ClassSums {
  for (const t of tenders) into[CLASS_OF[t.kind]] += t.amount;
  return into;
}

/** The three classes that are compared; `other` is the filler. */
export const COMPARED_CLASSES = ['money', 'stored_value', 'exchange'] as const;

/**
 * §2 rule 2: with d_c = storefront_c − NetSuite_c for each compared class, the split agrees iff
 * Σ max(0, d_c) ≤ NetSuite_other + tolerance and Σ max(0, −d_c) ≤ storefront_other + tolerance.
 * Callers apply rule 3 (open credit counted as money pending payout) to the sums before calling.
 */
export function splitAgrees(storefront: ClassSums, netsuite: ClassSums, tolerance: number): boolean {
  let storefrontSurplus = 0;
  let netsuiteSurplus = 0;
  for (const c of COMPARED_CLASSES) {
    const d = storefront[c] - netsuite[c];
    if (d > 0) storefrontSurplus += d;
    else netsuiteSurplus -= d;
  }
  return storefrontSurplus <= netsuite.other + tolerance && netsuiteSurplus <= storefront.other + tolerance;
}
