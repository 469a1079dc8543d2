import type { Tender, TenderKind, TenderState } from '../../shared/model';
import { LazyTextColumn, TextColumn } from './text-column';

/**
 * A side's tenders as typed columns (issue 15): per tender part its kind, state, amount and
 * presentment amount in typed arrays, its gateway and ref as offsets into the tenders column's
 * text; per record the range of its parts and its quick class. Built in one scan of the column's
 * text (the JSON `tendersText` writes), so the matcher reads a record's class with one array read
 * and materialises a record's `Tender[]` without `JSON.parse` (profiles of the 1M rich set: the
 * per-record parse and the repeated text searches were the tender cost).
 *
 * Text in any other shape (whitespace, escapes, keys in another order, a missing or extra key, a
 * value of another type, an unknown kind or state) is kept and parsed with `JSON.parse` when read, so a record
 * reads exactly what `parseTenders` would give.
 */

/** Quick class codes (tender-check.ts `quickClass`): 0 money, 1 stored value, 2 exchange, 3 other, 4 none; -1 mixed. */
export const QUICK_MIXED = -1;

export const KINDS: readonly TenderKind[] = ['card', 'cash', 'store_credit', 'gift_card', 'exchange', 'other'];
export const STATES: readonly TenderState[] = ['settled', 'paid_out', 'applied', 'open'];
/** Quick class of each kind code (KINDS order). */
const KIND_CLASS = [0, 0, 1, 1, 2, 3];
const STATE_OPEN = 3;
const STATE_APPLIED = 2;

/** Record flags. */
export const DEFAULT = 0; // no text: the default tenders (parseTenders' fallback)
export const LISTED = 1; // parts in the typed columns
export const IRREGULAR = 2; // text kept for JSON.parse

class Growing {
  kind: Uint8Array;
  state: Uint8Array;
  amount: Float64Array;
  /** NaN: null. */
  presentment: Float64Array;
  /** Offsets into the column text: gateway [gwStart, gwEnd), ref [refStart, refEnd). */
  gwStart: Uint32Array;
  gwEnd: Uint32Array;
  refStart: Uint32Array;
  refEnd: Uint32Array;
  length = 0;
  constructor(capacity: number) {
    this.kind = new Uint8Array(capacity);
    this.state = new Uint8Array(capacity);
    this.amount = new Float64Array(capacity);
    this.presentment = new Float64Array(capacity);
    this.gwStart = new Uint32Array(capacity);
    this.gwEnd = new Uint32Array(capacity);
    this.refStart = new Uint32Array(capacity);
    this.refEnd = new Uint32Array(capacity);
  }
  ensure(): void {
    if (this.length < this.kind.length) return;
    const grow = <T extends Uint8Array | Uint32Array | Float64Array>(a: T): T => {
      const bigger = new (a.constructor as new (n: number) => T)(a.length * 2);
      bigger.set(a);
      return bigger;
    };
    this.kind = grow(this.kind);
    this.state = grow(this.state);
    this.amount = grow(this.amount);
    this.presentment = grow(this.presentment);
    this.gwStart = grow(this.gwStart);
    this.gwEnd = grow(this.gwEnd);
    this.refStart = grow(this.refStart);
    this.refEnd = grow(this.refEnd);
  }
}

/**
 * Reads one record's text in the exact shape `tendersText` writes (JSON.stringify of schema-ordered
 * tenders: no whitespace, these keys in this order); anything else fails, leaving no parts.
 */
