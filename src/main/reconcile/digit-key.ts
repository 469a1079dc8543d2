// A module of its own (it was in matched-rows.ts) so the flat fast path's helper thread can use it
// (flat-fast/key-space.ts) without loading the engine and the output code matched-rows.ts needs.

/**
 * A string of at most 15 digits as a number in the strings' own order (each digit d as d + 1 in
 * base 11, the end as 0: "10" < "9", "9" < "90"); -1 for anything else.
 */
export function digitKey(text: string): number {
  if (text.length === 0 || text.length > 15) return -1;
  let key = 0;
  for (let i = 0; i < 15; i++) {
    let d = 0;
    if (i < text.length) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) return -1;
      d = c - 47;
    }
    key = key * 11 + d;
  }
  return key;
}
