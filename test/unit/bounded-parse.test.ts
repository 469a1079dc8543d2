import { describe, expect, it } from 'vitest';
import { boundedParse, countValues, FULL_CHECK_MAX_VALUES, PRUNED_ITEMS } from '../../src/main/bounded-parse';
import { contract } from '../../src/shared/contract';

/**
 * Issue 17 B1: the work of rejecting a payload is bounded by its size, never by its number of
 * problems — and no legitimate payload is refused for being large.
 */
const ImportInput = contract['snapshot:import'].input;
const importWith = (shipping: unknown[]) => ({ path: 'x.csv', side: 'netsuite', options: { itemRoles: { shipping } } });

describe('boundedParse', () => {
  it('a 480,000-element array of wrong values builds at most a pruned copy worth of issues', () => {
    const payload = JSON.parse(
      `{"path":"x.csv","side":"netsuite","options":{"itemRoles":{"shipping":[${'1,'.repeat(479_999)}1]}}}`,
    );
    const cpu = process.cpuUsage();
    const result = boundedParse(ImportInput, payload);
    // Unbounded, zod builds 480,000 issues here (~7 s CPU, ~500 MB). CPU time, so that a busy
    // machine's wall clock does not fail the guard.
    const used = process.cpuUsage(cpu);
    expect((used.user + used.system) / 1000).toBeLessThan(2_000);
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.partial).toBe(true);
    expect(result.issues.length).toBeLessThanOrEqual(PRUNED_ITEMS);
    expect(result.issues[0]!.path).toEqual(['options', 'itemRoles', 'shipping', 0]);
  });

  it('a large valid payload is parsed in full, never refused for its size', () => {
    const shipping = Array.from({ length: 200_000 }, (_, i) => `SHIP-${i}`);
    const result = boundedParse(ImportInput, importWith(shipping));
    expect(result.success).toBe(true);
    if (result.success) expect(result.data.options?.itemRoles?.shipping).toHaveLength(200_000);
  });

  it('a small invalid payload gets every issue and the exact count', () => {
    const result = boundedParse(ImportInput, importWith(Array(300).fill(1)));
    expect(result).toMatchObject({ success: false, partial: false });
    if (!result.success) expect(result.issues).toHaveLength(300);
  });

  it('a large payload whose first items are fine but a later one is not: still refused, and says so', () => {
    const shipping: unknown[] = Array.from({ length: FULL_CHECK_MAX_VALUES * 2 }, (_, i) => `S${i}`);
    shipping[FULL_CHECK_MAX_VALUES] = 7;
    const result = boundedParse(ImportInput, importWith(shipping));
    expect(result).toMatchObject({ success: false, partial: true });
    if (!result.success) expect(result.issues[0]!.message).toMatch(new RegExp(`past the first ${PRUNED_ITEMS} items`));
  });

  it('counts values without recursion (deep nesting does not overflow) and stops at the limit', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(countValues(deep, 10)).toBe(11);
    expect(countValues({ a: [1, 2, { b: null }] }, 100)).toBe(6);
  });
});
