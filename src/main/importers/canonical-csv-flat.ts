import fs from 'node:fs';
import type { Side } from '../../shared/model';
import { currencyExponent, isCurrencyCode } from '../../shared/money';
import type { FlatRowValues } from '../store/column-collector';
import { orderKeyOf } from '../store/order-key';
import {
  ByteDictionary,
  dateDay,
  flag,
  KINDS,
  plainAmount,
  READ,
  RECORD_TYPES,
  type ReadColumn,
  STATUSES,
  sameText,
  tooManyOddRows,
} from './canonical-csv-bytes';
import { CANONICAL_CSV_COLUMNS, CANONICAL_CSV_OPTIONAL_COLUMNS } from './canonical-csv-columns';

/**
 * The flattest canonical CSV — one row per refund, ASCII, no quotes, no lines, tenders, credit
 * detail, presentment or created-from — read byte by byte straight into the memory snapshot's
 * columns (`MemorySnapshotBuilder.addFlat`): no CSV batch, no field strings for the coded columns,
 * no refund object and no row array. This is the one-shot `reconcile` of a million flat refunds
 * (issue 15, docs/benchmarks/flat.md), where the generic reader's per-row objects were most of the
 * CPU time.
 *
 * Like canonical-csv-simple.ts it never words an error: at the first byte or value it is not sure
 * of it stops and returns false, having added nothing the caller keeps (the caller starts a new
 * builder), and the file is read by the next reader. What it accepts it turns into exactly what
 * the simple reader + `MemorySnapshotBuilder.add` store: test/unit/importers/canonical-csv-flat.test.ts.
 */

/** Bytes read per chunk; a row longer than this gives up (the generic readers take it). */
const CHUNK = 1 << 20;

const COMMA = 44;
const NEWLINE = 10;
const QUOTE = 34;
/** One row (with the header) read by the full importer into the same snapshot; false: give up. */
export type OddRow = (header: string, row: string) => Promise<boolean>;

/** A flat row's values: what the memory snapshot takes, and the date's text (the workspace import stores it). */
export interface FlatRefundValues extends FlatRowValues {
  /** The date as written (`YYYY-MM-DD`, a calendar date). */
  date: string;
}

/**
 * Reads `file` into `add` (one call per refund, the values object reused; when `add` returns a
 * promise the reader waits for it: the workspace import's back-pressure). Returns the source
 * rows read, or false when the file is not one this reader is sure of. A row of plain ASCII it
 * cannot take as flat (a tenders cell, a line, presentment money, another date form…) goes to
 * `odd`, which reads it with the full importer or answers false (then the reader gives up); a
 * file of many such rows is left to the other readers. `chunkBytes` is for tests (rows across
 * chunk ends); `onRead` hears the bytes read from the file so far.
 */
