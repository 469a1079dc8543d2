import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoDateAt, isoDateFast, makeContext, plainDecimalMinor } from '../../../src/main/importers/common';
import { LEAF, type ProjectSchema, projectJson } from '../../../src/main/importers/json-project';
import { fastLineRefunds, SHOPIFY_REST_SCHEMA, shopifyJsonRefunds } from '../../../src/main/importers/shopify-json';
import { openSource } from '../../../src/main/importers/source';
import { shopifyOrderToRefunds, shopifyRefundToRefund } from '../../../src/main/mapping/shopify';
import { UserError } from '../../../src/shared/errors';
import { CURRENCY_CODES, parseAmount } from '../../../src/shared/money';
import { importRefunds, tempFile, userErrorText } from './helpers';

/** What the projection should return: JSON.parse's value with only the schema's members. */
function reference(value: unknown, schema: ProjectSchema): unknown {
  if (Array.isArray(value)) return value.map((v) => reference(v, schema));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(schema, key)) continue;
    const sub = schema[key]!;
    const v = (value as Record<string, unknown>)[key];
    out[key] = sub === LEAF ? v : reference(v, sub);
  }
  return out;
}

function project(text: string, schema: ProjectSchema) {
  const buf = Buffer.from(text, 'utf8');
  return projectJson(buf, 0, buf.length, schema);
}

const SMALL_SCHEMA: ProjectSchema = { a: LEAF, id: LEAF, b: { c: LEAF, d: { e: LEAF } } };

/** Text that is often almost JSON: pieces of JSON with edge cases glued together. */
const jsonPiece = fc.constantFrom(
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  ' ',
  '\t',
  '\r',
  '"a"',
  '"b"',
  '"c"',
  '"id"',
  '"x"',
  '"\\u0061"',
  '"\\uD83D\\uDE00"',
  '"\\q"',
  '"\\u12G4"',
  '"é"',
  '"\t"',
  '"\\""',
  '"',
  '0',
  '-0',
  '01',
  '1.',
  '1.5',
  '-',
  '1e5',
  '1E+2',
  '2e',
  '123456789012345678',
  'true',
  'tru',
  'null',
  'false',
  'nul',
);
const almostJson = fc.array(jsonPiece, { maxLength: 30 }).map((p) => p.join(''));

