/**
 * A text column as one string and value offsets: value i is `text.substring(offsets[i], offsets[i + 1])`
 * (match-cache.ts stores columns so). Its own module so tender-table.ts can extend it (`TenderText`)
 * without an import cycle; match-cache.ts exports it too.
 */
export class TextColumn {
  constructor(
    protected textValue: string,
    protected offsetsValue: Uint32Array,
  ) {}
  /** The values joined (a subclass may build it on first use: tender-table.ts `TenderText`). */
  get text(): string {
    return this.textValue;
  }
  /** Value i is [offsets[i], offsets[i + 1]) of `text` (n + 1 values). */
  get offsets(): Uint32Array {
    return this.offsetsValue;
  }
  get length(): number {
    return this.offsetsValue.length - 1;
  }
  get(i: number): string {
    const o = this.offsetsValue;
    return this.textValue.substring(o[i]!, o[i + 1]!);
  }
  static from(values: readonly string[]): TextColumn {
    const offsets = new Uint32Array(values.length + 1);
    let chars = 0;
    for (let i = 0; i < values.length; i++) {
      offsets[i] = chars;
      chars += values[i]!.length;
    }
    offsets[values.length] = chars;
    return new TextColumn(values.join(''), offsets);
  }
  static concat(parts: readonly TextColumn[]): TextColumn {
    if (parts.length === 1) return parts[0]!;
    const n = parts.reduce((acc, p) => acc + p.length, 0);
    const offsets = new Uint32Array(n + 1);
    let at = 0;
    let base = 0;
    for (const p of parts) {
      for (let i = 0; i < p.length; i++) offsets[at++] = base + p.offsets[i]!;
      base += p.text.length;
    }
    offsets[n] = base;
    return new TextColumn(parts.map((p) => p.text).join(''), offsets);
  }
  /** Per-value strings; `shareRepeats`: a value equal to the previous one reuses its string (sorted columns). */
  toArray(shareRepeats = false): string[] {
    const out: string[] = new Array(this.length);
    const { text, offsets } = this;
    let prev: string | null = null;
    for (let i = 0; i < out.length; i++) {
      const start = offsets[i]!;
      const end = offsets[i + 1]!;
      if (shareRepeats && prev !== null && prev.length === end - start && text.startsWith(prev, start)) {
        out[i] = prev;
        continue;
      }
      prev = text.substring(start, end);
      out[i] = prev;
    }
    return out;
  }
}

const EMPTY_OFFSETS = new Uint32Array(1);

/**
 * A text column whose values are made when read (`value(i)`), for columns the match index does
 * not store as text (tender-table.ts `TenderText`, match-cache.ts `DerivedText`): most of their
 * values are never read by a comparison. `text` and `offsets` are built on first use, for the few
 * callers that need the whole column (a tender mapping's remap, several snapshots joined).
 */
export abstract class LazyTextColumn extends TextColumn {
  private built = false;
  constructor(private readonly count: number) {
    super('', EMPTY_OFFSETS);
  }
  protected abstract value(i: number): string;
  override get length(): number {
    return this.count;
  }
  override get(i: number): string {
    return this.built ? super.get(i) : this.value(i);
  }
  override get text(): string {
    this.build();
    return this.textValue;
  }
  override get offsets(): Uint32Array {
    this.build();
    return this.offsetsValue;
  }
  private build(): void {
    if (this.built) return;
    const values: string[] = new Array(this.count);
    for (let i = 0; i < this.count; i++) values[i] = this.value(i);
    const whole = TextColumn.from(values);
    this.textValue = whole.text;
    this.offsetsValue = whole.offsets;
    this.built = true;
  }
}
