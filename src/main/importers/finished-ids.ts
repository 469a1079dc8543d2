/**
 * The internal ids of the transactions a saved search has already finished (to refuse rows of one
 * transaction that are not together). A 1M-refund search finishes 1M ids; kept as strings in a Set
 * they are ~60 MB of old-generation objects the parse thread's GC marks again and again. Internal
 * ids are plain integers and a search sorted by Internal ID finishes them in increasing order, so
 * those go into a sorted Float64Array (8 bytes each, searched by bisection); any other id (text,
 * leading zeros, out of order) goes into a Set as before. A property test checks it against a Set.
 */
export class FinishedIds {
  private sorted = new Float64Array(4096);
  private count = 0;
  private readonly other = new Set<string>();

  add(id: string): void {
    const n = plainInteger(id);
    if (n >= 0 && (this.count === 0 || n > this.sorted[this.count - 1]!)) {
      if (this.count === this.sorted.length) {
        const grown = new Float64Array(this.sorted.length * 2);
        grown.set(this.sorted);
        this.sorted = grown;
      }
      this.sorted[this.count++] = n;
      return;
    }
    this.other.add(id);
  }

  has(id: string): boolean {
    const n = plainInteger(id);
    if (n >= 0 && this.count > 0 && n <= this.sorted[this.count - 1]!) {
      let lo = 0;
      let hi = this.count - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const v = this.sorted[mid]!;
        if (v === n) return true;
        if (v < n) lo = mid + 1;
        else hi = mid - 1;
      }
    }
    return this.other.has(id);
  }
}

/**
 * The value of a plain decimal integer written canonically (digits, no sign, no leading zero, at
 * most 15 digits, so distinct texts are distinct numbers), else -1.
 */
function plainInteger(text: string): number {
  const n = text.length;
  if (n === 0 || n > 15 || (n > 1 && text.charCodeAt(0) === 48)) return -1;
  let value = 0;
  for (let i = 0; i < n; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}
