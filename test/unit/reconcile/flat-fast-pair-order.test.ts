import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CANONICAL_CSV_COLUMNS, CANONICAL_CSV_OPTIONAL_COLUMNS } from '../../../src/main/importers/canonical-csv';
import type { ComboVerdict } from '../../../src/main/reconcile/flat-fast/combos';
import { flatTableOf } from '../../../src/main/reconcile/flat-fast/flat-table';
import { type PlainPairs, plainPairOrder, sortedPairs } from '../../../src/main/reconcile/flat-fast/plain-row-format';

// The helper sorts all candidate pairs before the verdicts are known, then keeps the plain ones
// (plainPairOrder): that must be exactly sortedPairs of the plain pairs themselves, whatever the
// ids (digits or not, repeated), currencies and verdicts.
const names = [...CANONICAL_CSV_COLUMNS, ...CANONICAL_CSV_OPTIONAL_COLUMNS] as string[];

function storefront(rows: Array<{ id: string; currency: string }>) {
  const line = (r: { id: string; currency: string }, k: number) => {
    const cells: Record<string, string> = {
      side: 'storefront',
      id: r.id,
      recordType: 'refund',
      orderRef: `#${1000 + k}`,
      date: '2026-01-05',
      currency: r.currency,
      total: r.currency === 'JPY' ? '1200' : '12.34',
      kind: 'general',
      isTest: 'false',
      status: 'ok',
      moneyMoved: 'true',
    };
    return names.map((n) => cells[n] ?? '').join(',');
  };
  const text = `${names.join(',')}\n${rows.map(line).join('\n')}\n`;
  const t = flatTableOf(Buffer.from(text, 'latin1'), 'storefront');
  if (!t) throw new Error('not flat');
  return t;
}

const id = fc.oneof(
  fc.integer({ min: 1, max: 2_000 }).map(String),
  fc.stringMatching(/^[a-z0-9]{1,6}$/),
  fc.integer({ min: 0, max: 99 }).map((n) => `0${n}`),
);

describe('flat-fast pair order', () => {
  it('the plain candidates in the candidates’ order are the plain pairs sorted', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ id, currency: fc.constantFrom('USD', 'EUR', 'JPY') }), { minLength: 1, maxLength: 60 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 80 }),
        (rows, plainCombos, picks) => {
          // No two consecutive rows with one id (the table refuses them: the importer merges those).
          const kept = rows.filter((r, k) => k === 0 || r.id !== rows[k - 1]!.id);
          const sf = storefront(kept);
          const verdicts = plainCombos.map((plain) => ({ plain }) as ComboVerdict);
          // Candidates: distinct storefront rows in any order, each with a combination.
          const seen = new Set<number>();
          const chosen = picks.map((p) => p % sf.n).filter((s) => !seen.has(s) && seen.add(s));
          const candidates: PlainPairs = {
            count: chosen.length,
            sfRow: Uint32Array.from(chosen),
            nsRow: Uint32Array.from(chosen),
            combo: Uint16Array.from(chosen.map((_, k) => (k * 7) % verdicts.length)),
          };
          const plain = [...Array(candidates.count).keys()].filter((p) => verdicts[candidates.combo[p]!]!.plain);
          const pairs: PlainPairs = {
            count: plain.length,
            sfRow: Uint32Array.from(plain.map((p) => candidates.sfRow[p]!)),
            nsRow: Uint32Array.from(plain.map((p) => candidates.nsRow[p]!)),
            combo: Uint16Array.from(plain.map((p) => candidates.combo[p]!)),
          };
          const prefixes = sf.currencies.map((c) => `3${c}\u0000`);
          const early = plainPairOrder(candidates, sortedPairs(sf, candidates, prefixes), verdicts, pairs.count);
          expect(early).toEqual(sortedPairs(sf, pairs, prefixes));
          expect(
            plainPairOrder(candidates, sortedPairs(sf, candidates, prefixes), verdicts, pairs.count + 1),
          ).toBeNull();
        },
      ),
      { numRuns: 300 },
    );
  });
});