export async function readFlatCanonicalCsv(
  file: string,
  side: Side,
  add: (values: FlatRefundValues) => void | Promise<void>,
  odd?: OddRow,
  chunkBytes = CHUNK,
  onRead?: (bytesRead: number) => void,
): Promise<{ simple: true; rows: number } | { simple: false }> {
  const notFlat = { simple: false } as const;
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(chunkBytes);
    let filled = 0;
    let eof = false;
    let bytesRead = 0;
    const fill = (): void => {
      if (filled === buf.length) return;
      const got = fs.readSync(fd, buf, filled, buf.length - filled, null);
      if (got === 0) eof = true;
      filled += got;
      bytesRead += got;
      onRead?.(bytesRead);
    };

    // Header: known names only, each once, separated by commas, ending in \n.
    fill();
    const headerEnd = buf.indexOf(NEWLINE);
    if (headerEnd <= 0 || headerEnd >= filled) return notFlat;
    const headerText = buf.toString('latin1', 0, headerEnd);
    const names = headerText.split(',');
    const known = new Set<string>([...CANONICAL_CSV_COLUMNS, ...CANONICAL_CSV_OPTIONAL_COLUMNS]);
    if (new Set(names).size !== names.length || names.some((n) => !known.has(n))) return notFlat;
    for (const name of CANONICAL_CSV_COLUMNS) if (!names.includes(name)) return notFlat;
    for (let i = 0; i < headerEnd; i++) if (buf[i]! >= 0x80 || buf[i]! < 0x20) return notFlat;
    const width = names.length;
    const col = {} as Record<ReadColumn, number>;
    for (const name of READ) col[name] = names.indexOf(name);
    const readColumns = new Set<number>(Object.values(col));
    const mustBeEmpty = names.map((_, k) => !readColumns.has(k));

    const recordTypes = new ByteDictionary((v) => RECORD_TYPES.has(v));
    const currencies = new ByteDictionary(isCurrencyCode);
    const kinds = new ByteDictionary((v) => KINDS.has(v));
    const statuses = new ByteDictionary((v) => v === '' || STATUSES.has(v));
    const days = new Map<number, { day: number; text: string }>();
    const exponents = new Map<string, number>();

    const v: FlatRefundValues = {
      rowId: 0,
      id: '',
      documentNumber: '',
      recordType: '',
      orderRef: '',
      orderKey: '',
      day: 0,
      date: '',
      currency: '',
      total: 0,
      kind: '',
      externalId: '',
      memo: '',
      isTest: false,
      status: '',
      appliesTo: '',
      moneyMoved: true,
    };
    const starts = new Int32Array(width + 1);
    let lastOrderRef = '';
    let lastOrderKey = '';
    let rows = 0;
    let oddRows = 0;
    let pos = headerEnd + 1;
    const text = (k: number): string =>
      starts[k + 1]! - 1 === starts[k] ? '' : buf.toString('latin1', starts[k], starts[k + 1]! - 1);

    /** The row's values into `v` (its id is set): false when the row is not a flat one. */
    const flatValues = (): boolean => {
      for (let k = 0; k < width; k++) if (mustBeEmpty[k] && starts[k + 1]! - 1 !== starts[k]) return false;

      if (!sameText(side, buf, starts[col.side]!, starts[col.side + 1]! - 1)) return false;
      const docStart = starts[col.documentNumber]!;
      const docEnd = starts[col.documentNumber + 1]! - 1;
      v.documentNumber = sameText(v.id, buf, docStart, docEnd) ? v.id : text(col.documentNumber);
      const recordType = recordTypes.get(buf, starts[col.recordType]!, starts[col.recordType + 1]! - 1);
      if (recordType === null) return false;
      v.recordType = recordType;
      const refStart = starts[col.orderRef]!;
      const refEnd = starts[col.orderRef + 1]! - 1;
      if (!sameText(lastOrderRef, buf, refStart, refEnd) || rows === 1) {
        lastOrderRef = text(col.orderRef);
        lastOrderKey = orderKeyOf(lastOrderRef);
      }
      v.orderRef = lastOrderRef;
      v.orderKey = lastOrderKey;

      const day = dateDay(buf, starts[col.date]!, starts[col.date + 1]! - 1, days);
      if (day === null) return false;
      v.day = day.day;
      v.date = day.text;
      const currency = currencies.get(buf, starts[col.currency]!, starts[col.currency + 1]! - 1);
      if (currency === null) return false;
      v.currency = currency;
      let exponent = exponents.get(currency);
      if (exponent === undefined) {
        exponent = currencyExponent(currency);
        exponents.set(currency, exponent);
      }
      const total = plainAmount(buf, starts[col.total]!, starts[col.total + 1]! - 1, exponent);
      if (total < 0) return false;
      v.total = total;
      const kind = kinds.get(buf, starts[col.kind]!, starts[col.kind + 1]! - 1);
      if (kind === null) return false;
      v.kind = kind;
      v.externalId = text(col.externalId);
      v.memo = text(col.memo);
      const isTest = flag(buf, starts[col.isTest]!, starts[col.isTest + 1]! - 1, false);
      const moneyMoved = flag(buf, starts[col.moneyMoved]!, starts[col.moneyMoved + 1]! - 1, true);
      if (isTest === null || moneyMoved === null) return false;
      v.isTest = isTest;
      v.moneyMoved = moneyMoved;
      const status = statuses.get(buf, starts[col.status]!, starts[col.status + 1]! - 1);
      if (status === null) return false;
      v.status = status === '' ? 'ok' : status;
      v.appliesTo = text(col.appliesTo);
      return true;
    };

    for (;;) {
      // Find the row's end and its fields' starts; refuse quotes, control bytes and non-ASCII.
      let field = 0;
      starts[0] = pos;
      let i = pos;
      let end = -1;
      while (i < filled) {
        const b = buf[i]!;
        // Digits and letters (most bytes) are above the comma: one test each, then the rest.
        if (b > COMMA) {
          if (b >= 0x7f) return notFlat;
        } else if (b === COMMA) {
          if (++field >= width) return notFlat;
          starts[field] = i + 1;
        } else if (b === NEWLINE) {
          end = i;
          break;
        } else if (b < 0x20 || b === QUOTE) return notFlat;
        i++;
      }
      if (end < 0) {
        if (!eof) {
          // The row runs past the chunk: move it to the front and read on.
          if (pos === 0 && filled === buf.length) return notFlat;
          if (pos > 0) {
            buf.copy(buf, 0, pos, filled);
            filled -= pos;
            pos = 0;
          }
          fill();
          continue;
        }
        if (pos === filled) break; // the file ended with its last newline
        end = filled; // a last row without a newline
      }
      if (field !== width - 1) return notFlat;
      starts[width] = end + 1;
      rows++;
      const id = text(col.id);
      // A second row of the same refund (the full importer merges it): the other readers do that.
      if (id === '' || id === v.id) return notFlat;
      v.id = id;
      if (flatValues()) {
        const wait = add(v);
        if (wait) await wait;
      } else {
        if (!odd || tooManyOddRows(++oddRows, rows)) return notFlat;
        if (!(await odd(headerText, buf.toString('latin1', starts[0]!, end)))) return notFlat;
      }
      pos = end + 1;
      if (pos >= filled && eof) break;
    }
    return rows === 0 ? notFlat : { simple: true, rows };
  } finally {
    fs.closeSync(fd);
  }
}
