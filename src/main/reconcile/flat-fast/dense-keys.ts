/**
 * A direct table for digit keys that lie close together (order numbers, refund ids and internal
 * ids are mostly consecutive): the key's decimal value minus a base is the slot, so a lookup is
 * one array read near the previous one instead of a hash probe into a table bigger than the cache
 * (the "decide plain orders" phase of the flat one-shot reconcile, issue 15).
 *
 * The window is placed once, around the first key, and never moves, so whether a key is in it
 * depends on the key alone: callers keep the keys outside it elsewhere. Only digit strings
 * without a leading zero (or "0") are decimal values here, so value and string are one to one.
 */
export class DenseKeys {
  private base = -1;
  private readonly slots: Int32Array;

  constructor(expected: number) {
    // Zeroed memory the OS maps on first touch: only the pages the keys use cost RSS.
    this.slots = new Int32Array(Math.max(1024, expected * 8));
  }

  /**
   * The slot of a decimal value (from `decimalOf*`, >= 0), or -1 when outside the window. The
   * first value seen places the window so that it starts a little below it.
   */
  slotOf(value: number): number {
    if (this.base < 0) this.base = Math.max(0, value - (this.slots.length >>> 3));
    const slot = value - this.base;
    return slot >= 0 && slot < this.slots.length ? slot : -1;
  }

  /** The value stored at a slot, or -1. */
  at(slot: number): number {
    return this.slots[slot]! - 1;
  }

  set(slot: number, value: number): void {
    this.slots[slot] = value + 1;
  }
}

/** The decimal value of 1 to 15 digits without a leading zero (or "0"), else -1. */
export function decimalOfBytes(b: Uint8Array, start: number, end: number): number {
  const len = end - start;
  if (len === 0 || len > 15 || (len > 1 && b[start] === 48)) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const d = b[i]! - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/** `decimalOfBytes` on text. */
export function decimalOfText(text: string): number {
  const len = text.length;
  if (len === 0 || len > 15 || (len > 1 && text.charCodeAt(0) === 48)) return -1;
  let value = 0;
  for (let i = 0; i < len; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}
