import type { Tender } from '../../shared/model';
import { GrowableF64, GrowableU8, GrowableU32, TextChunks } from './column-collector';
import { isPlainJsonString } from './json-text';
import { hasTenderKeysInOrder, tendersJson } from './tender-columns';
import {
  compactStrings,
  DEFAULT,
  KINDS,
  LISTED,
  quickOfParts,
  STATES,
  TenderTable,
  writtenAsListed,
} from './tender-table';
import { TextColumn } from './text-column';

/**
 * A side's tender table built straight from the refunds' Tender objects, compact (what
 * `TenderTable.fromText(column).compact()` gives for the tenders column of the same refunds in the
 * same order), without writing each refund's tenders as JSON text first.
 *
 * Why: the one-shot's memory snapshot wrote every refund's tenders as JSON (~120 characters a
 * refund of the rich set), joined that text in chunks, joined it again in the matcher's order,
 * scanned it back into the typed table and sent the whole text to the main thread: about a fifth
 * of the storefront worker's time and ~120 MB per 1M refunds on both threads. Here the usual
 * tenders (known kind and state, plain ASCII gateway and ref, integer amounts as `String` writes
 * them) go straight into the parts; anything else is written as the text `tendersText` gives and
 * read by the same scanner as before (`TenderTable.fromText` of that one record), so odd tenders
 * read exactly as they did (test/unit/store/tender-parts.test.ts).
 */
export class TenderPartsBuilder {
  private n = 0;
  private texts = 0;
  /** Per record, import order: DEFAULT, LISTED or IRREGULAR, its quick class and its parts' range. */
  private readonly flags = new GrowableU8(new Uint8Array(1024));
  private readonly quick: number[] = [];
  private readonly first = new GrowableU32(new Uint32Array(1024));
  /** Records whose text is kept (not every number written as `String` writes it, or irregular): index → text. */
  private readonly kept = new Map<number, string>();
  /** Per part, import order. */
  private readonly kind = new GrowableU8(new Uint8Array(1024));
  private readonly state = new GrowableU8(new Uint8Array(1024));
  private readonly amount = new GrowableF64(new Float64Array(1024));
  private readonly presentment = new GrowableF64(new Float64Array(1024));
  private readonly gateway = new TextChunks();
  private readonly ref = new TextChunks();
  /** Per part of a kept record: its gateway and ref as offsets into the record's own text. */
  private readonly keptOffsets = new Map<number, [number, number, number, number]>();

  get length(): number {
    return this.n;
  }

  /** Records read from their text (the odd tenders), for tests: the usual ones are not. */
  get textRecords(): number {
    return this.texts;
  }

  /** One record's tenders; null: the default tenders (`tendersText` gives null). */
  push(tenders: readonly Tender[] | null): void {
    const i = this.n++;
    this.first.push(this.kind.length);
    if (tenders === null) {
      this.flags.push(DEFAULT);
      this.quick.push(3); // quickClassOfText of '': the default `other` tender
      return;
    }
    if (tenders.length > 0 && this.pushPlain(tenders)) {
      this.flags.push(LISTED);
      this.quick.push(quickOfParts(this.kind.data, this.state.data, this.first.data[i]!, this.kind.length));
      return;
    }
    this.pushText(i, tendersJson(tenders));
  }

  /** The usual tenders, as parts; false (nothing kept) when one of them is not plain. */
  private pushPlain(tenders: readonly Tender[]): boolean {
    for (let k = 0; k < tenders.length; k++) if (!isPlain(tenders[k])) return false;
    for (let k = 0; k < tenders.length; k++) {
      const t = tenders[k]!;
      this.kind.push(KINDS.indexOf(t.kind));
      this.state.push(STATES.indexOf(t.state));
      this.amount.push(t.amount);
      this.presentment.push(t.presentmentAmount === null ? Number.NaN : t.presentmentAmount);
      this.gateway.push(t.gateway);
      this.ref.push(t.ref);
    }
    return true;
  }

  /** A record read from its text as `TenderTable.fromText` reads it; its text kept unless compact() would drop it. */
  private pushText(i: number, text: string): void {
    this.texts++;
    const one = TenderTable.fromText(new TextColumn(text, Uint32Array.of(0, text.length)));
    const a = one.arrays;
    const flag = a.flags[0]!;
    this.flags.push(flag);
    this.quick.push(a.quick[0]!);
    const refsOnly = flag === LISTED && writtenAsListed(text, a, 0);
    if (!refsOnly) this.kept.set(i, text);
    for (let k = 0; k < a.first[1]!; k++) {
      const at = this.kind.length;
      this.kind.push(a.kind[k]!);
      this.state.push(a.state[k]!);
      this.amount.push(a.amount[k]!);
      this.presentment.push(a.presentment[k]!);
      this.gateway.push(text.substring(a.gwStart[k]!, a.gwEnd[k]!));
      this.ref.push(text.substring(a.refStart[k]!, a.refEnd[k]!));
      if (!refsOnly) this.keptOffsets.set(at, [a.gwStart[k]!, a.gwEnd[k]!, a.refStart[k]!, a.refEnd[k]!]);
    }
  }

