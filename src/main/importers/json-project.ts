import { MAX_JSON_DEPTH } from './json-stream';

/**
 * A projecting JSON parser over UTF-8 bytes, for the hot path of the byte-level NDJSON reader.
 *
 * `projectJson(buf, start, end, schema)` checks that buf[start, end) is exactly one JSON value
 * (RFC 8259 grammar, as strict as JSON.parse: control characters in strings, escapes, number
 * syntax, literals, trailing text) and returns it with only the object members the schema names;
 * every other member is checked and skipped without building anything. A kept member is built
 * exactly as JSON.parse builds it (the same strings, the same numbers — `Number()` of the same
 * literal —, the last of duplicate keys wins), so a mapper that reads only the schema's keys
 * gives the same result on the projection as on JSON.parse's value.
 *
 * Anything it does not handle — a syntax error, a key written with escapes, very deep nesting —
 * returns undefined: the caller then decodes the line and uses JSON.parse and its error
 * messages (line, column, expected vs found). The bytes must already be valid UTF-8.
 */

/** Which members to keep: a key maps to a nested schema (objects/arrays below it are projected), or to LEAF (kept whole). */
export type ProjectSchema = { readonly [key: string]: ProjectSchema | typeof LEAF };
export const LEAF = 0;

interface Compiled {
  /** Candidates by key byte length. */
  byLength: ({ bytes: Uint8Array; name: string; sub: Compiled | null }[] | undefined)[];
}

const compiledCache = new WeakMap<ProjectSchema, Compiled>();

function compile(schema: ProjectSchema): Compiled {
  let c = compiledCache.get(schema);
  if (c) return c;
  c = { byLength: [] };
  compiledCache.set(schema, c);
  for (const name of Object.keys(schema)) {
    const bytes = Buffer.from(name, 'utf8');
    const sub = schema[name]!;
    const entry = { bytes, name, sub: sub === LEAF ? null : compile(sub) };
    const list = c.byLength[bytes.length] ?? [];
    list.push(entry);
    c.byLength[bytes.length] = list;
  }
  return c;
}

/** Thrown (as this object) inside the walker to give up on the line. */
const BAIL = { bail: true };
// Deeper than the readers accept (json-stream.ts): such a line goes to the JSON.parse path, which refuses it with its position.
const MAX_DEPTH = MAX_JSON_DEPTH - 1;

let B: Buffer = Buffer.alloc(0);
let P = 0;
let E = 0;

function bail(): never {
  throw BAIL;
}

function ws(): void {
  while (P < E) {
    const c = B[P]!;
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) P++;
    else return;
  }
}

/** Hex digit check for \uXXXX. */
function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** Bytes that end a run of plain string content: control characters, '"', '\\', and (READ only) non-ASCII. */
const STOP_SKIP = new Uint8Array(256);
const STOP_READ = new Uint8Array(256);
for (let c = 0; c < 0x20; c++) STOP_SKIP[c] = STOP_READ[c] = 1;
STOP_SKIP[0x22] = STOP_READ[0x22] = 1;
STOP_SKIP[0x5c] = STOP_READ[0x5c] = 1;
for (let c = 0x80; c < 0x100; c++) STOP_READ[c] = 1;

/** After a backslash at j: checks the escape and returns the index after it. */
function escapeEnd(j: number): number {
  const e = B[j + 1];
  if (e === 0x75) {
    if (j + 6 > E || !isHex(B[j + 2]!) || !isHex(B[j + 3]!) || !isHex(B[j + 4]!) || !isHex(B[j + 5]!)) bail();
    return j + 6;
  }
  if (e === 0x22 || e === 0x5c || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
    return j + 2;
  }
  return bail();
}

/** At a '"': checks the string and moves past it. Returns 0 plain ASCII, bit 1 non-ASCII seen (READ only), bit 2 escapes. */
function scanString(stop: Uint8Array): number {
  let j = P + 1;
  let flags = 0;
  const b = B;
  const end = E;
  for (;;) {
    while (j < end && stop[b[j]!] === 0) j++;
    if (j >= end) bail();
    const c = b[j]!;
    if (c === 0x22) {
      P = j + 1;
      return flags;
    }
    if (c === 0x5c) {
      flags |= 2;
      j = escapeEnd(j);
      continue;
    }
    if (c < 0x20) bail();
    flags |= 1;
    j++;
  }
}

function skipString(): number {
  return scanString(STOP_SKIP);
}

