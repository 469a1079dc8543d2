import { digitKey } from '../matched-rows';
import { ByteKeys } from './byte-keys';
import { digitKeyOf, NumberKeys } from './number-keys';

/**
 * Dense ids (0, 1, 2…) for byte-string keys (order keys, refund ids) found in the files' bytes:
 * digit strings (most of them) by number (NumberKeys), any other by their bytes (ByteKeys). A key
 * is in exactly one of the two by what it is, so equal keys always get the same id.
 */
export class KeySpace {
  private readonly numbers: NumberKeys;
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
    this.numbers = new NumberKeys(expected);
    this.others = new ByteKeys(buffers, 1024);
  }

  get size(): number {
    return this.next;
  }

  add(bufIndex: number, start: number, end: number): number {
    const digits = digitKeyOf(this.buffers[bufIndex]!, start, end);
    if (digits > 0) return this.addNumber(digits);
    return this.addOther(this.others.add(bufIndex, start, end));
  }

  addText(text: string): number {
    const digits = digitKey(text);
    if (digits > 0) return this.addNumber(digits);
    return this.addOther(this.others.addText(text));
  }

  get(bufIndex: number, start: number, end: number): number {
    const digits = digitKeyOf(this.buffers[bufIndex]!, start, end);
    if (digits > 0) return this.numbers.get(digits);
    const e = this.others.get(bufIndex, start, end);
    return e < 0 ? -1 : this.otherIds.get(e)!;
  }

  getText(text: string): number {
    const digits = digitKey(text);
    if (digits > 0) return this.numbers.get(digits);
    const e = this.others.getText(text);
    return e < 0 ? -1 : this.otherIds.get(e)!;
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
