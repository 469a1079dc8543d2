import { UserError } from '../../shared/errors';
import type { TextSource } from './source';

/**
 * Streaming JSON reading in constant memory. Two modes:
 *
 * - lines (JSON Lines / NDJSON): the first line is a complete JSON value, so every non-empty line
 *   is parsed on its own. Fast: one JSON.parse per line.
 * - scanner: a small state machine walks the text and cuts out one value at a time: the elements
 *   of a top-level array; the elements of a wrapper object's array when it is the object's first
 *   member (`{"orders":[…]}`, `{"data":[…]}`, `{"refunds":[…]}`); or a whole top-level object.
 *   Each piece is handed to JSON.parse, so memory holds one element, never the file.
 *
 * Syntax errors name the line and column in the file.
 */

export interface JsonItem {
  value: unknown;
  /** The wrapper member the item came from ('orders', 'data', …), '[]' for a top-level array element, null for a whole top-level value. */
  key: string | null;
  line: number;
  column: number;
}

export interface ReadJsonOptions {
  /** First-member keys whose array elements are emitted one by one. */
  containerKeys?: readonly string[];
  /** Called with the number of values read so far (not on every value). */
  onValue?: (count: number) => void;
}

/**
 * The deepest nesting any supported JSON format has is about a dozen levels (a Shopify order's
 * refund → refund line → line item → tax line → price set → money). A value nested deeper than
 * this is refused with its line and column before anything walks it: deep enough recursion in a
 * mapper, in zod or in JSON.stringify would otherwise end in a stack overflow.
 */
export const MAX_JSON_DEPTH = 64;

function tooDeep(file: string, line: number, column: number): UserError {
  return new UserError(
    'json_too_deep',
    `JSON nested too deeply at line ${line}, column ${column}: more than ${MAX_JSON_DEPTH} levels of arrays and objects, which no supported export has. Check that this is the right file, or export it again.`,
    { file, line, column: String(column) },
  );
}

/**
 * The offset of the first '{' or '[' that opens level MAX_JSON_DEPTH + 1 in `text`, or -1.
 * Strings are stepped over; the text need not be valid JSON (JSON.parse judges that).
 */
export function excessDepthOffset(text: string): number {
  // Fast exit (the usual case): with at most MAX_JSON_DEPTH opening brackets in all, no value can
  // be nested deeper. indexOf jumps from bracket to bracket; a typical line has a handful.
  let opening = 0;
  for (let i = text.indexOf('{'); i >= 0 && opening <= MAX_JSON_DEPTH; i = text.indexOf('{', i + 1)) opening++;
  for (let i = text.indexOf('['); i >= 0 && opening <= MAX_JSON_DEPTH; i = text.indexOf('[', i + 1)) opening++;
  if (opening <= MAX_JSON_DEPTH) return -1;
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // Step to the closing quote: one not preceded by an odd run of backslashes.
      let q = i;
      for (;;) {
        q = text.indexOf('"', q + 1);
        if (q < 0) return -1;
        let b = q - 1;
        while (text.charCodeAt(b) === 92) b--;
        if ((q - 1 - b) % 2 === 0) break;
      }
      i = q;
    } else if (c === 123 || c === 91) {
      if (++depth > MAX_JSON_DEPTH) return i;
    } else if (c === 125 || c === 93) depth--;
  }
  return -1;
}

/** For whole small JSON files (mappings, option files): refuses nesting past the limit, with its position. */
export function refuseDeepJson(file: string, text: string): void {
  const offset = excessDepthOffset(text);
  if (offset < 0) return;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  throw tooDeep(file, line, offset - lineStart + 1);
}

/** Finds the first syntax error in a JSON text: offset and what was expected (slow path only). */
export function locateJsonError(text: string): { offset: number; message: string } {
  let i = 0;
  const n = text.length;
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  class Fail extends Error {
    constructor(
      readonly offset: number,
      readonly why: string,
    ) {
      super(why);
    }
  }
  const found = (): string => (i >= n ? 'the end of the file' : JSON.stringify(text.slice(i, i + 12)));
  const fail = (expected: string): never => {
    throw new Fail(i, `expected ${expected}, found ${found()}`);
  };
  const string = (): void => {
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return;
      }
      if (c === 92) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            i++;
            fail('four hex digits after \\u');
          }
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else {
          i++;
          fail('a valid escaped (\\", \\\\, \\n, \\uXXXX …)');
        }
        continue;
      }
      if (c < 32) fail('a closing quote before the end of the line (control characters must be escaped)');
      i++;
    }
    fail('a closing quote');
  };
  const value = (depth: number): void => {
    if (depth > 200) fail('less deeply nested data');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('a property name in double quotes');
        string();
        ws();
        if (text[i] !== ':') fail("':' after the property name");
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail("',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail("',' or ']'");
      }
    }
    if (c === '"') {
      string();
      return;
    }
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (m && m[0].length > 0 && c !== undefined && /[-\d]/.test(c)) {
      i += m[0].length;
      return;
    }
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    fail('a JSON value (object, array, string, number, true, false or null)');
  };
  try {
    value(0);
    ws();
    if (i < n) fail('the end of the value');
    return { offset: -1, message: 'no error' };
  } catch (error) {
    if (error instanceof Fail) return { offset: error.offset, message: error.why };
    throw error;
  }
}