class Scanner {
  at = 0;
  /**
   * The text has no backslash and no control character (one native search each, for the whole
   * column): a string value then ends at the next quote, found with indexOf.
   */
  private readonly plain: boolean;
  constructor(
    readonly text: string,
    readonly parts: Growing,
  ) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
    this.plain = text.indexOf('\\') < 0 && !/[\u0000-\u001f]/.test(text);
  }
  /** The literal at `at`. (A character loop: `startsWith` with a position is a runtime call, ~5× slower here.) */
  private lit(literal: string): boolean {
    const t = this.text;
    const at = this.at;
    const n = literal.length;
    for (let k = 0; k < n; k++) if (t.charCodeAt(at + k) !== literal.charCodeAt(k)) return false;
    this.at = at + n;
    return true;
  }
  /** The characters of a string value up to its closing quote: its end, or -1 on an escape or control character. */
  private stringEnd(end: number): number {
    const t = this.text;
    if (this.plain) {
      const q = t.indexOf('"', this.at);
      return q >= 0 && q < end ? q : -1;
    }
    for (let k = this.at; k < end; k++) {
      const c = t.charCodeAt(k);
      if (c === 34) return k;
      if (c === 92 || c < 32) return -1; // escapes and control characters: the JSON.parse path
    }
    return -1;
  }
  /** An enum value followed by its closing quote: its index in `names`, or -1. */
  private oneOf(names: readonly string[]): number {
    const t = this.text;
    for (let i = 0; i < names.length; i++) {
      const n = names[i]!;
      const len = n.length;
      if (t.charCodeAt(this.at + len) !== 34) continue;
      let k = 0;
      while (k < len && t.charCodeAt(this.at + k) === n.charCodeAt(k)) k++;
      if (k === len) {
        this.at += len;
        return i;
      }
    }
    return -1;
  }
  /** A JSON number, or undefined when there is none. */
  private number(end: number): number | undefined {
    const t = this.text;
    const start = this.at;
    let k = start;
    if (t.charCodeAt(k) === 45) k++;
    let digits = 0;
    let value = 0;
    let plain = true;
    for (; k < end; k++) {
      const c = t.charCodeAt(k);
      if (c >= 48 && c <= 57) {
        value = value * 10 + (c - 48);
        digits++;
      } else if (c === 46 || c === 101 || c === 69 || c === 43 || c === 45) plain = false;
      else break;
    }
    if (digits === 0) return undefined;
    this.at = k;
    // Leading zeros, fractions, exponents and long numbers: exactly as JSON.parse reads them.
    if (!plain || digits > 15 || (digits > 1 && t.charCodeAt(start + (t.charCodeAt(start) === 45 ? 1 : 0)) === 48)) {
      try {
        return JSON.parse(t.slice(start, k)) as number;
      } catch {
        return undefined;
      }
    }
    return t.charCodeAt(start) === 45 ? -value : value;
  }
  /** One record's text [start, end) into `parts`; false when not regular (parts rolled back). */
  record(start: number, end: number): boolean {
    const p = this.parts;
    const first = p.length;
    this.at = start;
    if (!this.lit('[')) return false;
    if (this.lit(']')) return this.at === end;
    for (;;) {
      if (!this.lit('{"kind":"')) return this.fail(first);
      p.ensure();
      const i = p.length;
      const kind = this.oneOf(KINDS);
      if (kind < 0 || !this.lit('","gateway":"')) return this.fail(first);
      const gwEnd = this.stringEnd(end);
      if (gwEnd < 0) return this.fail(first);
      p.gwStart[i] = this.at;
      p.gwEnd[i] = gwEnd;
      this.at = gwEnd;
      if (!this.lit('","amount":')) return this.fail(first);
      const amount = this.number(end);
      if (amount === undefined || !this.lit(',"presentmentAmount":')) return this.fail(first);
      let presentment: number | undefined = Number.NaN;
      if (!this.lit('null')) {
        presentment = this.number(end);
        if (presentment === undefined) return this.fail(first);
      }
      if (!this.lit(',"state":"')) return this.fail(first);
      const state = this.oneOf(STATES);
      if (state < 0 || !this.lit('","ref":"')) return this.fail(first);
      const refEnd = this.stringEnd(end);
      if (refEnd < 0) return this.fail(first);
      p.refStart[i] = this.at;
      p.refEnd[i] = refEnd;
      this.at = refEnd;
      if (!this.lit('"}')) return this.fail(first);
      p.kind[i] = kind;
      p.state[i] = state;
      p.amount[i] = amount;
      p.presentment[i] = presentment;
      p.length = i + 1;
      if (this.lit(']')) return this.at === end || this.fail(first);
      if (!this.lit(',')) return this.fail(first);
    }
  }
  private fail(first: number): boolean {
    this.parts.length = first;
    return false;
  }
}

/** The typed arrays of a tender table: what the match cache stores and threads hand over. */
export interface TenderArrays {
  /** Record i's parts: [first[i], first[i + 1]) (n + 1 values). */
  first: Uint32Array;
  /** Per record: 0 the default tenders, 1 parts listed, 2 irregular text (read with JSON.parse). */
  flags: Uint8Array;
  /** Per record: the quick class its text gives (tender-check.ts `quickClassOfText`). */
  quick: Int8Array;
  /** Per part (first[n] of them): kind and state codes, amounts (presentment NaN: null). */
  kind: Uint8Array;
  state: Uint8Array;
  amount: Float64Array;
  presentment: Float64Array;
  /** Per part: gateway and ref as [start, end) offsets into the tenders column's text. */
  gwStart: Uint32Array;
  gwEnd: Uint32Array;
  refStart: Uint32Array;
  refEnd: Uint32Array;
}