describe('projectJson is exactly as strict as JSON.parse and builds the same values', () => {
  const check = (text: string, schema: ProjectSchema) => {
    let parsed: { value: unknown } | undefined;
    try {
      parsed = { value: JSON.parse(text) };
    } catch {
      parsed = undefined;
    }
    const projected = project(text, schema);
    if (projected) {
      expect(parsed, `accepted invalid JSON: ${text}`).toBeDefined();
      expect(projected.value).toStrictEqual(reference(parsed!.value, schema));
    }
  };
  it('on arbitrary JSON values (always accepted unless a kept key has escapes)', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        check(text, SMALL_SCHEMA);
        check(text, SHOPIFY_REST_SCHEMA);
      }),
      { numRuns: 1500 },
    );
  });
  it('on almost-JSON text: never accepts what JSON.parse rejects', () => {
    fc.assert(
      fc.property(almostJson, (text) => check(text, SMALL_SCHEMA)),
      { numRuns: 5000 },
    );
  });
  it('on JSON with one byte changed, inserted or removed', () => {
    fc.assert(
      fc.property(
        fc.json(),
        fc.nat(),
        fc.constantFrom('', '"', '\\', ',', '}', '\u0001', '1', '-', 'e', '.'),
        (text, n, ch) => {
          const at = text.length === 0 ? 0 : n % text.length;
          check(text.slice(0, at) + ch + text.slice(at + 1), SMALL_SCHEMA);
          check(text.slice(0, at) + ch + text.slice(at), SMALL_SCHEMA);
        },
      ),
      { numRuns: 3000 },
    );
  });
  it('keeps the last of duplicate keys and gives up on escaped keys', () => {
    expect(project('{"a":1,"a":{"x":2}}', SMALL_SCHEMA)?.value).toEqual({ a: { x: 2 } });
    expect(project('{"b":{"c":1},"b":[{"d":{"e":"\\u00e9","f":1}}]}', SMALL_SCHEMA)?.value).toEqual({
      b: [{ d: { e: 'é' } }],
    });
    expect(project('{"\\u0061":1}', SMALL_SCHEMA)).toBeUndefined();
    expect(project('{"a":1} x', SMALL_SCHEMA)).toBeUndefined();
    expect(project('{"a":1}\n{"a":2}', SMALL_SCHEMA)).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
// Shopify orders: the projection maps exactly like JSON.parse

const amount = fc.oneof(
  fc.constantFrom('12.34', '0.00', '-5.00', '1200', '(3.00)', '1,234.56', 'abc', '', '12.345', '5.'),
  fc.integer({ min: -100000, max: 100000 }).map((n) => (n / 100).toFixed(2)),
  fc.constantFrom(12.5, 0, -3, 1e21, null),
);
const currency = fc.constantFrom('USD', 'EUR', 'JPY', 'usd', 'XXX', '', undefined);
const money = fc.record(
  { amount, currency_code: currency, currencyCode: currency, junk: fc.constantFrom(1, 'x', [1, { a: 2 }]) },
  { requiredKeys: [] },
);
const moneySet = fc.oneof(
  fc.record({ shop_money: money, presentment_money: money }, { requiredKeys: [] }),
  fc.record({ shopMoney: money, presentmentMoney: money }, { requiredKeys: [] }),
  fc.constantFrom(null, 'x', []),
);
const refund = fc.record(
  {
    id: fc.oneof(fc.integer({ min: 1, max: 1e12 }), fc.constantFrom('r1', '', null, 1.5)),
    order_id: fc.constantFrom(450001001, 'o-1', null),
    processed_at: fc.constantFrom(
      '2026-01-15T10:00:00-05:00',
      '2026-02-30T00:00:00Z',
      '2026-01-15',
      ' 2026-01-15',
      null,
      5,
    ),
    created_at: fc.constantFrom('2025-12-31T23:00:00+01:00', 'yesterday'),
    note: fc.constantFrom('Customer return', 'caf\u00e9 \\ "quoted"', null, ''),
    refund_line_items: fc.array(
      fc.record(
        {
          quantity: fc.constantFrom(1, 2, 1.5, '2', null),
          subtotal: amount,
          subtotal_set: moneySet,
          total_tax: amount,
          total_tax_set: moneySet,
          line_item: fc.oneof(
            fc.record(
              { sku: fc.constantFrom('SKU-1', '', 7), name: fc.constantFrom('Hat', null), title: fc.constant('T') },
              { requiredKeys: [] },
            ),
            fc.constant('not an object'),
          ),
          restock_type: fc.constant('return'),
        },
        { requiredKeys: [] },
      ),
      { maxLength: 3 },
    ),
    return: fc.constantFrom(
      null,
      { id: 5001, admin_graphql_api_id: 'gid://shopify/Return/5001' },
      'gid://shopify/Return/7',
    ),
    transactions: fc.array(
      fc.record(
        {
          kind: fc.constantFrom('refund', 'REFUND', 'sale', 5),
          status: fc.constantFrom('success', 'failure', 'pending', 'error', 'SUCCESS'),
          amount,
          currency,
          amount_set: moneySet,
          test: fc.constantFrom(true, false, 'true'),
          receipt: fc.constant({ a: [1, 2, { b: null }] }),
          // The tender (tenders.md §1.2): once left out of the projection, so projected lines lost it.
          gateway: fc.constantFrom(
            'shopify_payments',
            'gift_card',
            'exchange-credit',
            'Cash on Delivery (COD)',
            '',
            null,
            3,
          ),
          id: fc.oneof(fc.integer({ min: 1, max: 1e12 }), fc.constantFrom('x', null)),
        },
        { requiredKeys: ['kind', 'status'] },
      ),
      { maxLength: 3 },
    ),
    order_adjustments: fc.array(
      fc.record(
        {
          kind: fc.constantFrom('shipping_refund', 'refund_discrepancy'),
          amount,
          amount_set: moneySet,
          tax_amount: amount,
          reason: fc.constantFrom('Shipping refund', '', null),
        },
        { requiredKeys: [] },
      ),
      { maxLength: 2 },
    ),
    refund_shipping_lines: fc.array(
      fc.record({ subtotal_amount_set: moneySet, tax_amount: amount }, { requiredKeys: [] }),
      {
        maxLength: 1,
      },
    ),
    restock: fc.boolean(),
  },
  { requiredKeys: ['id'] },
);
const order = fc.record(
  {
    id: fc.oneof(fc.integer({ min: 1, max: 1e12 }), fc.constantFrom('x', null)),
    name: fc.constantFrom('#1001', '', 1001, null),
    order_number: fc.constantFrom(1001, '1001', null),
    currency,
    presentment_currency: currency,
    test: fc.constantFrom(true, false, 1),
    email: fc.constant('a@example.com'),
    line_items: fc.constant([{ id: 1, title: 'Hat', price: '12.00' }]),
    refunds: fc.oneof(fc.array(refund, { maxLength: 3 }), fc.constantFrom(null, 'x', [1, null])),
  },
  { requiredKeys: [] },
);
/** A whole line: an order, or one of the other shapes a line may have. */
const lineValue = fc.oneof(
  { weight: 6, arbitrary: order },
  { weight: 1, arbitrary: refund },
  { weight: 1, arbitrary: fc.array(order, { maxLength: 2 }).map((orders) => ({ orders })) },
  { weight: 1, arbitrary: order.map((o) => ({ order: o })) },
  { weight: 1, arbitrary: fc.array(refund, { maxLength: 2 }).map((refunds) => ({ refunds })) },
);

function slowRefunds(text: string, ctx: ReturnType<typeof makeContext>): { ok: true; value: unknown } | { ok: false } {
  // The JSON.parse path of shopifyJsonRefunds, through a decoded one-line file.
  try {
    const value = JSON.parse(text);
    return { ok: true, value: mapValue(value, ctx) };
  } catch {
    return { ok: false };
  }
}

// fromValue is private: its twin here runs the REST mappers on JSON.parse's value.

function mapValue(value: unknown, ctx: ReturnType<typeof makeContext>, key: string | null = null): unknown[] {
  const where = { file: ctx.file, line: 1 };
  const v = value as Record<string, unknown>;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
  if (key === 'refunds') return [shopifyRefundToRefund(v, undefined, where)];
  if (key === null) {
    if (Array.isArray(v.orders)) return v.orders.flatMap((o) => mapValue(o, ctx, 'orders'));
    if (typeof v.order === 'object' && v.order !== null && !Array.isArray(v.order))
      return mapValue(v.order, ctx, 'orders');
    if (Array.isArray(v.refunds) && v.id === undefined) return v.refunds.flatMap((r) => mapValue(r, ctx, 'refunds'));
    if (typeof v.refund === 'object' && v.refund !== null && !Array.isArray(v.refund))
      return mapValue(v.refund, ctx, 'refunds');
  }
  if (
    v.refund_line_items !== undefined ||
    v.order_adjustments !== undefined ||
    (v.transactions !== undefined && v.refunds === undefined)
  ) {
    return [shopifyRefundToRefund(v, undefined, where)];
  }
  if (v.refunds === undefined && v.id === undefined) throw new Error('not an order');
  if (v.refunds !== undefined && !Array.isArray(v.refunds)) throw new Error('refunds not a list');
  return shopifyOrderToRefunds(v, where);
}

describe('the byte-level Shopify line reader maps like JSON.parse', () => {
  it('same refunds for any order line the projection takes (and it takes the usual ones)', () => {
    let taken = 0;
    let total = 0;
    fc.assert(
      fc.property(lineValue, fc.constantFrom(0, 2), (value, indent) => {
        const text = JSON.stringify(value, null, indent).replace(/\n/g, ' ');
        const ctx = makeContext({ file: 'x.ndjson', side: 'storefront', format: 'shopify-json' });
        const buf = Buffer.from(`${text}\n`, 'utf8');
        const fast = fastLineRefunds(buf, 0, buf.length - 1, { file: 'x.ndjson', line: 1 }, ctx);
        const slow = slowRefunds(text, ctx);
        total++;
        if (fast !== undefined) {
          taken++;
          expect(slow.ok, `the fast path mapped a line the JSON.parse path refuses: ${text}`).toBe(true);
          expect(fast).toStrictEqual((slow as { value: unknown }).value);
        }
      }),
      { numRuns: 2000 },
    );
    expect(taken).toBeGreaterThan(total / 10);
  });

  it('a whole NDJSON file reads the same as through the decoded-text path (the same file in UTF-16)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(lineValue, { minLength: 1, maxLength: 6 }), fc.boolean(), async (values, crlf) => {
        const eol = crlf ? '\r\n' : '\n';
        const text = values.map((o) => JSON.stringify(o)).join(eol) + eol;
        const n = Math.random();
        const utf8 = tempFile(`p-${n}.ndjson`, text);
        // UTF-16 files are decoded to text and read by readJson's lines mode: the reference.
        const utf16 = tempFile(
          `p16-${n}.ndjson`,
          Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
        );
        const read = async (file: string) => {
          try {
            const { result, refunds } = await importRefunds(file, { side: 'storefront', format: 'shopify-json' });
            return { refunds, rows: result.rowCount };
          } catch (error) {
            if (error instanceof UserError)
              return {
                error: `${error.code} ${error.message} ${JSON.stringify(error.location)}`.replace(
                  /p(16)?-[\d.]+\.ndjson/g,
                  'F',
                ),
              };
            throw error;
          }
        };
        expect(await read(utf8)).toEqual(await read(utf16));
      }),
      { numRuns: 80 },
    );
  });
});

