/**
 * A hash index from strings to small integers (record or slot numbers) for the 1M-record maps of
 * the matcher: open addressing in one `Int32Array`, the keys themselves not stored (read back
 * through `keyOf`). No per-entry objects, no rehashing (sized up front), nothing for the GC to
 * trace — a `Map` of 1M strings costs several times more in inserts and in old-space marking.
 *
 * Each slot is a pair (value + 1, key hash) in one array: a probe compares the hashes, in the cache
 * line it has just read, and reads a key back only when they are equal. Without the hash every
 * occupied slot met cost a `keyOf` call and a read of that key's string from the heap (a cache miss
 * at 1M): the two 1M id indexes of a compare took ≈ 0.2 s each to build, ≈ 0.1 s with it.
 */
export class StringIndex {
  /** Slot s at [2s] (value + 1; 0 when empty) and [2s + 1] (the key's hash, as an int32). */
  private readonly slots: Int32Array;
  private readonly mask: number;

  /** `keyOf(v)` is the key of value v (values are ≥ 0); `capacity`: the most values it will hold. */
  constructor(
    capacity: number,
    private readonly keyOf: (value: number) => string,
  ) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.slots = new Int32Array(size * 2);
    this.mask = size - 1;
  }

  static hash(key: string): number {
    let h = 0x811c9dc5;
    for (let k = 0; k < key.length; k++) {
      h ^= key.charCodeAt(k);
      h = Math.imul(h, 0x01000193);
    }
    return h >>> 0;
  }

  /** The value stored for key, or -1. */
  get(key: string): number {
    const slots = this.slots;
    const h = StringIndex.hash(key) | 0;
    let at = h & this.mask;
    for (;;) {
      const v = slots[2 * at]!;
      if (v === 0) return -1;
      if (slots[2 * at + 1] === h && this.keyOf(v - 1) === key) return v - 1;
      at = (at + 1) & this.mask;
    }
  }

  /** Stores value for key when key is absent and returns -1; else returns the value already stored. */
  add(key: string, value: number): number {
    const slots = this.slots;
    const h = StringIndex.hash(key) | 0;
    let at = h & this.mask;
    for (;;) {
      const v = slots[2 * at]!;
      if (v === 0) {
        slots[2 * at] = value + 1;
        slots[2 * at + 1] = h;
        return -1;
      }
      if (slots[2 * at + 1] === h && this.keyOf(v - 1) === key) return v - 1;
      at = (at + 1) & this.mask;
    }
  }
}
