import { describe, expect, it } from 'vitest';
import {
  MemorySnapshotBuilder,
  packMemorySnapshot,
  typedArrayBuffers,
  unpackMemorySnapshot,
} from '../../../src/main/store/memory-snapshot';
import { acceptRefund } from '../../../src/main/store/snapshot-writer';
import type { CanonicalRefundInput } from '../../../src/shared/model';

/** A memory snapshot read on a worker moves its typed arrays to the main thread instead of copying them. */
describe('memory snapshots across threads', () => {
  function snapshot(n: number) {
    const builder = new MemorySnapshotBuilder('netsuite', 'externalId', 2 ** 40);
    for (let i = 0; i < n; i++) {
      const refund: CanonicalRefundInput = {
        side: 'netsuite',
        id: String(1000 + i),
        documentNumber: `CR${i}`,
        recordType: i % 3 === 0 ? 'creditMemo' : 'cashRefund',
        orderRef: `#${100 + (i >> 1)}`,
        date: `2026-03-${String(1 + (i % 28)).padStart(2, '0')}`,
        currency: i % 5 === 0 ? 'JPY' : 'USD',
        total: 100 + i,
        kind: 'general',
        externalId: `sf-${i}`,
        memo: i % 7 === 0 ? 'héllo' : '',
      };
      builder.add(acceptRefund(refund, i + 1, 'netsuite'));
    }
    return builder.finish(n, []);
  }

  it('unpacks from a transferring clone to what it unpacks from a copying one', () => {
    const copied = unpackMemorySnapshot(structuredClone(packMemorySnapshot(snapshot(9_000))));
    const packed = packMemorySnapshot(snapshot(9_000));
    expect(packed.transfer!.length).toBeGreaterThan(0);
    const moved = unpackMemorySnapshot(structuredClone(packed, { transfer: packed.transfer! }));
    // The sender's buffers are gone: moved, not copied.
    expect(packed.transfer!.every((b) => b.byteLength === 0)).toBe(true);
    expect(moved.columns.id).toEqual(copied.columns.id);
    expect(moved.columns).toEqual(copied.columns);
    expect(moved.display).toEqual(copied.display);
  });

  it('arrives as it left; the compact tender table rebuilt on the strings it arrives with', () => {
    const withTenders = () => {
      const builder = new MemorySnapshotBuilder('storefront', 'none', 1);
      for (let i = 0; i < 3_000; i++) {
        const total = 500 + i;
        const refund: CanonicalRefundInput = {
          side: 'storefront',
          id: String(9000 + i),
          documentNumber: String(9000 + i),
          recordType: 'refund',
          orderRef: `#${100 + (i >> 1)}`,
          date: '2026-03-01',
          currency: 'USD',
          total,
          kind: 'general',
          tenders:
            i % 4 === 0
              ? [
                  { kind: 'card', gateway: 'shopify_payments', amount: total - 100, ref: `t${i}` },
                  { kind: 'gift_card', gateway: 'gift_card', amount: 100, ref: `g${i}` },
                ]
              : [{ kind: 'card', gateway: 'shopify_payments', amount: total, ref: `t${i}` }],
        };
        builder.add(acceptRefund(refund, i + 1, 'storefront'));
      }
      return builder.finish(3_000, []);
    };
    const original = withTenders();
    const packed = packMemorySnapshot(withTenders());
    const moved = unpackMemorySnapshot(structuredClone(packed, { transfer: packed.transfer! }));
    // The table is built from the Tender objects (tender-parts.ts), compact: its strings cross, and
    // the tenders column is the text it gives back.
    expect(moved.columns.tenderTable!.source).toBe(moved.columns.tenders);
    expect(moved.columns.tenderTable!.column.text).toBe(original.columns.tenderTable!.column.text);
    expect(moved.columns.tenderTable!.arrays).toEqual(original.columns.tenderTable!.arrays);
    // (Reading the whole column builds its text on both sides.)
    expect(moved.columns.tenders.text).toBe(original.columns.tenders.text);
    expect(moved.columns.tenders.offsets).toEqual(original.columns.tenders.offsets);
    expect(packed.texts.tenders.bytes.length).toBeLessThan(original.columns.tenders.text.length / 4);
    // Every column and display field arrives as it left (text columns cross as bytes: moved-text.ts).
    expect(moved.columns).toEqual(original.columns);
    expect(moved.display).toEqual(original.display);
    for (let i = 0; i < 3_000; i += 97)
      expect(moved.columns.tenderTable!.tenders(i)).toEqual(original.columns.tenderTable!.tenders(i));
  });

  it('finds each large buffer once, in nested objects, arrays and maps, and leaves small ones', () => {
    const big = new Float64Array(10_000);
    const view = new Uint8Array(big.buffer, 8, 16);
    const other = new Uint32Array(20_000);
    const small = new Uint16Array(10);
    const value = {
      a: big,
      b: [view, { c: other }],
      d: new Map([[1, small]]),
      e: ['x', 'y'],
      f: new Map([[2, other]]),
    };
    const found = typedArrayBuffers(value);
    expect(found).toHaveLength(2);
    expect(found).toContain(big.buffer);
    expect(found).toContain(other.buffer);
  });
});