  /**
   * The compact table of the records in the order of `perm` (a permutation of 0…length-1), as
   * `compact()` lays it out: per record its refs (or its kept text), then each distinct gateway once,
   * in order of first use.
   */
  finish(perm: Uint32Array): TenderTable {
    const n = perm.length;
    if (n !== this.n) throw new Error(`tender parts: a permutation of ${n} records for ${this.n}`);
    this.first.push(this.kind.length);
    this.gateway.seal();
    this.ref.seal();
    const m = this.kind.length;
    const srcFirst = this.first.data;
    const first = new Uint32Array(n + 1);
    const flags = new Uint8Array(n);
    const quick = new Int8Array(n);
    const kind = new Uint8Array(m);
    const state = new Uint8Array(m);
    const amount = new Float64Array(m);
    const presentment = new Float64Array(m);
    const gwStart = new Uint32Array(m);
    const gwEnd = new Uint32Array(m);
    const refStart = new Uint32Array(m);
    const refEnd = new Uint32Array(m);
    const offsets = new Uint32Array(n + 1);
    const pieces: string[] = [];
    const gateways = new Map<string, number>();
    const gatewayParts: number[] = [];
    let dictionary = 0;
    let last = '';
    let lastAt = -1;
    let chars = 0;
    let k = 0;
    for (let i = 0; i < n; i++) {
      const r = perm[i]!;
      offsets[i] = chars;
      first[i] = k;
      flags[i] = this.flags.data[r]!;
      quick[i] = this.quick[r]!;
      const from = srcFirst[r]!;
      const to = srcFirst[r + 1]!;
      const text = this.kept.get(r);
      for (let j = from; j < to; j++, k++) {
        kind[k] = this.kind.data[j]!;
        state[k] = this.state.data[j]!;
        amount[k] = this.amount.data[j]!;
        presentment[k] = this.presentment.data[j]!;
        if (text !== undefined) {
          const o = this.keptOffsets.get(j)!;
          gwStart[k] = o[0] + chars;
          gwEnd[k] = o[1] + chars;
          refStart[k] = o[2] + chars;
          refEnd[k] = o[3] + chars;
          continue;
        }
        const ref = this.ref.get(j);
        refStart[k] = chars;
        chars += ref.length;
        refEnd[k] = chars;
        pieces.push(ref);
        const gateway = this.gateway.get(j);
        if (gateway !== last) {
          last = gateway;
          let at = gateways.get(gateway);
          if (at === undefined) {
            at = dictionary;
            gateways.set(gateway, at);
            dictionary += gateway.length;
          }
          lastAt = at;
        }
        gwStart[k] = lastAt;
        gwEnd[k] = lastAt + gateway.length;
        gatewayParts.push(k);
      }
      if (text !== undefined) {
        pieces.push(text);
        chars += text.length;
      }
    }
    first[n] = k;
    offsets[n] = chars;
    const strings = compactStrings(pieces, offsets, chars, gateways, gatewayParts, gwStart, gwEnd);
    const arrays = { first, flags, quick, kind, state, amount, presentment, gwStart, gwEnd, refStart, refEnd };
    return new TenderTable(strings, arrays, true);
  }
}

/**
 * A tender `tendersJson` writes as the scanner reads it back unchanged: a plain Tender object (its
 * keys in schema order), a known kind and state, gateway and ref printable ASCII without `"` or `\`
 * (written as they are), amounts that `String` writes as at most 15 digits (not -0, which it writes
 * as 0). Anything else goes through the text.
 */
function isPlain(t: Tender | undefined): boolean {
  if (t === undefined || !hasTenderKeysInOrder(t)) return false;
  const { kind, gateway, amount, presentmentAmount, state, ref } = t;
  return (
    KINDS.includes(kind) &&
    STATES.includes(state) &&
    plainAscii(gateway) &&
    plainAscii(ref) &&
    plainInteger(amount) &&
    (presentmentAmount === null || plainInteger(presentmentAmount))
  );
}

function plainAscii(s: unknown): boolean {
  return typeof s === 'string' && isPlainJsonString(s);
}

function plainInteger(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 1e15 && !Object.is(v, -0);
}
