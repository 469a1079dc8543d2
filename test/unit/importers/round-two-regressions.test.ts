import fs from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalCsvHeader } from '../../../src/main/importers/canonical-csv';
import { excessDepthOffset, MAX_JSON_DEPTH } from '../../../src/main/importers/json-stream';
import { fastParseRefund } from '../../../src/main/store/snapshot-validate';
import { isCalendarDate, MAX_YEAR, MIN_YEAR, validYmd } from '../../../src/shared/calendar-date';
import { UserError } from '../../../src/shared/errors';
import { CanonicalRefund } from '../../../src/shared/model';
import { counts, fixture, importRefunds, memoryDb, tempFile, userErrorText } from './helpers';

/** Regression tests of issue 17's import defects (I1, I2, I3, I5), each as the issue reproduced it. */

describe('I1: deeply nested JSON', () => {
  it('the issue’s file ({"orders":[ + 5,000 × [) is refused with line and column, not a stack overflow', async () => {
    const file = tempFile('deep-orders.json', `{"orders":[${'['.repeat(5000)}${']'.repeat(5000)}]}`);
    const { text, error } = await userErrorText(importRefunds(file, { side: 'storefront' }));
    expect(error.code).toBe('json_too_deep');
    expect(text).toMatch(/^deep-orders\.json, line 1, column \d+: JSON nested too deeply/);
  });

  it('a JSON Lines line nested too deeply names its line', async () => {
    const line = `{"id":"gid://shopify/Order/1","refunds":${'['.repeat(3000)}${']'.repeat(3000)}}`;
    const first = fs.readFileSync(fixture('shopify-bulk.jsonl'), 'utf8').split('\n')[0];
    const file = tempFile('deep.jsonl', `${first}\n${line}\n`);
    const { error } = await userErrorText(importRefunds(file, { side: 'storefront', format: 'shopify-jsonl' }));
    expect(error.code).toBe('json_too_deep');
    expect(error.location?.line).toBe(2);
  });

  it('excessDepthOffset finds the first bracket past the limit, stepping over strings', () => {
    const oracle = (text: string): number => {
      let depth = 0;
      let inString = false;
      for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (inString) {
          if (c === '\\') i++;
          else if (c === '"') inString = false;
        } else if (c === '"') inString = true;
        else if (c === '[' || c === '{') {
          depth++;
          if (depth > MAX_JSON_DEPTH) return i;
        } else if (c === ']' || c === '}') depth--;
      }
      return -1;
    };
    const piece = fc.constantFrom('[', ']', '{', '}', '"', '\\', 'a', ':', ',', '"\\""', '"[[["', '"\\\\"');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 400 }), fc.integer({ min: 0, max: 80 }), (parts, open) => {
        const text = '['.repeat(open) + parts.join('');
        // Only well-formed strings are comparable (JSON.parse refuses the rest anyway).
        if (oracle(text) !== excessDepthOffset(text) && /"[^"]*$/.test(text)) return;
        expect(excessDepthOffset(text)).toBe(oracle(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('nesting of exactly the limit is still read; one level more is refused', async () => {
    // {"orders":[{"refunds":[{… "extra": here}]}]}: the refund object is level 5.
    const at = (levels: number) => {
      const deep = '['.repeat(levels) + ']'.repeat(levels);
      return fs
        .readFileSync(fixture('shopify-orders.json'), 'utf8')
        .replace('"note": "wrong size"', `"note": "wrong size", "extra": ${deep}`);
    };
    const { result } = await importRefunds(tempFile('at-limit.json', at(MAX_JSON_DEPTH - 5)), { side: 'storefront' });
    expect(result.created).toBe(true);
    const { error } = await userErrorText(
      importRefunds(tempFile('past-limit.json', at(MAX_JSON_DEPTH - 4)), { side: 'storefront' }),
    );
    expect(error.code).toBe('json_too_deep');
  });
});

describe('I2: numbers too large to store exactly', () => {
  it('Shopify quantity 99999999999999999999: a located bad_quantity, nothing stored', async () => {
    const db = memoryDb();
    const text = fs
      .readFileSync(fixture('shopify-orders.json'), 'utf8')
      .replace(/"quantity": *1/, '"quantity": 99999999999999999999');
    const { text: message, error } = await userErrorText(
      importRefunds(tempFile('huge-qty.json', text), { side: 'storefront' }, db),
    );
    expect(error.code).toBe('bad_quantity');
    expect(message).toMatch(
      /^huge-qty\.json, line \d+, field refund_line_items\[0\]\.quantity: The quantity .* is out of range/,
    );
    expect(counts(db)).toEqual({ snapshots: 0, refunds: 0, lines: 0 });
  });

  it('saved-search quantity 1e20 and 2^53 + 2: located bad_quantity', async () => {
    for (const qty of ['1e20', '9007199254740994']) {
      const text = fs.readFileSync(fixture('netsuite-saved-search.csv'), 'utf8').replace(',-1,', `,${qty},`);
      const { error } = await userErrorText(importRefunds(tempFile(`huge-${qty}.csv`, text), { side: 'netsuite' }));
      expect(error.code).toBe('bad_quantity');
      expect(error.location).toMatchObject({ line: 3, column: 'Quantity' });
    }
  });

  it('the fast validator accepts exactly what the zod schema accepts, on generated numbers and dates', () => {
    const number = fc.oneof(
      fc.integer(),
      fc.constantFrom(
        0,
        -0,
        2 ** 53 - 1,
        2 ** 53,
        2 ** 53 + 2,
        -(2 ** 53) + 1,
        -(2 ** 53),
        1e20,
        -1e20,
        1e308,
        0.5,
        Number.MAX_VALUE,
        Number.MIN_VALUE,
      ),
      fc.double(),
      fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(Number),
    );
    const date = fc.oneof(
      fc
        .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }))
        .map(
          ([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
        ),
      fc.constantFrom('2024-02-29', '2023-02-29', '2024-02-30', '2024-13-99', '0000-00-00', '1900-01-01', '2999-12-31'),
    );
    const refund = fc.record({
      quantity: number,
      amount: number,
      tax: number,
      total: number,
      shipping: number,
      presentmentTotal: number,
      date,
    });
    fc.assert(
      fc.property(refund, (v) => {
        const input = {
          side: 'storefront',
          id: '1',
          recordType: 'refund',
          date: v.date,
          currency: 'USD',
          total: v.total,
          shipping: v.shipping,
          kind: 'line_item',
          lines: [{ sku: 'A', quantity: v.quantity, amount: v.amount, tax: v.tax }],
          presentment: { currency: 'EUR', total: v.presentmentTotal },
        };
        const z = CanonicalRefund.safeParse(input);
        const fast = fastParseRefund(input);
        if (z.success) expect(fast).toEqual(z.data);
        else expect(fast).toBeUndefined();
      }),
      { numRuns: 5000 },
    );
  });
});