/** Line and column (1-based) of an offset in `text`, given where `text` starts. */
function position(text: string, offset: number, line: number, column: number): { line: number; column: number } {
  let l = line;
  let c = column;
  for (let k = 0; k < offset && k < text.length; k++) {
    if (text.charCodeAt(k) === 10) {
      l++;
      c = 1;
    } else c++;
  }
  return { line: l, column: c };
}

function syntaxError(file: string, text: string, line: number, column: number, atEof: boolean): UserError {
  const { offset, message } = locateJsonError(text);
  const at = position(text, offset < 0 ? text.length : offset, line, column);
  const truncated = atEof && offset >= text.trimEnd().length;
  const advice = truncated
    ? 'The file ends in the middle of a JSON value: it looks truncated. Export or download it again.'
    : 'Fix the file or export it again; JSON files must be exported unmodified.';
  return new UserError(
    truncated ? 'truncated_file' : 'json_syntax',
    `JSON syntax error at line ${at.line}, column ${at.column}: ${message}. ${advice}`,
    { file, line: at.line, column: String(at.column) },
  );
}

function parseAt(file: string, text: string, line: number, column: number, atEof: boolean): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw syntaxError(file, text, line, column, atEof);
  }
}

/** Decides between lines mode and scanner mode from the first chunk. */
export function looksLikeJsonLines(first: string): boolean {
  const newline = first.indexOf('\n');
  if (newline < 0) return false;
  const line = first.slice(0, newline).trim();
  if (line === '' || (line[0] !== '{' && line[0] !== '[')) return false;
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

export async function* readJson(source: TextSource, options: ReadJsonOptions = {}): AsyncGenerator<JsonItem> {
  const chunks = source.chunks();
  // Collect at least a first line (or 64 KB) to choose the mode.
  const buffered: string[] = [];
  let head = '';
  for (;;) {
    const next = await chunks.next();
    if (next.done) break;
    buffered.push(next.value);
    head += next.value;
    if (head.indexOf('\n') >= 0 || head.length >= 65536) break;
  }
  if (head.trim() === '') {
    throw new UserError('empty_file', 'The file has no JSON in it (only blank space). Export it again.', {
      file: source.name,
      line: 1,
    });
  }
  async function* all(): AsyncGenerator<string> {
    yield* buffered;
    for (;;) {
      const next = await chunks.next();
      if (next.done) return;
      yield next.value;
    }
  }
  if (looksLikeJsonLines(head)) yield* readLines(source.name, all(), options);
  else yield* scan(source.name, all(), options);
}

/**
 * One JSON Lines line (without its LF): the parsed value, or undefined for a blank line. Syntax
 * errors name the line and column ("truncated" when the last line is cut).
 */
export function parseJsonLine(file: string, raw: string, line: number, atEof: boolean): { value: unknown } | undefined {
  const text = raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
  if (text.trim() === '') return undefined;
  const deep = excessDepthOffset(text);
  if (deep >= 0) throw tooDeep(file, line, deep + 1);
  return { value: parseAt(file, text, line, 1, atEof) };
}

async function* readLines(
  file: string,
  chunks: AsyncIterable<string>,
  options: ReadJsonOptions,
): AsyncGenerator<JsonItem> {
  let rest = '';
  let line = 0;
  let count = 0;
  const emit = (raw: string, atEof: boolean): JsonItem | undefined => {
    line++;
    const parsed = parseJsonLine(file, raw, line, atEof);
    if (!parsed) return undefined;
    count++;
    if (options.onValue && count % 10000 === 0) options.onValue(count);
    return { value: parsed.value, key: null, line, column: 1 };
  };
  for await (const chunk of chunks) {
    let text = rest + chunk;
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      const item = emit(text.slice(start, nl), false);
      if (item) yield item;
      start = nl + 1;
    }
    rest = text.slice(start);
    text = '';
  }
  if (rest !== '') {
    const item = emit(rest, true);
    if (item) yield item;
  }
  options.onValue?.(count);
}

