import { digitKey } from '../digit-key';
import { ByteKeys } from './byte-keys';
import { DenseKeys, decimalOfBytes, decimalOfText } from './dense-keys';
import { digitKeyOf, NumberKeys } from './number-keys';

/**
 * Dense ids (0, 1, 2…) for byte-string keys (order keys, refund ids) found in the files' bytes:
 * digit strings (most of them) by number (NumberKeys), any other by their bytes (ByteKeys). A key
 * is in exactly one of the two by what it is, so equal keys always get the same id. Digit keys
 * close to the first one are in a direct table before either (DenseKeys), again by what they are.
 */
export class KeySpace {
  private readonly dense: DenseKeys;
  /** Made on the first digit key outside the dense window (none in most files). */
  private numbersMade: NumberKeys | null = null;
  private readonly expected: number;
  private readonly others: ByteKeys;
  /** ByteKeys entry → id. */
  private readonly otherIds = new Map<number, number>();
  private next = 0;
  /** Whether the last add* added a new key. */
  added = false;

  constructor(
    private readonly buffers: Buffer[],
    expected: number,
  ) {
    this.buffers = [...buffers];
    this.expected = expected;
    this.dense = new DenseKeys(expected);
    this.others = new ByteKeys(buffers, 1024);
  }

  get size(): number {
    return this.next;
  }

  /**
   * Replaces buffer `index` (one given to the constructor) before any key in it is added or
   * looked up: a buffer known later (the NetSuite bytes, after the storefront pass).
   */
  setBuffer(index: number, buffer: Buffer): void {
    this.buffers[index] = buffer;
    this.others.setBuffer(index, buffer);
  }

  add(bufIndex: number, start: number, end: number): number {
    const slot = this.denseSlot(decimalOfBytes(this.buffers[bufIndex]!, start, end));
    if (slot >= 0) return this.addDense(slot);
    const digits = digitKeyOf(this.buffers[bufIndex]!, start, end);
    if (digits > 0) return this.addNumber(digits);
    return this.addOther(this.others.add(bufIndex, start, end));
  }

  addText(text: string): number {
    const slot = this.denseSlot(decimalOfText(text));
    if (slot >= 0) return this.addDense(slot);
    const digits = digitKey(text);
    if (digits > 0) return this.addNumber(digits);
    return this.addOther(this.others.addText(text));
  }

  get(bufIndex: number, start: number, end: number): number {
    const slot = this.denseSlot(decimalOfBytes(this.buffers[bufIndex]!, start, end));
    if (slot >= 0) return this.dense.at(slot);
    const digits = digitKeyOf(this.buffers[bufIndex]!, start, end);
    if (digits > 0) return this.numbersMade === null ? -1 : this.numbersMade.get(digits);
    const e = this.others.get(bufIndex, start, end);
    return e < 0 ? -1 : this.otherIds.get(e)!;
  }

  getText(text: string): number {
    const slot = this.denseSlot(decimalOfText(text));
    if (slot >= 0) return this.dense.at(slot);
    const digits = digitKey(text);
    if (digits > 0) return this.numbersMade === null ? -1 : this.numbersMade.get(digits);
    const e = this.others.getText(text);
    return e < 0 ? -1 : this.otherIds.get(e)!;
  }

  private get numbers(): NumberKeys {
    if (this.numbersMade === null) this.numbersMade = new NumberKeys(this.expected);
    return this.numbersMade;
  }

  private denseSlot(value: number): number {
    return value < 0 ? -1 : this.dense.slotOf(value);
  }

  private addDense(slot: number): number {
    const id = this.dense.at(slot);
    this.added = id < 0;
    if (!this.added) return id;
    this.dense.set(slot, this.next);
    return this.next++;
  }

  private addNumber(digits: number): number {
    const id = this.numbers.getOrSet(digits, this.next);
    this.added = id < 0;
    return this.added ? this.next++ : id;
  }

  private addOther(e: number): number {
    this.added = this.others.added;
    if (!this.added) return this.otherIds.get(e)!;
    this.otherIds.set(e, this.next);
    return this.next++;
  }
}
