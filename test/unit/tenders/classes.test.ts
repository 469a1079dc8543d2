import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classSums, splitAgrees } from '../../../src/main/tenders/classes';
import type { TenderKind } from '../../../src/shared/model';

const t = (kind: TenderKind, amount: number) => ({ kind, amount });

describe('per-class tender agreement (tenders.md §2 rule 2)', () => {
  it('agrees class by class and refuses money against stored value', () => {
    const card = classSums([t('card', 5000)]);
    const credit = classSums([t('store_credit', 5000)]);
    expect(splitAgrees(card, classSums([t('cash', 5000)]), 1)).toBe(true); // card vs cash: one class
    expect(splitAgrees(credit, card, 1)).toBe(false); // test case 7: store credit vs a money method
    expect(splitAgrees(classSums([t('card', 2000), t('store_credit', 3000)]), card, 1)).toBe(false); // case 11
  });

  it('lets `other` on either side fill any class', () => {
    const other = classSums([t('other', 5000)]);
    expect(splitAgrees(classSums([t('gift_card', 5000)]), other, 1)).toBe(true);
    expect(splitAgrees(other, classSums([t('card', 2000), t('store_credit', 3000)]), 1)).toBe(true);
  });

  it('is symmetric, and a split always agrees with itself', () => {
    const kinds: TenderKind[] = ['card', 'cash', 'store_credit', 'gift_card', 'exchange', 'other'];
    const tenders = fc.array(fc.record({ kind: fc.constantFrom(...kinds), amount: fc.integer({ min: 1, max: 1e9 }) }));
    fc.assert(
      fc.property(tenders, tenders, fc.integer({ min: 0, max: 100 }), (a, b, tol) => {
        const sa = classSums(a);
        const sb = classSums(b);
        expect(splitAgrees(sa, sa, 0)).toBe(true);
        expect(splitAgrees(sa, sb, tol)).toBe(splitAgrees(sb, sa, tol));
      }),
    );
  });
});
