/**
 * A set of positive integer keys (digit strings as digit-key.ts's base-11 `digitKey`) with a
 * value each: open addressing over one Float64Array, so a lookup touches one or two cache lines
 * and never the file's bytes (ByteKeys compares the key's bytes in place, a cache miss per probe
 * on a 200 MB file). Most order keys, refund ids and internal ids are digits.
 */
export class NumberKeys {
  /** Slot i holds its key at 2i and its value at 2i + 1: one cache line per probe. */
  private slots: Float64Array;
  private mask: number;
  private count = 0;

  constructor(expected: number) {
    let capacity = 1024;
    while (capacity < expected * 2) capacity *= 2;
    this.slots = new Float64Array(capacity * 2);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  /** The value of `key` (> 0), or -1. */
  get(key: number): number {
    const slots = this.slots;
    let slot = slotOf(key) & this.mask;
    for (;;) {
      const k = slots[2 * slot]!;
      if (k === key) return slots[2 * slot + 1]!;
      if (k === 0) return -1;
      slot = (slot + 1) & this.mask;
    }
  }

  /** The value of `key` when present, else sets it to `value` and returns -1. */
  getOrSet(key: number, value: number): number {
    const slots = this.slots;
    let slot = slotOf(key) & this.mask;
    for (;;) {
      const k = slots[2 * slot]!;
      if (k === key) return slots[2 * slot + 1]!;
      if (k === 0) break;
      slot = (slot + 1) & this.mask;
    }
    slots[2 * slot] = key;
    slots[2 * slot + 1] = value;
    if (++this.count * 2 > this.mask + 1) this.grow();
    return -1;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Float64Array(old.length * 2);
    this.mask = this.slots.length / 2 - 1;
    for (let i = 0; i < old.length; i += 2) {
      const k = old[i]!;
      if (k === 0) continue;
      let slot = slotOf(k) & this.mask;
      while (this.slots[2 * slot] !== 0) slot = (slot + 1) & this.mask;
      this.slots[2 * slot] = k;
      this.slots[2 * slot + 1] = old[i + 1]!;
    }
  }
}

/** A 32-bit hash of an integer below 2^53 (its two halves mixed). */
function slotOf(key: number): number {
  const lo = key >>> 0;
  const hi = (key / 4294967296) >>> 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * digit-key.ts `digitKey` on bytes: a string of 1 to 15 digits as a number in the strings' own
 * order (each digit d as d + 1 in base 11, the end as 0), so equal numbers are equal strings; -1
 * for anything else.
 */
export function digitKeyOf(b: Uint8Array, start: number, end: number): number {
  const len = end - start;
  if (len === 0 || len > 15) return -1;
  let key = 0;
  for (let i = 0; i < 15; i++) {
    let d = 0;
    if (i < len) {
      const c = b[start + i]!;
      if (c < 48 || c > 57) return -1;
      d = c - 47;
    }
    key = key * 11 + d;
  }
  return key;
}
