/**
 * A hash index from strings to small integers (record or slot numbers) for the 1M-record maps of
 * the matcher: open addressing in one `Int32Array`, the keys themselves not stored (read back
 * through `keyOf`). No per-entry objects, no rehashing (sized up front), nothing for the GC to
 * trace — a `Map` of 1M strings costs several times more in inserts and in old-space marking.
 */
export class StringIndex {
  private readonly slots: Int32Array;
  private readonly mask: number;

  /** `keyOf(v)` is the key of value v (values are ≥ 0); `capacity`: the most values it will hold. */
  constructor(
    capacity: number,
    private readonly keyOf: (value: number) => string,
  ) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.slots = new Int32Array(size);
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
    let at = StringIndex.hash(key) & this.mask;
    for (;;) {
      const v = slots[at]!;
      if (v === 0) return -1;
      if (this.keyOf(v - 1) === key) return v - 1;
      at = (at + 1) & this.mask;
    }
  }

  /** Stores value for key when key is absent and returns -1; else returns the value already stored. */
  add(key: string, value: number): number {
    const slots = this.slots;
    let at = StringIndex.hash(key) & this.mask;
    for (;;) {
      const v = slots[at]!;
      if (v === 0) {
        slots[at] = value + 1;
        return -1;
      }
      if (this.keyOf(v - 1) === key) return v - 1;
      at = (at + 1) & this.mask;
    }
  }
}
