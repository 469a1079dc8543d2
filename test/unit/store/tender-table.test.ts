import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quickClassOfText } from '../../../src/main/reconcile/tender-check';
import { TextColumn } from '../../../src/main/store/match-cache';
import { parseTenders, tendersJson, tendersText } from '../../../src/main/store/tender-columns';
import { TenderTable } from '../../../src/main/store/tender-table';
import { defaultTenders, type RecordType, type Tender } from '../../../src/shared/model';

/**
 * The tender table (typed tender columns, issue 15) must read every record exactly as
 * `parseTenders` reads its text (same values, same key order: results serialise them), and give
 * the quick class `quickClassOfText` gives, whatever the text: the app's own JSON, JSON in another
 * shape, or text that is not JSON at all.
 */

const kind = fc.constantFrom('card', 'cash', 'store_credit', 'gift_card', 'exchange', 'other');
const state = fc.constantFrom('settled', 'paid_out', 'open', 'applied');
// Gateways and refs with quotes, backslashes, control characters and non-ASCII now and then.
const text = fc.oneof(
  fc.constantFrom('', 'shopify_payments', 'applied', 'open-credit', 'gift_card', '6100000000'),
  fc.string({ maxLength: 8 }),
  fc.string({ unit: 'grapheme', maxLength: 4 }),
);
const minor = fc.oneof(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: -5, max: 5 }), fc.maxSafeInteger());
const tender = fc.record({
  kind,
  gateway: text,
  amount: minor,
  presentmentAmount: fc.option(minor, { nil: null }),
  state,
  ref: text,
});

/** The app's own text (`tendersText`: JSON.stringify of schema-ordered tenders). */
const regular = fc.array(tender, { maxLength: 4 }).map((ts) => JSON.stringify(ts));
/** Other shapes: keys dropped or reordered, extra keys, whitespace, wrong types, not JSON. */
const irregular = fc.oneof(
  fc
    .array(tender, { minLength: 1, maxLength: 3 })
    .map((ts) => JSON.stringify(ts.map((t) => Object.fromEntries(Object.entries(t).reverse())))),
  fc.array(tender, { minLength: 1, maxLength: 3 }).map((ts) => JSON.stringify(ts, null, 1)),
  fc.array(tender, { minLength: 1, maxLength: 3 }).map((ts) => JSON.stringify(ts.map(({ ref: _, ...t }) => t))),
  fc.array(tender, { minLength: 1, maxLength: 3 }).map((ts) => JSON.stringify(ts.map((t) => ({ ...t, extra: 1 })))),
  fc.array(tender, { minLength: 1, maxLength: 3 }).map((ts) => JSON.stringify(ts.map((t) => ({ ...t, amount: 1.5 })))),
  fc.array(tender, { minLength: 1, maxLength: 3 }).map((ts) => JSON.stringify(ts.map((t) => ({ ...t, kind: 'wire' })))),
  fc.constantFrom('{}', '[1]', 'null', 'not json', '[{"kind":"card"', '[]x', '[{}]', '"[]"'),
  // Numbers JSON.parse reads its own way (or refuses).
  fc
    .constantFrom('01', '-0', '1e3', '1.50', '-', '12345678901234567890', '+1', '0x10')
    .map((n) => `[{"kind":"card","gateway":"","amount":${n},"presentmentAmount":${n},"state":"settled","ref":""}]`),
  fc.string({ maxLength: 12 }),
);
const record = fc.record({
  text: fc.oneof(fc.constant(''), regular, regular, irregular),
  recordType: fc.constantFrom<RecordType>(
    'cashRefund',
    'creditMemo',
    'customerRefund',
    'returnAuthorization',
    'refund',
  ),
  total: fc.integer({ min: -100, max: 100_000 }),
});

