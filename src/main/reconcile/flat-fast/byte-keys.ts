/**
 * A set of byte strings (order keys, refund ids) that live inside a few large Buffers (the files'
 * bytes, plus a scratch buffer for the rare keys that had to be normalised as text): each key is
 * (buffer, start, length), hashed from its bytes. A million keys cost a few typed arrays instead
 * of a million JS strings and a Map (the fast path of the flat one-shot reconcile, issue 15).
 */
export class ByteKeys {
  private readonly buffers: Buffer[];
  private slots: Int32Array;
  private mask: number;
  private bufOf: Uint8Array;
  private startOf: Uint32Array;
  private lenOf: Uint16Array;
  private hashOf: Uint32Array;
  private count = 0;
  /** Keys built from text (normalised ids and order keys) are appended here. */
  private scratch = Buffer.allocUnsafe(1 << 16);
  private scratchUsed = 0;
  private scratchIndex: number;
  /** The first scratch buffer's index: the buffers before it are the constructor's. */
  private readonly scratchIndex0: number;

  constructor(buffers: Buffer[], expected: number) {
    this.buffers = [...buffers];
    this.scratchIndex0 = this.buffers.length;
    this.scratchIndex = this.buffers.length;
    this.buffers.push(this.scratch);
    let capacity = 1024;
    while (capacity < expected * 2) capacity *= 2;
    this.slots = new Int32Array(capacity);
    this.mask = capacity - 1;
    const entries = Math.max(16, expected);
    this.bufOf = new Uint8Array(entries);
    this.startOf = new Uint32Array(entries);
    this.lenOf = new Uint16Array(entries);
    this.hashOf = new Uint32Array(entries);
  }

  get size(): number {
    return this.count;
  }

  /** The key's index, adding it when new (`added` tells which). Keys are at most 65,535 bytes. */
  add(bufIndex: number, start: number, end: number): number {
    const buf = this.buffers[bufIndex]!;
    const h = hashBytes(buf, start, end);
    const k = this.find(h, buf, start, end);
    if (k >= 0) {
      this.added = false;
      return k;
    }
    this.added = true;
    if (this.count >= this.bufOf.length) this.growEntries();
    const e = this.count++;
    this.bufOf[e] = bufIndex;
    this.startOf[e] = start;
    this.lenOf[e] = end - start;
    this.hashOf[e] = h;
    if (this.count * 2 > this.slots.length) this.rehash();
    else this.place(e, h);
    return e;
  }

  /** Whether the last `add` added a new key. */
  added = false;

  /** Replaces buffer `index` (one given to the constructor, not the scratch) before any key in it is used. */
  setBuffer(index: number, buffer: Buffer): void {
    if (index >= this.scratchIndex0) throw new Error('ByteKeys: not a buffer given to the constructor.');
    this.buffers[index] = buffer;
  }

  /** The key's index, or -1. */
  get(bufIndex: number, start: number, end: number): number {
    const buf = this.buffers[bufIndex]!;
    return this.find(hashBytes(buf, start, end), buf, start, end);
  }

  /** Adds (or finds) a key given as ASCII text (copied into the scratch buffer when new). */
  addText(text: string): number {
    const { start, end } = this.toScratch(text);
    const k = this.add(this.scratchIndex, start, end);
    if (!this.added) this.scratchUsed = start; // not kept: free its bytes again
    return k;
  }

  /** The index of a key given as ASCII text, or -1. */
  getText(text: string): number {
    const { start, end } = this.toScratch(text);
    const k = this.get(this.scratchIndex, start, end);
    this.scratchUsed = start;
    return k;
  }

  private toScratch(text: string): { start: number; end: number } {
    if (this.scratchUsed + text.length > this.scratch.length) {
      // Keys already added keep pointing into the full buffer: a new one is started beside it.
      if (this.buffers.length >= 255) throw new Error('flat-fast: too many normalised keys');
      this.scratch = Buffer.allocUnsafe(Math.max(1 << 16, text.length * 2));
      this.scratchUsed = 0;
      this.scratchIndex = this.buffers.length;
      this.buffers.push(this.scratch);
    }
    const start = this.scratchUsed;
    const written = this.scratch.write(text, start, 'latin1');
    this.scratchUsed += written;
    return { start, end: start + written };
  }

  private find(h: number, buf: Buffer, start: number, end: number): number {
    const len = end - start;
    let slot = h & this.mask;
    for (;;) {
      const s = this.slots[slot]!;
      if (s === 0) return -1;
      const e = s - 1;
      if (this.hashOf[e] === h && this.lenOf[e] === len) {
        const other = this.buffers[this.bufOf[e]!]!;
        const o = this.startOf[e]!;
        let same = true;
        for (let i = 0; i < len; i++) {
          if (other[o + i] !== buf[start + i]) {
            same = false;
            break;
          }
        }
        if (same) return e;
      }
      slot = (slot + 1) & this.mask;
    }
  }

  private place(e: number, h: number): void {
    let slot = h & this.mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
    this.slots[slot] = e + 1;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    this.mask = this.slots.length - 1;
    for (let e = 0; e < this.count; e++) this.place(e, this.hashOf[e]!);
  }

  private growEntries(): void {
    const n = this.bufOf.length * 2;
    const grow = <T extends Uint8Array | Uint16Array | Uint32Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.bufOf = grow(this.bufOf, (k) => new Uint8Array(k));
    this.startOf = grow(this.startOf, (k) => new Uint32Array(k));
    this.lenOf = grow(this.lenOf, (k) => new Uint16Array(k));
    this.hashOf = grow(this.hashOf, (k) => new Uint32Array(k));
  }
}

/** FNV-1a over the bytes (32 bits). */
export function hashBytes(buf: Buffer, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  return h >>> 0;
}