describe('byte-level NDJSON edge cases', () => {
  const good = (id: number) =>
    JSON.stringify({
      id,
      name: `#${id}`,
      currency: 'USD',
      refunds: [
        {
          id: id * 10,
          processed_at: '2026-01-15T10:00:00-05:00',
          transactions: [{ kind: 'refund', status: 'success', amount: '5.00' }],
        },
      ],
    });

  it('BOM, CRLF, blank lines and a last line without LF', async () => {
    const text = `\uFEFF${good(1)}\r\n\r\n   \n${good(2)}\r\n${good(3)}`;
    const { result, refunds } = await importRefunds(tempFile('bom.ndjson', text), { side: 'storefront' });
    expect(result.format).toBe('shopify-json');
    expect(refunds.map((r) => r.id)).toEqual(['10', '20', '30']);
    expect(result.rowCount).toBe(3);
  });

  it('lines longer than a read chunk', async () => {
    const long = JSON.stringify({ id: 9, name: '#9', currency: 'USD', pad: 'x'.repeat(3_000_000), refunds: [] });
    const { refunds } = await importRefunds(tempFile('long.ndjson', `${good(1)}\n${long}\n${good(2)}\n`), {
      side: 'storefront',
    });
    expect(refunds.map((r) => r.id)).toEqual(['10', '20']);
  });

  it('a syntax error on a later line is reported as by JSON.parse', async () => {
    const { text } = await userErrorText(
      importRefunds(tempFile('bad2.ndjson', `${good(1)}\n${good(2).replace('"refunds":[', '"refunds":[,')}\n`), {
        side: 'storefront',
      }),
    );
    expect(text).toMatch(/bad2\.ndjson, line 2, column \d+: JSON syntax error at line 2/);
  });

  it('a raw tab inside a string is an error, as with JSON.parse', async () => {
    const { error } = await userErrorText(
      importRefunds(tempFile('tab.ndjson', `${good(1)}\n${good(2).replace('#2', '#\t2')}\n`), { side: 'storefront' }),
    );
    expect(error.code).toBe('json_syntax');
  });

  it('invalid UTF-8 is refused; a character cut at the end of the file is "truncated"', async () => {
    const bad = Buffer.concat([Buffer.from(`${good(1)}\n`), Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d, 0x0a])]);
    const { error } = await userErrorText(importRefunds(tempFile('bad-utf8.ndjson', bad), { side: 'storefront' }));
    expect(error.code).toBe('bad_encoding');
    const cut = Buffer.concat([Buffer.from(`${good(1)}\n{"id":2,"name":"`), Buffer.from([0xc3])]);
    const { error: e2 } = await userErrorText(importRefunds(tempFile('cut-utf8.ndjson', cut), { side: 'storefront' }));
    expect(e2.code).toBe('truncated_file');
  });

  it('the SHA-256 and byte count are of the raw file', async () => {
    const text = `\uFEFF${good(1)}\n`;
    const file = tempFile('hash.ndjson', text);
    const source = await openSource(file);
    const ctx = makeContext({ file: 'hash.ndjson', side: 'storefront', format: 'shopify-json' });
    const out = [];
    for await (const r of shopifyJsonRefunds(source, ctx)) out.push(r);
    expect(out).toHaveLength(1);
    const { createHash } = await import('node:crypto');
    expect(source.sha256()).toBe(createHash('sha256').update(Buffer.from(text)).digest('hex'));
    expect(source.bytesRead).toBe(Buffer.byteLength(text));
  });
});

