import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalCsvHeader, canonicalCsvRows } from '../../../src/main/importers/canonical-csv';
import { importFile } from '../../../src/main/importers/import-file';
import type { Db } from '../../../src/main/store/open';
import { readSnapshotRefunds } from '../../../src/main/store/refunds';
import { isCalendarDate, validYmd } from '../../../src/shared/calendar-date';
import type { ImportFormat } from '../../../src/shared/contract/snapshot';
import { UserError } from '../../../src/shared/errors';
import { CanonicalRefund, type Side } from '../../../src/shared/model';
import { fixture, memoryDb } from './helpers';

/**
 * The generated-input fuzz test of issue 17, per importer: deep nesting (I1), huge numbers (I2),
 * impossible dates (I3), special files (I4) and NUL bytes (I5), each applied to a valid export of
 * that format. importFile is the function the CLI's `import` and `reconcile` call: its only
 * failure is a UserError naming the file and where in it (the CLI prints it and exits 2); any
 * other error would be exit 70. The few spawned-CLI cases are in test/integration/importers/hostile-cli.test.ts.
 */

interface Base {
  format: ImportFormat;
  side: Side;
  name: string;
  text: string;
  json: boolean;
  currency?: string;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostile-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const BASES: Base[] = [];
function base(format: ImportFormat, side: Side, file: string, currency?: string): void {
  const text = fs.readFileSync(fixture(file), 'utf8');
  BASES.push({ format, side, name: file, text, json: !file.endsWith('.csv'), ...(currency ? { currency } : {}) });
}
base('shopify-json', 'storefront', 'shopify-orders.json');
base('shopify-json', 'storefront', 'shopify-refunds.json');
base('shopify-jsonl', 'storefront', 'shopify-bulk.jsonl');
base('shopify-csv', 'storefront', 'shopify-orders-export.csv');
base('bigcommerce-json', 'storefront', 'bigcommerce-refunds.json', 'USD');
base('woocommerce-json', 'storefront', 'woocommerce-refunds.json', 'USD');
base('woocommerce-json', 'storefront', 'woocommerce-orders.json');
base('saved-search-csv', 'netsuite', 'netsuite-saved-search.csv');
base('suiteql-json', 'netsuite', 'netsuite-suiteql.json');
base('record-json', 'netsuite', 'netsuite-records.json');

// The canonical formats: this app's own files (its model, as the writer of canonical-csv.ts writes it).
const CANONICAL = [1, 2, 3].map((i) =>
  CanonicalRefund.parse({
    side: 'storefront',
    id: `R${i}`,
    recordType: 'refund',
    orderRef: `#100${i}`,
    date: `2026-01-1${i}`,
    currency: 'USD',
    total: 1000 + i,
    shipping: 100,
    kind: 'line_item',
    memo: `refund ${i}`,
    lines: [
      { sku: `SKU-${i}`, quantity: i, amount: 900 + i },
      { sku: '', description: 'Shipping', quantity: 0, amount: 100, role: 'shipping' },
    ],
  }),
);
BASES.push({
  format: 'canonical-json',
  side: 'storefront',
  name: 'canonical.json',
  text: JSON.stringify({ refunds: CANONICAL }, null, 2),
  json: true,
});
BASES.push({
  format: 'canonical-csv',
  side: 'storefront',
  name: 'canonical.csv',
  text: canonicalCsvHeader() + CANONICAL.map(canonicalCsvRows).join(''),
  json: false,
});

beforeAll(async () => {
  // Every base imports cleanly as it is.
  for (const b of BASES) {
    const result = await run(b, b.text, memoryDb());
    expect(result, `${b.name} should import`).toBe('ok');
  }
});

let fileNo = 0;
function write(b: Base, text: string | Buffer): string {
  const file = path.join(dir, `${++fileNo}-${b.name}`);
  fs.writeFileSync(file, text);
  return file;
}

/** 'ok', or the UserError; anything else fails the test (it would be a crash, exit 70). */
async function run(b: Base, text: string | Buffer, db: Db, detect = false): Promise<'ok' | UserError> {
  const file = write(b, text);
  try {
    const result = await importFile(db, {
      file,
      side: b.side,
      ...(detect ? {} : { format: b.format }),
      ...(b.currency ? { currency: b.currency } : {}),
      allowDuplicate: true,
    });
    const refunds = readSnapshotRefunds(db, result.snapshotId);
    for (const r of refunds) {
      expect(isCalendarDate(r.date), `stored date ${r.date}`).toBe(true);
      for (const v of [r.total, r.shipping, r.tax, r.adjustment]) expect(Number.isSafeInteger(v)).toBe(true);
      for (const l of r.lines) {
        for (const v of [l.quantity, l.amount, l.tax]) expect(Number.isSafeInteger(v), `line value ${v}`).toBe(true);
      }
    }
    return 'ok';
  } catch (error) {
    if (error instanceof UserError) {
      expect(error.location?.file, `${error.code}: ${error.message}`).toBe(path.basename(file));
      return error;
    }
    throw new Error(
      `${b.name} (${b.format}): not a UserError: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  }
}

/** A refusal that says where: a line (and column or field) in the file. */
function expectLocated(result: 'ok' | UserError, what: string): void {
  if (result === 'ok') return;
  expect(result.location?.line, `${what}: ${result.code} ${result.message}`).toBeTypeOf('number');
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Offsets of each '{' of the text (the fixtures hold no braces inside strings). */
function objectStarts(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) if (text[i] === '{') out.push(i);
  return out;
}

const HUGE = [
  '1e20',
  '99999999999999999999',
  '9007199254740993',
  '9007199254740994',
  '-9007199254740994',
  '1e308',
  '1e400',
  '123456789012345678901234567890',
  '4.5e15',
];

/** Numbers written in the file: JSON number literals, or CSV cells that are numbers. */
function numberSpans(b: Base): { start: number; end: number }[] {
  const re = b.json ? /(?<=[:[,]\s*)-?\d+(\.\d+)?(?=\s*[,\]}])/g : /(?<=[,\n])-?\(?\d+(\.\d+)?\)?(?=[,\r\n])/g;
  return [...b.text.matchAll(re)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
}

function dateSpans(b: Base): { start: number; end: number; iso: boolean }[] {
  return [...b.text.matchAll(/\d{4}-\d{2}-\d{2}|\d{1,2}\/\d{1,2}\/\d{4}/g)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
    iso: m[0][4] === '-',
  }));
}

const impossible = fc
  .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }))
  .filter(([y, m, d]) => !validYmd(y, m, d));

const RUNS = 12;

describe.each(BASES.map((b) => [b.name, b] as const))('importer fuzz: %s', (_name, b) => {
  it('I1: nesting deeper than any export is refused with its line and column', async () => {
    const db = memoryDb();
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.integer({ min: 65, max: 6000 }), async (pick, depth) => {
        if (!b.json) {
          // A CSV cell of brackets is text, not nesting: still imported or refused with a location.
          const cell = `"${'['.repeat(depth)}"`;
          const text = b.text.replace(/\n([^,\n]*),/, `\n${cell},`);
          expectLocated(await run(b, text, db), 'brackets in a CSV cell');
          return;
        }
        const starts = objectStarts(b.text);
        const at = starts[pick % starts.length]! + 1;
        const text = `${b.text.slice(0, at)}"zz":${'['.repeat(depth)}${']'.repeat(depth)},${b.text.slice(at)}`;
        const result = await run(b, text, db);
        expect(result).not.toBe('ok');
        const error = result as UserError;
        expect(error.code, error.message).toBe('json_too_deep');
        expect(error.location?.line).toBe(lineAt(text, at));
        expect(Number(error.location?.column)).toBeGreaterThan(0);
      }),
      { numRuns: RUNS, seed: 1701 },
    );
  }, 60_000);

  it('I2: a huge number is imported exactly or refused with its location, never stored wrong', async () => {
    const spans = numberSpans(b);
    expect(spans.length).toBeGreaterThan(0);
    const db = memoryDb();
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.constantFrom(...HUGE), async (pick, huge) => {
        const s = spans[pick % spans.length]!;
        const text = b.text.slice(0, s.start) + huge + b.text.slice(s.end);
        expectLocated(await run(b, text, db), `${huge} at ${s.start}`);
      }),
      { numRuns: RUNS * 2, seed: 1702 },
    );
  }, 60_000);

  it('I3: an impossible date is refused with its location, never stored', async () => {
    const spans = dateSpans(b);
    if (spans.length === 0) return; // this export writes no dates as text (none of the fixtures, today)
    const db = memoryDb();
    await fc.assert(
      fc.asyncProperty(fc.nat(), impossible, async (pick, [y, m, d]) => {
        const s = spans[pick % spans.length]!;
        const p2 = (n: number) => String(n).padStart(2, '0');
        const date = s.iso ? `${String(y).padStart(4, '0')}-${p2(m)}-${p2(d)}` : `${m}/${d}/${y}`;
        const text = b.text.slice(0, s.start) + date + b.text.slice(s.end);
        expectLocated(await run(b, text, db), date);
      }),
      { numRuns: RUNS * 2, seed: 1703 },
    );
  }, 60_000);

  it('I5: a NUL anywhere is refused with its own line', async () => {
    const db = memoryDb();
    await fc.assert(
      fc.asyncProperty(fc.nat(), async (pick) => {
        const at = pick % (b.text.length + 1);
        const text = `${b.text.slice(0, at)}\u0000${b.text.slice(at)}`;
        const result = await run(b, text, db);
        expect(result).not.toBe('ok');
        expect((result as UserError).code).toBe('bad_encoding');
        expect((result as UserError).location?.line).toBe(lineAt(text, at));
      }),
      { numRuns: RUNS, seed: 1705 },
    );
  }, 60_000);

  it('I5: a NUL after the first 64 KB is refused too, with its line', async () => {
    // Past the sniffed head: a long run of blank space (JSON) or of a cell's text (CSV) first.
    const long = b.json ? `${' '.repeat(79)}\n`.repeat(1200) : 'x'.repeat(100_000);
    let text: string;
    if (b.json) text = b.format === 'shopify-jsonl' ? b.text : `${long}${b.text}`;
    else {
      // The last cell of the first data row (a memo, a note, an order id …) gets the long text.
      const secondLine = b.text.indexOf('\n') + 1;
      const end = b.text.indexOf('\n', secondLine);
      const cellStart = b.text.lastIndexOf(',', end) + 1;
      text = `${b.text.slice(0, cellStart)}${long}${b.text.slice(cellStart)}`;
    }
    const at = b.json ? text.length - Math.floor(b.text.length / 2) : text.indexOf('x') + 90_000;
    const withNul = `${text.slice(0, at)}\u0000${text.slice(at)}`;
    const result = await run(b, withNul, memoryDb());
    expect(result).not.toBe('ok');
    expect((result as UserError).code).toBe('bad_encoding');
    expect((result as UserError).location?.line).toBe(lineAt(withNul, at));
  });
});

describe('I4 and B2: anything but a regular file is refused before it is opened', () => {
  const fifo = path.join(dir, 'pipe.json');
  const link = path.join(dir, 'link-to-pipe.csv');
  beforeAll(() => {
    execFileSync('mkfifo', [fifo]);
    fs.symlinkSync(fifo, link);
  });

  const SPECIAL: [string, () => string][] = [
    ['a named pipe with no writer', () => fifo],
    ['a symbolic link to a pipe', () => link],
    ['a folder', () => dir],
    ['a character device', () => '/dev/zero'],
  ];

  it.each(SPECIAL)('%s: file_not_readable at once, for every format and with detection', async (_what, target) => {
    const db = memoryDb();
    for (const format of [undefined, ...new Set(BASES.map((b) => b.format))]) {
      const started = Date.now();
      const error = await importFile(db, {
        file: target(),
        side:
          format && ['saved-search-csv', 'suiteql-json', 'record-json'].includes(format) ? 'netsuite' : 'storefront',
        ...(format ? { format } : {}),
      }).catch((e: unknown) => e);
      expect(error, String(format)).toBeInstanceOf(UserError);
      expect((error as UserError).code).toBe('file_not_readable');
      expect((error as UserError).location?.file).toBe(path.basename(target()));
      // "At once" rather than blocked on the special file; generous for a busy machine.
      expect(Date.now() - started).toBeLessThan(10_000);
    }
  });

  it('a mapping file that is a pipe is refused the same way', async () => {
    const error = await importFile(memoryDb(), {
      file: fixture('netsuite-saved-search.csv'),
      side: 'netsuite',
      mapping: fifo,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'file_not_readable' });
  });
});
