/**
 * The prefixes of a refund key (spec §4 rule 1), found by scanning characters instead of running
 * regular expressions: at 1M NetSuite records two thirds of the keys are `shopify-refund-123` or
 * `SR-123`, and the four patterns tried on each (then a `replace`) were most of the key phase.
 *
 * Each scanner answers exactly what its pattern did, on a value already trimmed, in this order:
 *   0. /^gid:\/\/[a-z]+\/refund\//i       `gid://shopify/Refund/123`
 *   1. /^[a-z0-9]+[-_]refund[-_:#]?/i     `shopify-refund-123`, `ns_refund#123`
 *   2. /^refund[-_:#\s]?/i                `Refund 123`, `refund:123`
 *   3. /^sr[-_:#]?/i                      `SR-123`
 * `i` without `u`: only ASCII letters fold (no other character matches a-z), so `c | 0x20`
 * compares a letter in either case. test/unit/reconcile/refund-key-prefixes.test.ts holds the
 * patterns and proves the scanners equal to them.
 */
export const REFUND_KEY_PREFIX_COUNT = 4;

const LOWER_A = 0x61;
const LOWER_Z = 0x7a;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

const isLetter = (c: number): boolean => (c | 0x20) >= LOWER_A && (c | 0x20) <= LOWER_Z;
const isDigit = (c: number): boolean => c >= DIGIT_0 && c <= DIGIT_9;
/** `-`, `_`, `:` or `#`: the separator the patterns allow after `refund` or `sr`. */
const isSeparator = (c: number): boolean => c === 0x2d || c === 0x5f || c === 0x3a || c === 0x23;

/** What `\s` matches in a JavaScript pattern (WhiteSpace and LineTerminator, ES2015+). */
export function isPatternSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** Whether `word` (lower-case ASCII) is at `at` in `raw`, in any case. */
function wordAt(raw: string, at: number, word: string): boolean {
  if (at + word.length > raw.length) return false;
  for (let k = 0; k < word.length; k++) {
    const c = raw.charCodeAt(at + k);
    const w = word.charCodeAt(k);
    // Only letters fold: `c | 0x20` would also turn e.g. `\r` (0x0d) into `-` (0x2d).
    if (c !== w && !(isLetter(c) && (c | 0x20) === w)) return false;
  }
  return true;
}

/** `at`, plus one when the character there is allowed (`space`: `\s` too). */
function optionalSeparator(raw: string, at: number, space: boolean): number {
  if (at >= raw.length) return at;
  const c = raw.charCodeAt(at);
  return isSeparator(c) || (space && isPatternSpace(c)) ? at + 1 : at;
}

/** The end of prefix `p` (0–3, see above) at the start of `raw`, or -1 when `raw` does not start with it. */
export function refundKeyPrefixEnd(raw: string, p: number): number {
  switch (p) {
    case 0: {
      if (!wordAt(raw, 0, 'gid://')) return -1;
      let at = 6;
      while (at < raw.length && isLetter(raw.charCodeAt(at))) at++;
      if (at === 6 || !wordAt(raw, at, '/refund/')) return -1;
      return at + 8;
    }
    case 1: {
      let at = 0;
      while (at < raw.length && (isLetter(raw.charCodeAt(at)) || isDigit(raw.charCodeAt(at)))) at++;
      if (at === 0 || at >= raw.length) return -1;
      const c = raw.charCodeAt(at);
      if (c !== 0x2d && c !== 0x5f) return -1;
      if (!wordAt(raw, at + 1, 'refund')) return -1;
      return optionalSeparator(raw, at + 7, false);
    }
    case 2:
      return wordAt(raw, 0, 'refund') ? optionalSeparator(raw, 6, true) : -1;
    case 3:
      return wordAt(raw, 0, 'sr') ? optionalSeparator(raw, 2, false) : -1;
    default:
      return -1;
  }
}