describe('fast paths agree with the general parsers', () => {
  it('plainDecimalMinor is parseAmount wherever it answers', () => {
    const text = fc.oneof(
      fc.stringMatching(/^-?\d{0,17}(\.\d{0,5})?$/),
      fc.string({ maxLength: 12 }),
      fc.integer().map(String),
    );
    fc.assert(
      fc.property(text, fc.constantFrom(...CURRENCY_CODES), (t, cur) => {
        const fast = plainDecimalMinor(t, cur);
        if (fast !== undefined) expect({ ok: true, minor: fast }).toStrictEqual(parseAmount(t, cur));
      }),
      { numRuns: 5000 },
    );
    expect(plainDecimalMinor('12.34', 'USD')).toBe(1234);
    expect(plainDecimalMinor('-0.00', 'USD')).toBe(0);
    expect(plainDecimalMinor('1200', 'JPY')).toBe(1200);
  });

  it('isoDateFast is isoDateAt wherever it answers', () => {
    const text = fc.oneof(
      fc.stringMatching(/^\d{4}-\d{2}-\d{2}(T.{0,6})?$/),
      fc.string({ maxLength: 14 }),
      fc.constantFrom('2024-02-29', '2023-02-29', '2026-13-01', '2026-01-15T', '2026-01-15 10:00'),
    );
    fc.assert(
      fc.property(text, (t) => {
        const fast = isoDateFast(t);
        if (fast !== undefined) expect(fast).toBe(isoDateAt(t, {}));
      }),
      { numRuns: 5000 },
    );
  });
});
