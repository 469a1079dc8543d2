/**
 * Skip pointers over a sorted list whose slots get used up: `arr[i]` points at a slot at or after
 * `i` that may still be free, and a used slot points past itself. Both the engine's nearest-date
 * pairing and the tender-first pairing walk outwards from a position and need the nearest free slot.
 */

/** Union-find root with path compression: the first unused slot at or after `i`. */
export function firstFreeSlot(arr: Int32Array, i: number): number {
  let root = i;
  while (arr[root] !== root) root = arr[root]!;
  while (arr[i] !== root) {
    const n = arr[i]!;
    arr[i] = root;
    i = n;
  }
  return root;
}
