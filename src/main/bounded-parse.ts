import { z } from 'zod';

/**
 * Parsing an untrusted payload with work bounded by its size, not by its number of problems
 * (issue 17 B1): zod builds one issue per wrong value, so a ~1 MiB array of wrong values cost
 * ~7 s of main-thread CPU and ~500 MB before the dispatcher kept 20 of them.
 *
 * - Small payloads (≤ FULL_CHECK_MAX_VALUES JSON values) are parsed as they are: every issue, exact count.
 * - Larger ones are first checked with `z.validate`, which stops at the first problem (zod 4's
 *   early-exit check). Valid: parsed in full (a legitimate payload is never refused for its size).
 *   Invalid: the issues are read from a pruned copy — every list cut to its first PRUNED_ITEMS
 *   items, every object with more keys cut to its first PRUNED_ITEMS keys — so at most a few
 *   hundred issues are ever built; the count is then a lower bound (`partial`).
 */
export const FULL_CHECK_MAX_VALUES = 5_000;
export const PRUNED_ITEMS = 100;
/** Nesting past this is left as is in the pruned copy (the schema decides how deep it looks). */
const PRUNE_DEPTH = 64;

export type BoundedParse<T> =
  | { success: true; data: T }
  | { success: false; issues: z.core.$ZodIssue[]; partial: boolean };

/** JSON values in `value` (objects, arrays and leaves), counted without recursion up to `limit` + 1. */
export function countValues(value: unknown, limit: number): number {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && count <= limit) {
    const v = stack.pop();
    count += 1;
    if (Array.isArray(v)) for (const item of v) stack.push(item);
    else if (v !== null && typeof v === 'object') for (const key in v) stack.push((v as Record<string, unknown>)[key]);
  }
  return count;
}

function prune(value: unknown, depth: number): unknown {
  if (depth > PRUNE_DEPTH || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.slice(0, PRUNED_ITEMS).map((v) => prune(v, depth + 1));
  const out: Record<string, unknown> = {};
  let kept = 0;
  for (const key of Object.keys(value)) {
    if (kept++ >= PRUNED_ITEMS) break;
    out[key] = prune((value as Record<string, unknown>)[key], depth + 1);
  }
  return out;
}

export function boundedParse<S extends z.ZodType>(schema: S, payload: unknown): BoundedParse<z.output<S>> {
  if (countValues(payload, FULL_CHECK_MAX_VALUES) <= FULL_CHECK_MAX_VALUES || z.validate(schema, payload)) {
    const parsed = schema.safeParse(payload);
    return parsed.success
      ? { success: true, data: parsed.data }
      : { success: false, issues: parsed.error.issues, partial: false };
  }
  const sample = schema.safeParse(prune(payload, 0));
  if (!sample.success) return { success: false, issues: sample.error.issues, partial: true };
  // The first items of every list are fine: the problem lies further on.
  return {
    success: false,
    partial: true,
    issues: [
      {
        code: 'custom',
        path: [],
        input: undefined,
        message: `not valid past the first ${PRUNED_ITEMS} items of a list (too large to list every problem)`,
      },
    ],
  };
}
