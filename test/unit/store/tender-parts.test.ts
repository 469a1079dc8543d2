import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TextColumn } from '../../../src/main/store/match-cache';
import { tendersJson } from '../../../src/main/store/tender-columns';
import { TenderPartsBuilder } from '../../../src/main/store/tender-parts';
import { TENDER_ARRAY_FIELDS, TenderTable } from '../../../src/main/store/tender-table';
import type { Tender } from '../../../src/shared/model';

/**
 * The tender table built from Tender objects (tender-parts.ts, the one-shot's memory snapshots)
 * must be exactly the table the text path gives — `TenderTable.fromText` of the tenders column
 * (`tendersText` of each refund, '' for the default), compacted — in any order of the records,
 * whatever the tenders: the usual ones it takes as parts, and odd ones it reads from their text.
 */

const kind = fc.constantFrom('card', 'cash', 'store_credit', 'gift_card', 'exchange', 'other');
const state = fc.constantFrom('settled', 'paid_out', 'open', 'applied');
const text = fc.oneof(
  fc.constantFrom('', 'shopify_payments', 'gift_card', 'manual', '6100000000', 'a"b', 'a\\b', 'é', '\u0001'),
  fc.string({ maxLength: 8 }),
  fc.string({ unit: 'grapheme', maxLength: 4 }),
);
const minor = fc.oneof(
  fc.integer({ min: 1, max: 10_000_000 }),
  fc.integer({ min: -5, max: 5 }),
  fc.constantFrom(-0, 1.5, 999_999_999_999_999, 1_000_000_000_000_000, Number.MAX_SAFE_INTEGER, -1e15 + 1),
);
const plainTender = fc.record({
  kind,
  gateway: text,
  amount: minor,
  presentmentAmount: fc.option(minor, { nil: null }),
  state,
  ref: text,
});
class TenderLike {
  kind = 'card';
  gateway = 'x';
  amount = 1;
  presentmentAmount = null;
  state = 'settled';
  ref = 'r';
}
/** Tenders tendersJson leaves to JSON.stringify, or that the scanner does not take. */
const oddTender = fc.oneof(
  plainTender.map((t) => Object.fromEntries(Object.entries(t).reverse())),
  plainTender.map(({ ref: _, ...t }) => t),
  plainTender.map((t) => ({ ...t, extra: 1 })),
  plainTender.map((t) => ({ ...t, kind: 'wire' })),
  plainTender.map((t) => ({ ...t, state: 'pending' })),
  plainTender.map((t) => ({ ...t, amount: '12' })),
  fc.constant(new TenderLike()),
);
const tenders = fc.oneof(
  fc.array(plainTender, { minLength: 1, maxLength: 3 }),
  fc.array(plainTender, { minLength: 1, maxLength: 3 }),
  fc.array(fc.oneof(plainTender, oddTender), { maxLength: 3 }),
);
const records = fc.array(fc.option(tenders, { nil: null, freq: 3 }), { maxLength: 40 });

function viaText(list: Array<Tender[] | null>, perm: Uint32Array): TenderTable {
  const texts = Array.from(perm, (r) => (list[r] === null ? '' : tendersJson(list[r]!)));
  return TenderTable.fromText(TextColumn.from(texts)).compact();
}

function viaParts(list: Array<Tender[] | null>, perm: Uint32Array): TenderTable {
  const parts = new TenderPartsBuilder();
  for (const t of list) parts.push(t);
  return parts.finish(perm);
}

function expectSameTable(actual: TenderTable, expected: TenderTable): void {
  expect(actual.column.text).toBe(expected.column.text);
  expect(Array.from(actual.column.offsets)).toEqual(Array.from(expected.column.offsets));
  for (const name of TENDER_ARRAY_FIELDS) {
    expect(Array.from(actual.arrays[name] as ArrayLike<number>), name).toEqual(
      Array.from(expected.arrays[name] as ArrayLike<number>),
    );
  }
  expect(actual.source !== actual.column).toBe(true);
  for (let i = 0; i < expected.quick.length; i++) {
    expect(actual.source.get(i)).toBe(expected.source.get(i));
    expect(actual.tenders(i)).toEqual(expected.tenders(i));
  }
}

describe('TenderPartsBuilder', () => {
  it('builds exactly the compacted table of the tenders text, in any record order', () => {
    fc.assert(
      fc.property(
        records.chain((list) =>
          fc.tuple(fc.constant(list), fc.shuffledSubarray([...list.keys()], { minLength: list.length })),
        ),
        ([list, order]) => {
          const perm = Uint32Array.from(order);
          expectSameTable(
            viaParts(list as Array<Tender[] | null>, perm),
            viaText(list as Array<Tender[] | null>, perm),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('takes the usual tenders as parts, without their text', () => {
    const usual: Tender[] = [
      { kind: 'card', gateway: 'shopify_payments', amount: 2598, presentmentAmount: null, state: 'settled', ref: '61' },
    ];
    const parts = new TenderPartsBuilder();
    parts.push(usual);
    parts.push(null);
    parts.push([{ ...usual[0]!, amount: 1.5 }]);
    expect(parts.textRecords).toBe(1);
    const perm = Uint32Array.of(2, 0, 1);
    expectSameTable(parts.finish(perm), viaText([usual, null, [{ ...usual[0]!, amount: 1.5 }]], perm));
  });
});