/** The array fields, in a fixed order (match-cache.ts stores them as sections). */
export const TENDER_ARRAY_FIELDS = [
  'first',
  'flags',
  'quick',
  'kind',
  'state',
  'amount',
  'presentment',
  'gwStart',
  'gwEnd',
  'refStart',
  'refEnd',
] as const;

export class TenderTable {
  readonly quick: Int8Array;
  /** The tenders column the table stands for: `column` itself, or the text a compact table rebuilds. */
  readonly source: TextColumn;
  constructor(
    /**
     * Where gateways, refs and irregular text are cut from: the tenders column the table was read
     * from, or a compact table's strings (`compact`: gateways once each, refs, irregular text).
     */
    readonly column: TextColumn,
    readonly arrays: TenderArrays,
    compact = false,
  ) {
    this.quick = arrays.quick;
    this.source = compact ? new TenderText(this) : column;
  }

  /** The typed columns of a tenders text column ('' = the default tenders). */
  static fromText(column: TextColumn): TenderTable {
    const n = column.length;
    const { text, offsets } = column;
    const first = new Uint32Array(n + 1);
    const flags = new Uint8Array(n);
    const quick = new Int8Array(n);
    const parts = new Growing(Math.max(16, n));
    const scanner = new Scanner(text, parts);
    for (let i = 0; i < n; i++) {
      first[i] = parts.length;
      const start = offsets[i]!;
      const end = offsets[i + 1]!;
      if (start === end) {
        flags[i] = DEFAULT;
        quick[i] = 3; // quickClassOfText of '': the default `other` tender
      } else if (scanner.record(start, end)) {
        flags[i] = LISTED;
        quick[i] = quickOfParts(parts.kind, parts.state, first[i]!, parts.length);
      } else {
        flags[i] = IRREGULAR;
        quick[i] = quickClassOfOwnText(text.substring(start, end));
      }
    }
    const m = parts.length;
    first[n] = m;
    return new TenderTable(column, {
      first,
      flags,
      quick,
      kind: parts.kind.slice(0, m),
      state: parts.state.slice(0, m),
      amount: parts.amount.slice(0, m),
      presentment: parts.presentment.slice(0, m),
      gwStart: parts.gwStart.slice(0, m),
      gwEnd: parts.gwEnd.slice(0, m),
      refStart: parts.refStart.slice(0, m),
      refEnd: parts.refEnd.slice(0, m),
    });
  }

  /**
   * The table of `column` when this table was read from it (the same text), else a new one: a
   * remapped or concatenated column has text of its own.
   */
  for(column: TextColumn): TenderTable {
    const own = this.source;
    return column === own || (column.text === own.text && sameOffsets(column.offsets, own.offsets))
      ? this
      : TenderTable.fromText(column);
  }

  /**
   * The table with its strings compacted (the match index stores this, match-cache.ts format 5).
   * A record whose text is exactly what `listedText` rebuilds from its parts keeps only its refs
   * (its gateways point into one copy of each distinct gateway at the end); other text (irregular,
   * or numbers written otherwise) is kept as it is, its parts' offsets moved into it. The table's
   * `source` (`TenderText`) gives the same text back.
   */
  compact(): TenderTable {
    const a = this.arrays;
    const n = a.flags.length;
    const src = this.column.text;
    const srcOffsets = this.column.offsets;
    const compacted = this.source !== this.column;
    const m = a.first[n]!;
    const gwStart = new Uint32Array(m);
    const gwEnd = new Uint32Array(m);
    const refStart = new Uint32Array(m);
    const refEnd = new Uint32Array(m);
    const offsets = new Uint32Array(n + 1);
    const pieces: string[] = [];
    const gateways = new Map<string, number>();
    let dictionary = 0;
    const gatewayParts: number[] = [];
    let last = '';
    let lastAt = -1;
    let chars = 0;
    for (let i = 0; i < n; i++) {
      offsets[i] = chars;
      const f = a.flags[i]!;
      if (f === DEFAULT) continue;
      if (f === LISTED && (compacted ? isRefsOnly(this.column, a, i) : writtenAsListed(src, a, i))) {
        for (let k = a.first[i]!; k < a.first[i + 1]!; k++) {
          const ref = src.substring(a.refStart[k]!, a.refEnd[k]!);
          refStart[k] = chars;
          chars += ref.length;
          refEnd[k] = chars;
          pieces.push(ref);
          // Most parts have the gateway of the part before: compared in place, not cut.
          const g0 = a.gwStart[k]!;
          const length = a.gwEnd[k]! - g0;
          if (length !== last.length || !src.startsWith(last, g0)) {
            last = src.substring(g0, g0 + length);
            let at = gateways.get(last);
            if (at === undefined) {
              at = dictionary;
              gateways.set(last, at);
              dictionary += length;
            }
            lastAt = at;
          }
          gwStart[k] = lastAt;
          gwEnd[k] = lastAt + length;
          gatewayParts.push(k);
        }
        continue;
      }
      // Kept as it is: irregular text (JSON.parse reads it), or parts written otherwise.
      const shift = chars - srcOffsets[i]!;
      for (let k = a.first[i]!; k < a.first[i + 1]!; k++) {
        gwStart[k] = a.gwStart[k]! + shift;
        gwEnd[k] = a.gwEnd[k]! + shift;
        refStart[k] = a.refStart[k]! + shift;
        refEnd[k] = a.refEnd[k]! + shift;
      }
      const own = this.column.get(i);
      pieces.push(own);
      chars += own.length;
    }
    offsets[n] = chars;
    const strings = compactStrings(pieces, offsets, chars, gateways, gatewayParts, gwStart, gwEnd);
    return new TenderTable(strings, { ...a, gwStart, gwEnd, refStart, refEnd }, true);
  }