enum Frame {
  /** Inside an array whose elements are emitted. */
  Array = 1,
  /** Inside a wrapper object whose first member was a container array. */
  Object = 2,
}

const WS = new Uint8Array(128);
WS[32] = 1;
WS[9] = 1;
WS[10] = 1;
WS[13] = 1;

async function* scan(file: string, chunks: AsyncIterable<string>, options: ReadJsonOptions): AsyncGenerator<JsonItem> {
  const containerKeys = new Set(options.containerKeys ?? []);
  let line = 1;
  let lineStart = 0; // offset in the current chunk where the current line began (may be negative)
  let count = 0;

  // Shallow structure.
  const frames: { kind: Frame; key: string; state: number; memberKey: string }[] = [];
  // Array states: 0 = expect value or ']', 1 = expect value, 2 = expect ',' or ']'.
  // Object states: 0 = expect ',' or '}', 1 = expect key, 2 = in key, 3 = expect ':', 4 = expect value.

  // Capture of one value.
  let capturing = false;
  type CapKind = 'container' | 'string' | 'scalar';
  let capKind: CapKind = 'container' as CapKind;
  let capDepth = 0;
  let capParts: string[] = [];
  let capStart = 0;
  let capLine = 0;
  let capColumn = 0;
  let capKey: string | null = null;
  let inString = false;
  let escaped = false;
  // First-key detection for a captured top-level object: 0 wait key, 1 in key, 2 wait ':', 3 wait value, 4 done.
  let fk = 4;
  let fkKey = '';
  let keyBuf = '';

  let chunk = '';
  let pending: JsonItem[] = [];

  const where = (i: number) => ({ line, column: i - lineStart + 1 });
  const unexpected = (i: number, expected: string): UserError => {
    const at = where(i);
    return new UserError(
      'json_syntax',
      `JSON syntax error at line ${at.line}, column ${at.column}: expected ${expected}, found ${JSON.stringify(chunk.slice(i, i + 12))}. Fix the file or export it again.`,
      { file, line: at.line, column: String(at.column) },
    );
  };

  const startCapture = (i: number, key: string | null, topObject: boolean): void => {
    capturing = true;
    const c = chunk.charCodeAt(i);
    capKind = c === 123 || c === 91 ? 'container' : c === 34 ? 'string' : 'scalar';
    capDepth = capKind === 'container' ? 1 : 0;
    inString = capKind === 'string';
    escaped = false;
    capParts = [];
    capStart = i;
    const at = where(i);
    capLine = at.line;
    capColumn = at.column;
    capKey = key;
    fk = topObject && containerKeys.size > 0 ? 0 : 4;
  };

  const finishCapture = (end: number, atEof: boolean): void => {
    capParts.push(chunk.slice(capStart, end));
    const text = capParts.length === 1 ? capParts[0]! : capParts.join('');
    capParts = [];
    capturing = false;
    const value = parseAt(file, text, capLine, capColumn, atEof);
    count++;
    if (options.onValue && count % 10000 === 0) options.onValue(count);
    pending.push({ value, key: capKey, line: capLine, column: capColumn });
    const top = frames.at(-1);
    if (top) {
      if (top.kind === Frame.Array) top.state = 2;
      else top.state = 0;
    }
  };

  for await (const next of chunks) {
    chunk = next;
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      if (capturing) {
        if (inString) {
          // Jump to the next quote, stepping over escapes.
          if (escaped) {
            escaped = false;
            i++;
            continue;
          }
          const q = chunk.indexOf('"', i);
          const b = chunk.indexOf('\\', i);
          if (b >= 0 && (q < 0 || b < q)) {
            if (fk === 1) keyBuf += chunk.slice(i, b + 2);
            i = b + 1;
            escaped = true;
            continue;
          }
          if (q < 0) {
            if (fk === 1) keyBuf += chunk.slice(i);
            i = n;
            break;
          }
          if (fk === 1) {
            keyBuf += chunk.slice(i, q);
            fk = 2;
            fkKey = keyBuf;
          }
          inString = false;
          i = q + 1;
          if (capKind === 'string') {
            finishCapture(i, false);
          }
          continue;
        }
        const c = chunk.charCodeAt(i);
        if (capKind === 'scalar') {
          if (c === 44 || c === 125 || c === 93 || (c < 128 && WS[c] === 1)) {
            finishCapture(i, false);
            continue; // the delimiter is handled by the frame
          }
          i++;
          continue;
        }
        if (c === 34) {
          inString = true;
          if (fk === 0 && capDepth === 1) {
            fk = 1;
            keyBuf = '';
          }
          i++;
          continue;
        }
        if (c === 10) {
          line++;
          lineStart = i + 1;
          i++;
          continue;
        }
        if (c === 123 || c === 91) {
          if (fk === 3) {
            if (c === 91 && capDepth === 1 && containerKeys.has(fkKey)) {
              // A wrapper: emit the array's elements one by one instead of the whole object.
              capturing = false;
              capParts = [];
              fk = 4;
              frames.push({ kind: Frame.Object, key: '', state: 0, memberKey: fkKey });
              frames.push({ kind: Frame.Array, key: fkKey, state: 0, memberKey: '' });
              i++;
              continue;
            }
            fk = 4;
          }
          capDepth++;
          if (capDepth + frames.length > MAX_JSON_DEPTH) {
            const at = where(i);
            throw tooDeep(file, at.line, at.column);
          }
          i++;
          continue;
        }
        if (c === 125 || c === 93) {
          capDepth--;
          i++;
          if (capDepth === 0) finishCapture(i, false);
          continue;
        }
        if (fk === 2 && c === 58) fk = 3;
        else if (fk === 3 && !(c < 128 && WS[c] === 1)) fk = 4;
        i++;
        continue;
      }
      // Outside a capture: shallow structure only.
      const c = chunk.charCodeAt(i);
      if (c < 128 && WS[c] === 1) {
        if (c === 10) {
          line++;
          lineStart = i + 1;
        }
        i++;
        continue;
      }
      const frame = frames.at(-1);
      if (!frame) {
        if (c === 91) {
          frames.push({ kind: Frame.Array, key: '[]', state: 0, memberKey: '' });
          i++;
          continue;
        }
        if (c === 123) {
          startCapture(i, null, true);
          i++;
          continue;
        }
        throw unexpected(i, 'a JSON object or array');
      }
      if (frame.kind === Frame.Array) {
        if (c === 93 && frame.state !== 1) {
          frames.pop();
          const parent = frames.at(-1);
          if (parent) parent.state = 0;
          i++;
          continue;
        }
        if (c === 44 && frame.state === 2) {
          frame.state = 1;
          i++;
          continue;
        }
        if (frame.state === 2) throw unexpected(i, "',' or ']'");
        startCapture(i, frame.key, false);
        if (capKind !== 'scalar') i++;
        continue;
      }
      // Wrapper object members after the container array.
      if (frame.state === 0) {
        if (c === 125) {
          frames.pop();
          i++;
          continue;
        }
        if (c === 44) {
          frame.state = 1;
          i++;
          continue;
        }
        throw unexpected(i, "',' or '}'");
      }
      if (frame.state === 1) {
        if (c !== 34) throw unexpected(i, 'a property name in double quotes');
        const q = chunk.indexOf('"', i + 1);
        if (q < 0) throw unexpected(i, 'a property name on one line');
        frame.memberKey = chunk.slice(i + 1, q);
        frame.state = 3;
        i = q + 1;
        continue;
      }
      if (frame.state === 3) {
        if (c !== 58) throw unexpected(i, "':'");
        frame.state = 4;
        i++;
        continue;
      }
      // state 4: a member value
      if (c === 91 && containerKeys.has(frame.memberKey)) {
        frames.push({ kind: Frame.Array, key: frame.memberKey, state: 0, memberKey: '' });
        i++;
        continue;
      }
      startCapture(i, `.${frame.memberKey}`, false);
      if (capKind !== 'scalar') i++;
    }
    if (capturing) {
      capParts.push(chunk.slice(capStart));
      capStart = 0;
    }
    lineStart -= n;
    if (pending.length > 0) {
      const out = pending;
      pending = [];
      yield* out;
    }
  }
  // End of file.
  if (capturing && capKind === 'scalar') {
    chunk = '';
    finishCapture(0, true);
  }
  if (capturing) {
    const text = capParts.join('');
    throw syntaxError(file, text, capLine, capColumn, true);
  }
  if (frames.length > 0) {
    throw new UserError(
      'truncated_file',
      `The file ends at line ${line} before its JSON ${frames.at(-1)?.kind === Frame.Array ? 'array' : 'object'} is closed: it looks truncated. Export or download it again.`,
      { file, line },
    );
  }
  if (pending.length > 0) yield* pending;
  options.onValue?.(count);
}