describe('TenderTable', () => {
  it('reads each record as parseTenders does, and its quick class as quickClassOfText does', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 12 }), (records) => {
        const table = TenderTable.fromText(TextColumn.from(records.map((r) => r.text)));
        records.forEach((r, i) => {
          const expected = parseTenders(r.text, r);
          const got = table.tenders(i) ?? defaultTenders(r);
          expect(got).toStrictEqual(expected);
          expect(JSON.stringify(got)).toBe(JSON.stringify(expected));
          expect(table.quick[i]).toBe(quickClassOfText(r.text, 0, r.text.length));
        });
      }),
      { numRuns: 400 },
    );
  });

  it('compact: gives back every record’s text and tenders, with only refs, gateways once and other text stored', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 12 }), (records) => {
        const texts = records.map((r) => r.text);
        const column = TextColumn.from(texts);
        const table = TenderTable.fromText(column);
        const compact = table.compact();
        expect(compact.source.toArray()).toEqual(texts);
        expect(compact.source.text).toBe(column.text);
        expect(Array.from(compact.source.offsets)).toEqual(Array.from(column.offsets));
        expect(compact.for(compact.source)).toBe(compact);
        expect(compact.quick).toBe(table.quick);
        records.forEach((r, i) => {
          expect(compact.source.get(i)).toBe(r.text);
          expect(compact.tenders(i)).toStrictEqual(table.tenders(i));
        });
        // Compacting the compact table again (a decoded index stored anew) gives the same strings.
        const again = new TenderTable(compact.column, compact.arrays, true).compact();
        expect(again.column.text).toBe(compact.column.text);
        expect(again.arrays).toEqual(compact.arrays);
        expect(compact.column.text.length).toBeLessThanOrEqual(column.text.length);
      }),
      { numRuns: 400 },
    );
  });

  it('compact: the app’s own text keeps its refs only; other text as it is', () => {
    const t = (gateway: string, ref: string) => ({
      kind: 'card',
      gateway,
      amount: 100,
      presentmentAmount: null,
      state: 'settled',
      ref,
    });
    const texts = [
      JSON.stringify([t('shopify_payments', 'R1')]),
      '',
      JSON.stringify([t('shopify_payments', 'R2'), t('paypal', 'R3')]),
      '[{"kind":"card","gateway":"x","amount":1E2,"presentmentAmount":null,"state":"settled","ref":"R4"}]',
      '[{"kind":"card","gateway":"x","amount":-0,"presentmentAmount":null,"state":"settled","ref":"R5"}]',
      'not json',
    ];
    const column = TextColumn.from(texts);
    const compact = TenderTable.fromText(column).compact();
    expect(compact.column.toArray()).toEqual(['R1', '', 'R2R3', texts[3], texts[4], 'not json']);
    expect(compact.column.text.endsWith('shopify_paymentspaypal')).toBe(true);
    expect(compact.source.toArray()).toEqual(texts);
    expect(compact.tenders(3)![0]!.amount).toBe(100);
    expect(Object.is(compact.tenders(4)![0]!.amount, -0)).toBe(true);
  });

  it('keeps the parts of many records in typed columns (capacity grows)', () => {
    const one = JSON.stringify([
      { kind: 'card', gateway: 'shopify_payments', amount: 100, presentmentAmount: null, state: 'settled', ref: 'a' },
      { kind: 'store_credit', gateway: '', amount: 50, presentmentAmount: 7, state: 'settled', ref: 'b' },
    ]);
    const n = 5000;
    const table = TenderTable.fromText(TextColumn.from(new Array<string>(n).fill(one)));
    expect(table.tenders(n - 1)).toStrictEqual(JSON.parse(one));
    expect(table.quick[0]).toBe(-1);
  });
});

describe('tendersJson', () => {
  class Instance {
    kind = 'card';
    gateway = '';
    amount = 1;
    presentmentAmount = null;
    state = 'settled';
    ref = '';
  }
  /** Tender-like values of any shape: the written text must be JSON.stringify's. */
  const odd = fc.oneof(
    tender.map((t) => Object.fromEntries(Object.entries(t).reverse())),
    tender.map(({ ref: _, ...t }) => t),
    tender.map((t) => ({ ...t, extra: [1, 'x'] })),
    tender.map((t) => ({ ...t, ref: undefined })),
    fc
      .tuple(tender, fc.constantFrom(1.5, -0, 0, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60, 1e21, '7', null))
      .map(([t, n]) => ({ ...t, amount: n })),
    fc
      .tuple(tender, fc.constantFrom(1.5, -0, Number.NaN, 2 ** 60, '7', undefined))
      .map(([t, n]) => ({ ...t, presentmentAmount: n })),
    fc
      .tuple(tender, fc.string({ unit: 'binary', maxLength: 6 }))
      .map(([t, g]) => ({ ...t, gateway: g, ref: `${g}\ud800` })),
    fc.tuple(tender, fc.constantFrom(5, null, true, { a: 1 })).map(([t, v]) => ({ ...t, kind: v })),
    fc.constantFrom(null, undefined, 5, 'x', [], new Instance(), Object.assign(Object.create(null), { kind: 'card' })),
  );
  it('writes exactly what JSON.stringify writes, for tenders of any shape', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(tender, tender, odd), { maxLength: 4 }), fc.boolean(), (tenders, hole) => {
        const list = tenders as unknown as Tender[];
        if (hole && list.length > 1) delete list[1];
        expect(tendersJson(list)).toBe(JSON.stringify(list));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('tendersText', () => {
  /** The definition before it stopped building the default: compared field by field with defaultTenders. */
  const reference = (refund: { recordType: RecordType; total: number; tenders: Tender[] }): string | null => {
    const d = defaultTenders(refund);
    const t = refund.tenders;
    const same =
      t.length === d.length &&
      (t.length === 0 ||
        (t.length === 1 &&
          t[0]!.kind === 'other' &&
          t[0]!.gateway === '' &&
          t[0]!.amount === refund.total &&
          t[0]!.presentmentAmount === null &&
          t[0]!.state === 'settled' &&
          t[0]!.ref === ''));
    return same ? null : JSON.stringify(t);
  };
  const otherOf = (amount: number): Tender => ({
    kind: 'other',
    gateway: '',
    amount,
    presentmentAmount: null,
    state: 'settled',
    ref: '',
  });

  it('is null exactly for the default tenders, else their JSON', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<RecordType>('cashRefund', 'creditMemo', 'customerRefund', 'returnAuthorization', 'refund'),
        minor,
        fc.oneof(
          fc.array(tender as fc.Arbitrary<Tender>, { maxLength: 3 }),
          minor.map((m) => [otherOf(m)]),
          fc.constant<Tender[]>([]),
        ),
        fc.boolean(),
        (recordType, total, tenders, defaultShaped) => {
          const refund = { recordType, total, tenders: defaultShaped ? [otherOf(total)] : tenders };
          expect(tendersText(refund)).toBe(reference(refund));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
