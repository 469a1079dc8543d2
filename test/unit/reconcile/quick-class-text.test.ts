import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QUICK_MIXED, quickClassOfText } from '../../../src/main/reconcile/tender-check';

/**
 * quickClassOfText reads one record's tenders out of a snapshot's joined tenders column. It once
 * searched the joined text from the record's start for `"state":"open"`, which ran to the column's
 * end whenever no later record had an open part: a 30k-refund compare took 2 minutes instead of 4 s.
 */

const tender = fc.record({
  kind: fc.constantFrom('card', 'cash', 'store_credit', 'gift_card', 'exchange', 'other'),
  state: fc.constantFrom('settled', 'paid_out', 'open', 'applied'),
});
const record = fc.oneof(
  fc.constant(''),
  fc.array(tender, { maxLength: 3 }).map((ts) => JSON.stringify(ts.map((t) => ({ ...t, amount: 100 })))),
);

describe('quickClassOfText', () => {
  it('answers from the record alone, whatever the column holds around it', () => {
    fc.assert(
      fc.property(
        fc.array(record, { maxLength: 4 }),
        record,
        fc.array(record, { maxLength: 4 }),
        (before, own, after) => {
          const head = before.join('');
          const text = head + own + after.join('');
          expect(quickClassOfText(text, head.length, head.length + own.length)).toBe(
            quickClassOfText(own, 0, own.length),
          );
        },
      ),
    );
  });

  it('sees open and applied parts and mixed classes', () => {
    const one = (ts: object[]) => {
      const t = JSON.stringify(ts);
      return quickClassOfText(t, 0, t.length);
    };
    expect(one([{ kind: 'card', state: 'settled' }])).toBe(0);
    expect(one([{ kind: 'gift_card', state: 'settled' }])).toBe(1);
    expect(one([{ kind: 'card', state: 'open' }])).toBe(QUICK_MIXED);
    expect(one([{ kind: 'card', state: 'applied' }])).toBe(QUICK_MIXED);
    expect(
      one([
        { kind: 'card', state: 'settled' },
        { kind: 'store_credit', state: 'settled' },
      ]),
    ).toBe(QUICK_MIXED);
    expect(quickClassOfText('', 0, 0)).toBe(3);
  });

  it('reads a column of 40,000 settled records in linear time', () => {
    const one = JSON.stringify([{ kind: 'card', gateway: 'shopify_payments', amount: 2598, state: 'settled' }]);
    const text = one.repeat(40_000);
    const cpu = process.cpuUsage();
    let sum = 0;
    for (let i = 0; i < 40_000; i++) sum += quickClassOfText(text, i * one.length, (i + 1) * one.length);
    const used = process.cpuUsage(cpu);
    expect(sum).toBe(0);
    // Linear: a few milliseconds. The quadratic walk took ~40 s here (40k × 3.5 MB of text).
    expect((used.user + used.system) / 1000).toBeLessThan(2_000);
  });
});
