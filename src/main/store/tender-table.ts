import type { Tender, TenderKind, TenderState } from '../../shared/model';
import type { TextColumn } from './match-cache';

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

const KINDS: readonly TenderKind[] = ['card', 'cash', 'store_credit', 'gift_card', 'exchange', 'other'];
const STATES: readonly TenderState[] = ['settled', 'paid_out', 'applied', 'open'];
/** Quick class of each kind code (KINDS order). */
const KIND_CLASS = [0, 0, 1, 1, 2, 3];
const STATE_OPEN = 3;
const STATE_APPLIED = 2;
/** The keys in the order `tendersText` writes them (the Tender schema's order). */
const KEYS = ['kind', 'gateway', 'amount', 'presentmentAmount', 'state', 'ref'] as const;

/** Record flags. */
const DEFAULT = 0; // no text: the default tenders (parseTenders' fallback)
const LISTED = 1; // parts in the typed columns
const IRREGULAR = 2; // text kept for JSON.parse

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

/** Reads one record's text; returns false (and leaves no parts) when it is not in the regular shape. */
class Scanner {
  at = 0;
  constructor(
    readonly text: string,
    readonly parts: Growing,
  ) {}
  private eat(code: number): boolean {
    if (this.text.charCodeAt(this.at) !== code) return false;
    this.at++;
    return true;
  }
  /** A string without escapes: its [start, end) in the text, or -1. */
  private plainString(end: number): number {
    const t = this.text;
    if (t.charCodeAt(this.at) !== 34) return -1;
    const start = this.at + 1;
    let k = start;
    for (; k < end; k++) {
      const c = t.charCodeAt(k);
      if (c === 34) break;
      if (c === 92 || c < 32) return -1; // escapes and control characters: the JSON.parse path
    }
    if (k >= end) return -1;
    this.at = k + 1;
    return start;
  }
  private key(name: string, end: number): boolean {
    const start = this.plainString(end);
    if (start < 0) return false;
    if (this.at - 1 - start !== name.length || !this.text.startsWith(name, start)) return false;
    return this.eat(58);
  }
  /** An enum value: its index in `names`, or -1. */
  private oneOf(names: readonly string[], end: number): number {
    const start = this.plainString(end);
    if (start < 0) return -1;
    const len = this.at - 1 - start;
    for (let i = 0; i < names.length; i++) {
      const n = names[i]!;
      if (n.length === len && this.text.startsWith(n, start)) return i;
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
    if (!plain || digits > 15) return Number(t.slice(start, k));
    return t.charCodeAt(start) === 45 ? -value : value;
  }
  private isNull(end: number): boolean {
    if (this.at + 4 <= end && this.text.startsWith('null', this.at)) {
      this.at += 4;
      return true;
    }
    return false;
  }
  /** One record's text [start, end) into `parts`; false when not regular (parts rolled back). */
  record(start: number, end: number): boolean {
    const p = this.parts;
    const first = p.length;
    this.at = start;
    if (!this.eat(91)) return false;
    if (this.eat(93)) return this.end(end);
    for (;;) {
      if (!this.eat(123)) return this.fail(first);
      p.ensure();
      const i = p.length;
      if (!this.key(KEYS[0], end)) return this.fail(first);
      const kind = this.oneOf(KINDS, end);
      if (kind < 0 || !this.eat(44) || !this.key(KEYS[1], end)) return this.fail(first);
      const gw = this.plainString(end);
      if (gw < 0) return this.fail(first);
      p.gwStart[i] = gw;
      p.gwEnd[i] = this.at - 1;
      if (!this.eat(44) || !this.key(KEYS[2], end)) return this.fail(first);
      const amount = this.number(end);
      if (amount === undefined || !this.eat(44) || !this.key(KEYS[3], end)) return this.fail(first);
      let presentment: number | undefined = Number.NaN;
      if (!this.isNull(end)) {
        presentment = this.number(end);
        if (presentment === undefined) return this.fail(first);
      }
      if (!this.eat(44) || !this.key(KEYS[4], end)) return this.fail(first);
      const state = this.oneOf(STATES, end);
      if (state < 0 || !this.eat(44) || !this.key(KEYS[5], end)) return this.fail(first);
      const ref = this.plainString(end);
      if (ref < 0) return this.fail(first);
      p.refStart[i] = ref;
      p.refEnd[i] = this.at - 1;
      if (!this.eat(125)) return this.fail(first);
      p.kind[i] = kind;
      p.state[i] = state;
      p.amount[i] = amount;
      p.presentment[i] = presentment;
      p.length = i + 1;
      if (this.eat(93)) return this.end(end) || this.fail(first);
      if (!this.eat(44)) return this.fail(first);
    }
  }
  private end(end: number): boolean {
    return this.at === end;
  }
  private fail(first: number): boolean {
    this.parts.length = first;
    return false;
  }
}

export class TenderTable {
  private constructor(
    private readonly text: string,
    /** Record i's parts: [first[i], first[i + 1]). */
    private readonly first: Uint32Array,
    private readonly flags: Uint8Array,
    /** Per record: the quick class its text gives (tender-check.ts `quickClassOfText`). */
    readonly quick: Int8Array,
    private readonly parts: Growing,
    /** Text of irregular records, by record index. */
    private readonly irregular: Map<number, string>,
  ) {}