const latin1 = (Buffer.prototype as unknown as { latin1Slice?: (s: number, e: number) => string }).latin1Slice;
const utf8 = (Buffer.prototype as unknown as { utf8Slice?: (s: number, e: number) => string }).utf8Slice;

function slice(encoding: 'latin1' | 'utf8', s: number, e: number): string {
  if (encoding === 'latin1') return latin1 ? latin1.call(B, s, e) : B.toString('latin1', s, e);
  return utf8 ? utf8.call(B, s, e) : B.toString('utf8', s, e);
}

function readString(): string {
  const s = P + 1;
  const flags = scanString(STOP_READ);
  const e = P - 1;
  if (flags & 2) return JSON.parse(slice('utf8', s - 1, e + 1)) as string;
  return slice(flags & 1 ? 'utf8' : 'latin1', s, e);
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

/** At '-' or a digit: checks the JSON number grammar and moves past it. */
function skipNumber(): void {
  const b = B;
  let j = P;
  if (b[j] === 0x2d) j++;
  if (j >= E) bail();
  if (b[j] === 0x30) j++;
  else if (isDigit(b[j])) {
    j++;
    while (j < E && isDigit(b[j])) j++;
  } else bail();
  if (j < E && b[j] === 0x2e) {
    j++;
    if (j >= E || !isDigit(b[j])) bail();
    while (j < E && isDigit(b[j])) j++;
  }
  if (j < E && (b[j] === 0x65 || b[j] === 0x45)) {
    j++;
    if (j < E && (b[j] === 0x2b || b[j] === 0x2d)) j++;
    if (j >= E || !isDigit(b[j])) bail();
    while (j < E && isDigit(b[j])) j++;
  }
  P = j;
}

function literal(word: string): void {
  if (P + word.length > E) bail();
  for (let k = 0; k < word.length; k++) if (B[P + k] !== word.charCodeAt(k)) bail();
  P += word.length;
}

/** Checks and skips any value. */
function skipValue(depth: number): void {
  if (P >= E) bail();
  const c = B[P]!;
  if (c === 0x22) {
    skipString();
    return;
  }
  if (c === 0x7b || c === 0x5b) {
    if (depth > MAX_DEPTH) bail();
    const close = c === 0x7b ? 0x7d : 0x5d;
    P++;
    ws();
    if (P < E && B[P] === close) {
      P++;
      return;
    }
    for (;;) {
      if (close === 0x7d) {
        if (P >= E || B[P] !== 0x22) bail();
        skipString();
        ws();
        if (P >= E || B[P] !== 0x3a) bail();
        P++;
        ws();
      }
      skipValue(depth + 1);
      ws();
      if (P >= E) bail();
      const d = B[P];
      if (d === 0x2c) {
        P++;
        ws();
        continue;
      }
      if (d === close) {
        P++;
        return;
      }
      bail();
    }
  }
  if (c === 0x2d || (c >= 0x30 && c <= 0x39)) skipNumber();
  else if (c === 0x74) literal('true');
  else if (c === 0x66) literal('false');
  else if (c === 0x6e) literal('null');
  else bail();
}

/** Reads any value fully (a kept LEAF member). */
function fullValue(depth: number): unknown {
  if (P >= E) bail();
  const c = B[P]!;
  if (c === 0x22) return readString();
  if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
    const s = P;
    skipNumber();
    // Small plain integers (ids, quantities) without building a string; Number() of the literal otherwise.
    const n = P - s;
    if (n <= 15) {
      let v = 0;
      let k = s;
      const neg = B[k] === 0x2d;
      if (neg) k++;
      for (; k < P; k++) {
        const d = B[k]! - 0x30;
        if (d < 0 || d > 9) break;
        v = v * 10 + d;
      }
      if (k === P && !(neg && v === 0)) return neg ? -v : v;
    }
    return Number(slice('latin1', s, P));
  }
  if (c === 0x74) {
    literal('true');
    return true;
  }
  if (c === 0x66) {
    literal('false');
    return false;
  }
  if (c === 0x6e) {
    literal('null');
    return null;
  }
  // An object or array kept whole: rare (a scalar was expected); let JSON.parse build it.
  const s = P;
  skipValue(depth);
  return JSON.parse(slice('utf8', s, P));
}

