import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MATCHED_KINDS, PLANTED_KINDS } from '../../../src/main/demo/cases';
import { demoCanonical, generateDemo } from '../../../src/main/demo/generate';
import { type Db, openWorkspace } from '../../../src/main/store/open';
import { RefundPacker } from '../../../src/main/store/packed-refunds';
import { orderKeyOf, writeSnapshot } from '../../../src/main/store/snapshot-writer';
import { type CanonicalRefund, LineRole, normaliseOrderRef } from '../../../src/shared/model';
import { fromCases } from '../reconcile/helpers';

/**
 * The parallel import's packed batches (codes for repeated text, order key and line summary left to
 * the writer) must write exactly the rows the writer's own add() writes for the same refunds.
 */

const meta = { side: 'storefront' as const, label: 't', source: 'demo' as const, format: 'x', importerVersion: 't' };

function rows(db: Db): { refunds: unknown[]; lines: unknown[] } {
  return {
    refunds: db.prepare('SELECT * FROM refunds ORDER BY id').all(),
    lines: db.prepare('SELECT * FROM refund_lines ORDER BY refund_id, line_no').all(),
  };
}

async function bothWays(refunds: CanonicalRefund[], batchSize: number) {
  const direct = openWorkspace(':memory:');
  await writeSnapshot(direct, { ...meta, side: refunds[0]?.side ?? 'storefront' }, refunds);
  const packed = openWorkspace(':memory:');
  const packer = new RefundPacker();
  async function* batches() {
    for (const r of refunds) {
      packer.add(r);
      if (packer.count === batchSize) yield structuredClone(packer.take());
    }
    if (packer.count > 0) yield structuredClone(packer.take());
  }
  await writeSnapshot(packed, { ...meta, side: refunds[0]?.side ?? 'storefront' }, { packed: batches() });
  const out = { direct: rows(direct), packed: rows(packed) };
  direct.close();
  packed.close();
  return out;
}

const text = fc.constantFrom('', ' ', 'A-1', ' sku ', 'ß', '日本', '#1001', 'Order 77', 'null');
const line = fc.record({
  sku: text,
  description: text,
  quantity: fc.integer({ min: -3, max: 5 }),
  amount: fc.integer({ min: -5000, max: 5000 }),
  tax: fc.integer({ min: 0, max: 300 }),
  role: fc.constantFrom(...LineRole.options, 'item'),
});

describe('packed refunds (parse thread → writer)', () => {
  it('write the same rows as add() for the demo and every case kind, whatever the batch size', async () => {
    const demo = demoCanonical(generateDemo());
    const cases = fromCases([...MATCHED_KINDS, ...PLANTED_KINDS], 3);
    for (const refunds of [demo.storefront, demo.netsuite, cases.storefront, cases.netsuite]) {
      for (const size of [1, 7, 1024]) {
        const { direct, packed } = await bothWays([...refunds], size);
        expect(direct.refunds.length).toBe(refunds.length);
        expect(packed).toEqual(direct);
      }
    }
  });

  it('write the same rows as add() for arbitrary lines, texts, nulls and presentment money', async () => {
    const demo = demoCanonical(generateDemo()).storefront;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            at: fc.nat({ max: demo.length - 1 }),
            orderRef: text,
            lines: fc.array(line, { maxLength: 4 }),
            shipping: fc.integer({ min: 0, max: 900 }),
            presentment: fc.option(fc.record({ currency: fc.constantFrom('EUR', 'CAD'), total: fc.nat(9999) })),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        fc.integer({ min: 1, max: 5 }),
        async (specs, size) => {
          const refunds = specs.map((s, i) => {
            const { orderRef, lines, shipping, presentment } = s;
            return { ...demo[s.at]!, id: `r${i}`, orderRef, lines, shipping, presentment };
          }) as CanonicalRefund[];
          const { direct, packed } = await bothWays(refunds, size);
          expect(packed).toEqual(direct);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('RefundPacker reusing its arrays', () => {
  it('packs each batch as a fresh packer would, after longer batches and a refund taken back', () => {
    const demo = demoCanonical(generateDemo()).storefront;
    const withLines = demo.filter((r) => r.lines.length > 0);
    const without = withLines.map((r) => ({ ...r, id: `${r.id}-n`, lines: [] }));
    expect(withLines.length).toBeGreaterThan(3);
    expect(without.length).toBeGreaterThan(3);
    const fresh = (refunds: CanonicalRefund[], warmUp: CanonicalRefund[]) => {
      // The same dictionary codes: the warm-up's refunds first, their batch dropped.
      const packer = new RefundPacker();
      for (const r of warmUp) packer.add(r);
      packer.take();
      for (const r of refunds) packer.add(r);
      return structuredClone(packer.take());
    };
    const reused = new RefundPacker();
    // A long batch with lines, then shorter ones: values of the earlier batch must not leak in.
    const first = [...withLines.slice(0, 3), ...without.slice(0, 2)];
    for (const r of first) reused.add(r);
    const firstBatch = structuredClone(reused.take());
    expect(firstBatch).toEqual(fresh(first, []));
    reused.add(without[2]!);
    reused.add(withLines[3]!);
    expect(reused.dropLast()).toBe(true); // its line is taken back too
    reused.add(without[3]!);
    const second = reused.take();
    expect({ ...second, dict: [] }).toEqual({ ...fresh([without[2]!, without[3]!], first), dict: [] });
    expect(second.lines).toEqual([]);
    expect(second.refunds).toHaveLength(2 * 26);
  });
});

describe('orderKeyOf (the writer’s order key without regular expressions)', () => {
  it('equals normaliseOrderRef for any text, and for the usual #digits and digits shapes', () => {
    const refs = fc.oneof(
      fc.string(),
      fc.stringMatching(/^#?[0-9]{0,12}$/),
      fc.stringMatching(/^(#|Order |SO|ord)? ?[0-9a-z#-]{0,8} ?$/),
    );
    fc.assert(
      fc.property(refs, (ref) => orderKeyOf(ref) === normaliseOrderRef(ref)),
      { numRuns: 3000 },
    );
    for (const ref of ['', '#', '##1', '#1001', '1001', ' #1001', '#1001 ', '0', '#0', 'Order #1', '#١٢']) {
      expect(orderKeyOf(ref)).toBe(normaliseOrderRef(ref));
    }
  });
});