  /**
   * Record i's tenders, as `parseTenders` of its text gives them: the parts, the parsed irregular
   * text, or null for the default (the caller derives it from the record's type and total).
   */
  tenders(i: number): Tender[] | null {
    const a = this.arrays;
    const f = a.flags[i]!;
    if (f === DEFAULT) return null;
    if (f === IRREGULAR) {
      try {
        const v = JSON.parse(this.column.get(i)) as Tender[];
        return Array.isArray(v) ? v : null;
      } catch {
        return null;
      }
    }
    const t = this.column.text;
    const out: Tender[] = [];
    for (let k = a.first[i]!; k < a.first[i + 1]!; k++) {
      const pres = a.presentment[k]!;
      out.push({
        kind: KINDS[a.kind[k]!]!,
        gateway: t.substring(a.gwStart[k]!, a.gwEnd[k]!),
        amount: a.amount[k]!,
        presentmentAmount: Number.isNaN(pres) ? null : pres,
        state: STATES[a.state[k]!]!,
        ref: t.substring(a.refStart[k]!, a.refEnd[k]!),
      });
    }
    return out;
  }
}

/** A compact table's record i holds only its refs (its text is `listedText`), not text kept as it is. */
function isRefsOnly(strings: TextColumn, a: TenderArrays, i: number): boolean {
  let refs = 0;
  for (let k = a.first[i]!; k < a.first[i + 1]!; k++) refs += a.refEnd[k]! - a.refStart[k]!;
  return strings.offsets[i + 1]! - strings.offsets[i]! === refs;
}

/**
 * Listed record i's text (`text`, the column the table was read from) is exactly `listedText`: the
 * scanner checked every literal, so only its numbers may be written otherwise. A number is written
 * as `String` writes it when it is a plain integer of at most 15 digits, no leading zero, not -0.
 */
export function writtenAsListed(text: string, a: TenderArrays, i: number): boolean {
  for (let k = a.first[i]!; k < a.first[i + 1]!; k++) {
    const amountEnd = plainIntegerEnd(text, a.gwEnd[k]! + AMOUNT_AT);
    if (amountEnd < 0) return false;
    const pres = amountEnd + PRESENTMENT_AT;
    if (Number.isNaN(a.presentment[k]!)) continue; // `null`: checked by the scanner
    if (plainIntegerEnd(text, pres) < 0) return false;
  }
  return true;
}

/** From a gateway's closing quote to its amount: `","amount":`. */
const AMOUNT_AT = 11;
/** From an amount's end to the presentment amount: `,"presentmentAmount":`. */
const PRESENTMENT_AT = 21;

/** The end of the integer at `at` when `String` writes its value so and a comma follows, else -1. */
function plainIntegerEnd(t: string, at: number): number {
  let k = at;
  const negative = t.charCodeAt(k) === 45;
  if (negative) k++;
  const first = k;
  while (k < t.length) {
    const c = t.charCodeAt(k);
    if (c < 48 || c > 57) break;
    k++;
  }
  const digits = k - first;
  if (digits === 0 || digits > 15 || t.charCodeAt(k) !== 44) return -1;
  if (t.charCodeAt(first) === 48 && (digits > 1 || negative)) return -1;
  return k;
}