  /** The typed columns of a tenders text column ('' = the default tenders). */
  static fromText(column: TextColumn): TenderTable {
    const n = column.length;
    const { text, offsets } = column;
    const first = new Uint32Array(n + 1);
    const flags = new Uint8Array(n);
    const quick = new Int8Array(n);
    const parts = new Growing(Math.max(16, n));
    const irregular = new Map<number, string>();
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
        quick[i] = quickOfParts(parts, first[i]!, parts.length);
      } else {
        flags[i] = IRREGULAR;
        const own = text.substring(start, end);
        irregular.set(i, own);
        quick[i] = quickOfIrregular(own);
      }
    }
    first[n] = parts.length;
    return new TenderTable(text, first, flags, quick, parts, irregular);
  }

  /**
   * Record i's tenders, as `parseTenders` of its text gives them: the parts, the parsed irregular
   * text, or null for the default (the caller derives it from the record's type and total).
   */
  tenders(i: number): Tender[] | null {
    const f = this.flags[i]!;
    if (f === DEFAULT) return null;
    if (f === IRREGULAR) {
      try {
        const v = JSON.parse(this.irregular.get(i)!) as Tender[];
        return Array.isArray(v) ? v : null;
      } catch {
        return null;
      }
    }
    const p = this.parts;
    const t = this.text;
    const out: Tender[] = [];
    for (let k = this.first[i]!; k < this.first[i + 1]!; k++) {
      const pres = p.presentment[k]!;
      out.push({
        kind: KINDS[p.kind[k]!]!,
        gateway: t.substring(p.gwStart[k]!, p.gwEnd[k]!),
        amount: p.amount[k]!,
        presentmentAmount: Number.isNaN(pres) ? null : pres,
        state: STATES[p.state[k]!]!,
        ref: t.substring(p.refStart[k]!, p.refEnd[k]!),
      });
    }
    return out;
  }
}

function quickOfParts(p: Growing, from: number, to: number): number {
  if (from === to) return 4;
  let cls = -1;
  let openOrApplied = false;
  for (let k = from; k < to; k++) {
    const c = KIND_CLASS[p.kind[k]!]!;
    if (cls === -1) cls = c;
    else if (c !== cls) return QUICK_MIXED;
    const s = p.state[k]!;
    if (s === STATE_OPEN || s === STATE_APPLIED) openOrApplied = true;
  }
  return openOrApplied ? QUICK_MIXED : cls;
}

/** tender-check.ts `quickClassOfText` on one record's own text (kept here: the store may not import reconcile). */
function quickOfIrregular(own: string): number {
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