/** Reads a value, projecting objects (and the objects in arrays) through `schema`. */
function projectValue(schema: Compiled, depth: number): unknown {
  if (P >= E) bail();
  const c = B[P]!;
  if (depth > MAX_DEPTH) bail();
  if (c === 0x7b) return projectObject(schema, depth);
  if (c === 0x5b) {
    P++;
    ws();
    const out: unknown[] = [];
    if (P < E && B[P] === 0x5d) {
      P++;
      return out;
    }
    for (;;) {
      out.push(projectValue(schema, depth + 1));
      ws();
      if (P >= E) bail();
      const d = B[P];
      if (d === 0x2c) {
        P++;
        ws();
        continue;
      }
      if (d === 0x5d) {
        P++;
        return out;
      }
      bail();
    }
  }
  return fullValue(depth);
}

function projectObject(schema: Compiled, depth: number): Record<string, unknown> {
  // Members are assigned in file order, so the last of duplicate keys wins, as in JSON.parse.
  const out: Record<string, unknown> = {};
  const byLength = schema.byLength;
  const b = B;
  P++;
  ws();
  if (P < E && b[P] === 0x7d) {
    P++;
    return out;
  }
  for (;;) {
    if (P >= E || b[P] !== 0x22) bail();
    const ks = P + 1;
    const flags = skipString();
    const ke = P - 1;
    ws();
    if (P >= E || b[P] !== 0x3a) bail();
    P++;
    ws();
    // A key spelled with escapes might be one of ours under another length: leave it to JSON.parse.
    if (flags & 2) bail();
    const candidates = byLength[ke - ks];
    let entry: { bytes: Uint8Array; name: string; sub: Compiled | null } | undefined;
    if (candidates !== undefined) {
      for (let k = 0; k < candidates.length; k++) {
        const cand = candidates[k]!;
        const bytes = cand.bytes;
        let m = 0;
        while (m < bytes.length && b[ks + m] === bytes[m]) m++;
        if (m === bytes.length) {
          entry = cand;
          break;
        }
      }
    }
    if (entry === undefined) skipValue(depth + 1);
    else out[entry.name] = entry.sub === null ? fullValue(depth + 1) : projectValue(entry.sub, depth + 1);
    ws();
    if (P >= E) bail();
    const d = b[P];
    if (d === 0x2c) {
      P++;
      ws();
      continue;
    }
    if (d === 0x7d) {
      P++;
      return out;
    }
    bail();
  }
}

/**
 * The projection of the JSON value in buf[start, end), or undefined when the bytes are not one
 * valid JSON value or use something this walker leaves to JSON.parse.
 */
export function projectJson(
  buf: Buffer,
  start: number,
  end: number,
  schema: ProjectSchema,
): { value: unknown } | undefined {
  const compiled = compile(schema);
  B = buf;
  P = start;
  E = end;
  try {
    ws();
    const value = projectValue(compiled, 0);
    ws();
    if (P !== E) return undefined;
    return { value };
  } catch (error) {
    if (error === BAIL) return undefined;
    if (error instanceof SyntaxError || error instanceof RangeError) return undefined;
    throw error;
  } finally {
    B = EMPTY;
  }
}

const EMPTY = Buffer.alloc(0);

// ---------------------------------------------------------------------------------------------
// The same checks for the byte readers beside this one (shopify-rest-bytes.ts), which walk a line
// themselves: they open the cursor on a line, call these, and give up by throwing JSON_BAIL.

export { BAIL as JSON_BAIL, bail as jsonBail };

/** Points the scanner at buf[start, end). Close it when done (the buffer is not kept). */
export function cursorOpen(buf: Buffer, start: number, end: number): void {
  B = buf;
  P = start;
  E = end;
}

export function cursorClose(): void {
  B = EMPTY;
}

/** The scanner's position. */
export function cursorAt(): number {
  return P;
}

/** The end of the range the scanner reads. */
export function cursorEnd(): number {
  return E;
}

/** Moves the scanner to `p` (a position it has been at before). */
export function cursorSeek(p: number): void {
  P = p;
}

/** The byte at the scanner's position (undefined at the end of the range). */
export function cursorByte(): number | undefined {
  return P < E ? B[P] : undefined;
}

/** After white space, the byte at the position must be `byte`: moves past it (else gives up). */
export function cursorExpect(byte: number): void {
  ws();
  if (P >= E || B[P] !== byte) bail();
  P++;
}

/** At a '"': checks the key or string and moves past it; returns scanString's flags (bit 2: escapes). */
export function cursorSkipString(): number {
  return skipString();
}

export { fullValue as cursorScalar, readString as cursorString, skipValue as cursorSkipValue, ws as cursorWs };