/**
 * Record i's text as `tendersText` writes it (JSON.stringify of schema-ordered tenders), rebuilt
 * from its listed parts; `strings` holds their gateways and refs.
 */
function listedText(strings: string, a: TenderArrays, i: number): string {
  let out = '[';
  const end = a.first[i + 1]!;
  for (let k = a.first[i]!; k < end; k++) {
    const pres = a.presentment[k]!;
    out += `${out.length > 1 ? ',' : ''}{"kind":"${KINDS[a.kind[k]!]}","gateway":"${strings.substring(a.gwStart[k]!, a.gwEnd[k]!)}","amount":${a.amount[k]},"presentmentAmount":${Number.isNaN(pres) ? 'null' : pres},"state":"${STATES[a.state[k]!]}","ref":"${strings.substring(a.refStart[k]!, a.refEnd[k]!)}"}`;
  }
  return `${out}]`;
}

/**
 * The tenders column a compact table (`TenderTable.compact`) stands for: a record's text rebuilt
 * from its parts when read (the matcher reads the parts, so most records never are).
 */
export class TenderText extends LazyTextColumn {
  constructor(private readonly table: TenderTable) {
    super(table.arrays.flags.length);
  }
  protected value(i: number): string {
    const a = this.table.arrays;
    const f = a.flags[i]!;
    if (f === DEFAULT) return '';
    const strings = this.table.column;
    // Only the refs kept: the record's text is what its parts give.
    if (f === LISTED && isRefsOnly(strings, a, i)) return listedText(strings.text, a, i);
    return strings.get(i);
  }
}

function sameOffsets(a: Uint32Array, b: Uint32Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The quick class of parts [from, to) (their kind and state codes). */
export function quickOfParts(kind: Uint8Array, state: Uint8Array, from: number, to: number): number {
  if (from === to) return 4;
  let cls = -1;
  let openOrApplied = false;
  for (let k = from; k < to; k++) {
    const c = KIND_CLASS[kind[k]!]!;
    if (cls === -1) cls = c;
    else if (c !== cls) return QUICK_MIXED;
    const s = state[k]!;
    if (s === STATE_OPEN || s === STATE_APPLIED) openOrApplied = true;
  }
  return openOrApplied ? QUICK_MIXED : cls;
}

/**
 * The quick class of one record's own tenders text (JSON this app wrote), without parsing it: the
 * class index when every part is one class and settled, QUICK_MIXED otherwise, 4 for `[]`. Here in
 * the store (which may not import reconcile); reconcile/tender-check.ts `quickClassOfText` uses it.
 */
export function quickClassOfOwnText(own: string): number {
  let cls = -1;
  let at = 0;
  for (;;) {
    const k = own.indexOf('"kind":"', at);
    if (k < 0) break;
    const v = k + 8;
    const c =
      own.startsWith('card"', v) || own.startsWith('cash"', v)
        ? 0
        : own.startsWith('store_credit"', v) || own.startsWith('gift_card"', v)
          ? 1
          : own.startsWith('exchange"', v)
            ? 2
            : 3;
    if (cls === -1) cls = c;
    else if (c !== cls) return QUICK_MIXED;
    at = v;
  }
  if (cls === -1) return own.startsWith('[]') ? 4 : QUICK_MIXED;
  if (own.includes('"state":"open"') || own.includes('"state":"applied"')) return QUICK_MIXED;
  return cls;
}

/**
 * A compact table's strings (`TenderTable.compact`, tender-parts.ts): the records' own text
 * (`pieces`, `chars` long, record i at `offsets[i]`) followed by one copy of each distinct gateway
 * (`gateways`: its offset within that tail, in insertion order). The gateway parts' offsets
 * (`gatewayParts`' entries of `gwStart`/`gwEnd`, counted from the tail) are moved past the records'
 * text, in place.
 */
export function compactStrings(
  pieces: string[],
  offsets: Uint32Array,
  chars: number,
  gateways: ReadonlyMap<string, number>,
  gatewayParts: readonly number[],
  gwStart: Uint32Array,
  gwEnd: Uint32Array,
): TextColumn {
  for (const k of gatewayParts) {
    gwStart[k] = gwStart[k]! + chars;
    gwEnd[k] = gwEnd[k]! + chars;
  }
  for (const gateway of gateways.keys()) pieces.push(gateway);
  return new TextColumn(pieces.join(''), offsets);
}
