/**
 * The characters a set of ids is made of. A key holding any other character is none of those
 * ids, so the matcher can answer "no" without probing its 1M id index: at 1M, two thirds of the
 * NetSuite refund keys are `shopify-refund-…` or `SR-…` against numeric storefront ids, and the
 * whole value is looked up before its prefix is stripped (spec §4 rule 1) — a probe that misses
 * in a table far larger than the cache. Exact: it only ever rules out a key no id equals.
 */
export class IdAlphabet {
  /** 1 for each ASCII character some id holds. */
  private readonly ascii = new Uint8Array(128);
  /** Whether some id holds a character beyond ASCII (all of them are then allowed). */
  private beyondAscii = false;

  add(id: string): void {
    for (let k = 0; k < id.length; k++) {
      const c = id.charCodeAt(k);
      if (c < 128) this.ascii[c] = 1;
      else this.beyondAscii = true;
    }
  }

  /** False when `key` holds a character no id holds (so it equals none of them). */
  mayBeId(key: string): boolean {
    for (let k = 0; k < key.length; k++) {
      const c = key.charCodeAt(k);
      if (c < 128 ? this.ascii[c] === 0 : !this.beyondAscii) return false;
    }
    return true;
  }
}