describe('I3: impossible dates', () => {
  it('isCalendarDate agrees with the calendar (Date.UTC round trip) on generated dates', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        (y, m, d) => {
          const text = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
          const t = new Date(0);
          t.setUTCFullYear(y, m - 1, d);
          const real =
            m >= 1 &&
            m <= 12 &&
            d >= 1 &&
            t.getUTCFullYear() === y &&
            t.getUTCMonth() === m - 1 &&
            t.getUTCDate() === d &&
            y >= MIN_YEAR &&
            y <= MAX_YEAR;
          expect(isCalendarDate(text)).toBe(real);
          expect(validYmd(y, m, d)).toBe(real);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it.each(['2024-02-30', '2024-13-99', '0000-00-00'])(
    'canonical JSON with %s: refused at its line, field date',
    async (date) => {
      const refund = {
        side: 'storefront',
        id: '1',
        recordType: 'refund',
        date,
        currency: 'USD',
        total: 100,
        kind: 'line_item',
      };
      const file = tempFile(`bad-date-${date}.json`, `[\n${JSON.stringify(refund)}\n]`);
      const { error } = await userErrorText(importRefunds(file, { side: 'storefront' }));
      expect(error.location).toMatchObject({ line: 2, field: 'date' });
    },
  );

  it.each(['2024-02-30', '2024-13-99', '0000-00-00'])('canonical CSV with %s: refused at its line', async (date) => {
    const header = canonicalCsvHeader();
    const cols = header.trim().split(',');
    const row = cols.map(
      (c) =>
        ({
          side: 'storefront',
          id: '1',
          recordType: 'refund',
          date,
          currency: 'USD',
          total: '1.00',
          kind: 'line_item',
        })[c] ?? '',
    );
    const file = tempFile(`bad-date-${date}.csv`, `${header}${row.join(',')}\n`);
    const { error } = await userErrorText(importRefunds(file, { side: 'storefront' }));
    expect(error.location).toMatchObject({ line: 2, field: 'date' });
  });
});

describe('I5: NUL bytes', () => {
  it('a NUL on line 2 is reported on line 2', async () => {
    const text = fs.readFileSync(fixture('netsuite-saved-search.csv'), 'utf8');
    const nl = text.indexOf('\n');
    const file = tempFile('nul-line2.csv', `${text.slice(0, nl + 3)}\u0000${text.slice(nl + 3)}`);
    const { error } = await userErrorText(importRefunds(file, { side: 'netsuite' }));
    expect(error).toBeInstanceOf(UserError);
    expect(error.location).toMatchObject({ line: 2 });
  });

  it('a NUL in a memo far past the first 4 KB and 64 KB is refused, not imported into the memo', async () => {
    const header =
      'Internal ID,Type,Date,Document Number,Storefront Order,Main Line,Item,Quantity,Amount,Currency,Memo\n';
    let body = '';
    for (let i = 1; i <= 3000; i++) {
      const memo = i === 2500 ? 'damaged\u0000box' : 'ok';
      body += `${i},Cash Refund,1/2/2026,CR${i},#${i},*,,,(12.00),US Dollar,${memo}\n${i},Cash Refund,1/2/2026,CR${i},#${i},,HAT,1,12.00,US Dollar,\n`;
    }
    const db = memoryDb();
    const file = tempFile('nul-late.csv', header + body);
    const { error } = await userErrorText(importRefunds(file, { side: 'netsuite' }, db));
    expect(error.code).toBe('bad_encoding');
    expect(error.location?.line).toBe(1 + 2 * 2499 + 1);
    expect(counts(db).snapshots).toBe(0);
  });
});

describe('the parse thread refuses the same hostile input with the same location', () => {
  const orders = () => fs.readFileSync(fixture('shopify-orders.json'), 'utf8');
  const cases: [string, string, 'storefront' | 'netsuite', () => string][] = [
    ['deep', 'pt-deep.json', 'storefront', () => `{"orders":[${'['.repeat(500)}${']'.repeat(500)}]}`],
    ['huge quantity', 'pt-huge.json', 'storefront', () => orders().replace(/"quantity": *1/, '"quantity": 1e20')],
    [
      'NUL',
      'pt-nul.csv',
      'netsuite',
      () => fs.readFileSync(fixture('netsuite-saved-search.csv'), 'utf8').replace('Refund for #1001', 'Refund\u0000'),
    ],
    [
      'impossible date',
      'pt-date.json',
      'storefront',
      () =>
        JSON.stringify([
          {
            side: 'storefront',
            id: '1',
            recordType: 'refund',
            date: '2024-02-30',
            currency: 'USD',
            total: 1,
            kind: 'line_item',
          },
        ]),
    ],
  ];
  it.each(cases)(
    '%s',
    async (_what, name, side, text) => {
      const file = tempFile(name, text());
      const inThread = await userErrorText(importRefunds(file, { side, parseThread: 'never' }));
      const db = memoryDb();
      const threaded = await userErrorText(importRefunds(file, { side, parseThread: 'always' }, db));
      expect(threaded.text).toBe(inThread.text);
      expect(counts(db).snapshots).toBe(0);
    },
    30_000,
  );
});

describe('I1 on the byte-level NDJSON path (Shopify REST orders, one per line)', () => {
  const orders = (JSON.parse(fs.readFileSync(fixture('shopify-orders.json'), 'utf8')) as { orders: object[] }).orders;
  /** The orders as JSON Lines, the second order with an extra member nested `levels` deep. */
  const ndjson = (levels: number) =>
    orders
      .map((o, i) => {
        const line = JSON.stringify(o);
        return i === 1 ? `{"extra":${'['.repeat(levels)}${']'.repeat(levels)},${line.slice(1)}` : line;
      })
      .join('\n');

  it('a line nested past the limit is refused with its line (the projection hands it to the checked path)', async () => {
    expect(orders.length).toBeGreaterThan(1);
    const { error } = await userErrorText(
      importRefunds(tempFile('deep-rest.ndjson', ndjson(MAX_JSON_DEPTH)), {
        side: 'storefront',
        format: 'shopify-json',
      }),
    );
    expect(error.code).toBe('json_too_deep');
    expect(error.location?.line).toBe(2);
  });

  it('a line at the limit imports, the same as without the extra member', async () => {
    const plain = await importRefunds(tempFile('plain-rest.ndjson', ndjson(0).replace('{"extra":,', '{')), {
      side: 'storefront',
      format: 'shopify-json',
    });
    const atLimit = await importRefunds(tempFile('limit-rest.ndjson', ndjson(MAX_JSON_DEPTH - 1)), {
      side: 'storefront',
      format: 'shopify-json',
    });
    expect(atLimit.refunds).toEqual(plain.refunds);
  });
});
