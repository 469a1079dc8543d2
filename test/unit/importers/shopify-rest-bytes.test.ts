import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastJsonMinor, makeContext, plainDecimalMinor } from '../../../src/main/importers/common';
import { minorAt, plainDecimalMinorAt, restOrderLineRefunds } from '../../../src/main/importers/shopify-rest-bytes';
import { restOrderInfo, shopifyOrderToRefunds, shopifyRefundToRefund } from '../../../src/main/mapping/shopify';
import { acceptRefund } from '../../../src/main/store/snapshot-writer';
import { UserError } from '../../../src/shared/errors';
import type { CanonicalRefundInput } from '../../../src/shared/model';
import { currencyExponent } from '../../../src/shared/money';
import { formatAmount } from '../../../src/shared/money/money';
import { rng } from '../../emulators/common/random';
import { importRefunds, tempFile } from './helpers';

/**
 * The byte reader of the common REST order line (shopify-rest-bytes.ts) against the JSON.parse
 * path: on generated order lines — the rich bench file's shape, with escapes (\u sequences,
 * surrogate pairs), numbers as strings and as literals with trailing zeros, nulls, missing,
 * reordered, duplicate and unknown members, nested refunds, transactions, line items and
 * adjustments — whatever it returns equals what fromValue makes of JSON.parse's value (refunds
 * and the order's id → name), and it must take most of the usual lines.
 */

/** A number literal written as given (JSON.stringify would drop `24.00`'s zeros). */
class Raw {
  constructor(readonly text: string) {}
}

interface Spelling {
  escapes: number;
  reorder: number;
  duplicates: number;
  spaces: number;
}

/** A string with some characters written as \u escapes (a surrogate pair for those beyond the BMP) or \/. */
function stringText(s: string, rnd: () => number, rate: number): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (rnd() < rate) {
      if (ch === '/') out += '\\/';
      else if (cp > 0xffff) {
        const hi = 0xd800 + ((cp - 0x10000) >> 10);
        const lo = 0xdc00 + ((cp - 0x10000) & 0x3ff);
        out += `\\u${hi.toString(16).toUpperCase()}\\u${lo.toString(16)}`;
      } else out += `\\u${cp.toString(16).padStart(4, '0')}`;
    } else out += JSON.stringify(ch).slice(1, -1);
  }
  return `${out}"`;
}

function emit(value: unknown, rnd: () => number, how: Spelling): string {
  const sp = () => (rnd() < how.spaces ? ' ' : '');
  if (value instanceof Raw) return value.text;
  if (typeof value === 'string') return stringText(value, rnd, how.escapes);
  if (Array.isArray(value)) return `[${sp()}${value.map((v) => emit(v, rnd, how)).join(`,${sp()}`)}${sp()}]`;
  if (value !== null && typeof value === 'object') {
    let entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (rnd() < how.reorder) entries = entries.sort(() => rnd() - 0.5);
    const members: string[] = [];
    for (const [k, v] of entries) {
      // A duplicate key (JSON.parse keeps the last): an earlier member of another value.
      if (rnd() < how.duplicates)
        members.push(`${stringText(k, rnd, 0)}:${emit(typeof v === 'number' ? 'dup' : 7, rnd, how)}`);
      members.push(`${stringText(k, rnd, how.escapes / 4)}${sp()}:${sp()}${emit(v, rnd, how)}`);
    }
    return `{${sp()}${members.join(`,${sp()}`)}${sp()}}`;
  }
  return JSON.stringify(value);
}

/** Usual values most of the time, odd ones sometimes: lines the reader takes, and lines it must give up on. */
function mostly<T, U>(usual: fc.Arbitrary<T>, odd: fc.Arbitrary<U>): fc.Arbitrary<T | U> {
  return fc.oneof({ weight: 12, arbitrary: usual }, { weight: 1, arbitrary: odd });
}

const cents = fc.integer({ min: -2_000_000, max: 2_000_000 });
const amount = fc.oneof(
  { weight: 12, arbitrary: cents.map((n) => formatAmount(n, 'USD')) },
  { weight: 9, arbitrary: cents.map((n) => new Raw(formatAmount(n, 'USD'))) },
  { weight: 3, arbitrary: cents.map((n) => n / 100) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '12',
      '0',
      '-0.00',
      '1.5',
      '0.001',
      '12.345',
      '1e2',
      '',
      ' 1.00',
      '+1',
      '(3.00)',
      '1,234.56',
      '5.',
      '１２',
      null,
      true,
      new Raw('-0'),
      new Raw('24.000'),
      new Raw('1.50e1'),
      new Raw('0.0000001'),
      new Raw('1234567890123.45'),
      new Raw('123456789012345678'),
      new Raw('1E21'),
      [1],
    ),
  },
);
const date = mostly(
  fc.constantFrom('2025-05-01T17:36:00-05:00', '2026-01-15', '2024-02-29T00:00:00Z'),
  fc.constantFrom('2023-02-29T00:00:00Z', ' 2026-01-15', '2026-01-15 10:00', 'yesterday', null, 5),
);
const text = mostly(
  fc.constantFrom(
    'Changed mind',
    'caf\u00e9 \\ "quoted" / slash',
    'emoji \u{1F600} and \u{10FFFF}',
    '\u0001tab\there',
    '',
    'Classic Tee - L',
  ),
  fc.constantFrom(null, 7),
);
const gateway = mostly(
  fc.constantFrom('shopify_payments', 'gift_card', 'cash', 'exchange-credit', ' Cash ', ''),
  fc.constantFrom(null, 3),
);
const SAME = 'SAME-CURRENCY';
const txCurrency = mostly(fc.constantFrom(SAME, SAME, ''), fc.constantFrom('EUR', 'usd', null));
const unknown = fc.constantFrom({ a: [1, { b: null }], c: 'x' }, [[], {}], 'x', 12, null);
/**
 * A `*_set` money bag beside a plain amount (the import bench's file carries one on every amount):
 * absent or null (the plain amount), usual (shop money in the order's currency, presentment money
 * or not), or odd (another currency, camelCase, no shop money, a null amount, not an object).
 */
const moneyBag = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(undefined, null) },
  {
    weight: 6,
    arbitrary: fc.record(
      {
        shop_money: fc.record({ amount, currency_code: fc.constant(SAME) }),
        presentment_money: fc.oneof(
          fc.record({ amount, currency_code: fc.constantFrom(SAME, 'EUR') }),
          fc.constantFrom(null, 'x'),
        ),
        other: unknown,
      },
      { requiredKeys: ['shop_money'] },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      { shop_money: { amount: '1.00' } },
      { shop_money: { amount: '1.00', currency_code: 'EUR' } },
      { shop_money: { amount: '1.00', currency_code: 'usd' } },
      { shop_money: { amount: null, currency_code: SAME } },
      { shop_money: { currency_code: SAME } },
      { shop_money: { amount: '1.00', currencyCode: SAME } },
      { shop_money: null, shopMoney: { amount: '2.00', currency_code: SAME } },
      { shopMoney: { amount: '2.00', currencyCode: SAME } },
      { shop_money: 'x' },
      { presentment_money: { amount: '1.00', currency_code: SAME } },
      {},
      'x',
      [1],
    ),
  },
);

const transaction = fc.record(
  {
    id: fc.oneof(fc.integer({ min: 1, max: 1e12 }), fc.constantFrom('tx-1', null, true, 1.5)),
    order_id: fc.integer({ min: 1, max: 1e10 }),
    kind: mostly(fc.constantFrom('refund', 'refund', 'refund', 'REFUND', 'Refund', 'sale'), fc.constantFrom(5, null)),
    gateway,
    status: fc.constantFrom(
      'success',
      'success',
      'success',
      'SUCCESS',
      'failure',
      'pending',
      'error',
      'awaiting_response',
      null,
    ),
    created_at: date,
    amount,
    currency: txCurrency,
    test: fc.constantFrom(false, false, true, 'true'),
    amount_set: moneyBag,
    receipt: unknown,
  },
  { requiredKeys: ['kind', 'status', 'amount', 'currency', 'gateway', 'id'] },
);
const lineItem = fc.record(
  {
    id: fc.integer({ min: 1, max: 1e12 }),
    quantity: mostly(fc.constantFrom(1, 2, 3), fc.constantFrom('2', 1.5, null, 2 ** 53)),
    line_item_id: fc.integer({ min: 1, max: 1e12 }),
    restock_type: fc.constantFrom('return', 'no_restock'),
    subtotal: amount,
    total_tax: amount,
    subtotal_set: moneyBag,
    total_tax_set: moneyBag,
    line_item: fc.oneof(
      {
        weight: 6,
        arbitrary: fc.record(
          {
            id: fc.integer({ min: 1, max: 1e12 }),
            sku: text,
            title: text,
            name: text,
            price: amount,
            quantity: fc.nat(5),
          },
          { requiredKeys: ['sku', 'title'] },
        ),
      },
      { weight: 1, arbitrary: fc.constantFrom(null, 'not an object', [1]) },
    ),
  },
  { requiredKeys: ['quantity', 'subtotal', 'total_tax', 'line_item'] },
);
const adjustment = fc.record(
  {
    id: fc.integer({ min: 1, max: 1e12 }),
    refund_id: fc.integer({ min: 1, max: 1e12 }),
    amount,
    tax_amount: amount,
    kind: fc.constantFrom('shipping_refund', 'refund_discrepancy', 'other', null),
    reason: text,
    amount_set: moneyBag,
    tax_amount_set: moneyBag,
  },
  { requiredKeys: ['amount', 'tax_amount', 'kind'] },
);
const refund = fc.record(
  {
    id: fc.oneof(fc.integer({ min: 1, max: 1e12 }), fc.constantFrom('r-1', '', null, 1.5, new Raw('9080000000'))),
    order_id: fc.oneof(fc.integer({ min: 1, max: 1e10 }), fc.constantFrom('o-1', null)),
    created_at: date,
    processed_at: date,
    note: text,
    refund_line_items: fc.oneof(
      { weight: 8, arbitrary: fc.array(lineItem, { maxLength: 3 }) },
      { weight: 1, arbitrary: fc.constantFrom(null, 'x', [{}], [1]) },
    ),
    transactions: fc.oneof(
      { weight: 8, arbitrary: fc.array(transaction, { maxLength: 3 }) },
      { weight: 1, arbitrary: fc.constantFrom(null, [{}], [null]) },
    ),
    order_adjustments: fc.oneof(
      { weight: 8, arbitrary: fc.array(adjustment, { maxLength: 2 }) },
      { weight: 1, arbitrary: fc.constantFrom(null, [{}]) },
    ),
    refund_shipping_lines: mostly(fc.constantFrom(undefined, [], null), fc.constant([{ subtotal_amount: '1.00' }])),
    return: mostly(fc.constantFrom(undefined, null), fc.constant({ id: 5001 })),
    restock: fc.boolean(),
    duties: unknown,
  },
  { requiredKeys: ['id', 'created_at', 'processed_at', 'refund_line_items', 'transactions', 'order_adjustments'] },
);
const order = fc
  .record(
    {
      id: fc.oneof(fc.integer({ min: 1, max: 1e12 }), fc.constantFrom('x', null, true)),
      name: fc.constantFrom('#1001', '#1001', '', 1001, null),
      order_number: fc.constantFrom(1001, '1001', null),
      created_at: date,
      currency: mostly(
        fc.constantFrom('USD', 'EUR', 'JPY', 'KWD', 'GBP'),
        fc.constantFrom('usd', 'US Dollar', 'XXX', '', 5),
      ),
      presentment_currency: mostly(fc.constantFrom(SAME, SAME, '', null), fc.constant('EUR')),
      test: fc.constantFrom(false, false, true, 1),
      line_items: unknown,
      refunds: fc.oneof(
        { weight: 10, arbitrary: fc.array(refund, { maxLength: 3 }) },
        { weight: 1, arbitrary: fc.constantFrom(null, 'x', [1], []) },
      ),
      email: fc.constantFrom('a@example.com', '\u00e9@example.com'),
    },
    { requiredKeys: ['id', 'name', 'currency', 'refunds'] },
  )
  // Most transactions and presentment currencies are the order's own currency, as in real exports.
  .map((o) =>
    JSON.parse(
      JSON.stringify(o, (_k, v) => (v === SAME ? o.currency : v instanceof Raw ? `RAW:${v.text}` : v)),
      (_k, v) => (typeof v === 'string' && v.startsWith('RAW:') ? new Raw(v.slice(4)) : v),
    ),
  );
/** Other shapes a line may have (wrappers, a bare refund): the reader must leave them to the general path. */
const lineValue = fc.oneof(
  { weight: 12, arbitrary: order },
  { weight: 1, arbitrary: refund },
  { weight: 1, arbitrary: order.map((o) => ({ order: o })) },
  { weight: 1, arbitrary: fc.array(refund, { maxLength: 2 }).map((refunds) => ({ refunds })) },
  { weight: 1, arbitrary: order.map((o) => ({ ...o, transactions: [] })) },
);
const spelling = fc.record({
  escapes: fc.constantFrom(0, 0, 0.05, 0.5),
  reorder: fc.constantFrom(0, 0, 0.5, 1),
  duplicates: fc.constantFrom(0, 0, 0, 0.05),
  spaces: fc.constantFrom(0, 0, 0.3),
});

type Ctx = ReturnType<typeof makeContext>;

/** fromValue's twin (it is private): the REST mappers on JSON.parse's value, with the order's id → name. */
function reference(value: unknown, ctx: Ctx): unknown[] {
  const where = { file: ctx.file, line: 1 };
  const v = value as Record<string, unknown>;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
  if (
    Array.isArray(v.orders) ||
    (typeof v.order === 'object' && v.order !== null) ||
    (typeof v.refund === 'object' && v.refund !== null)
  )
    throw new Error('a wrapper: not read by the byte reader');
  if (Array.isArray(v.refunds) && v.id === undefined) throw new Error('a page of refunds');
  if (
    v.refund_line_items !== undefined ||
    v.order_adjustments !== undefined ||
    (v.transactions !== undefined && v.refunds === undefined)
  )
    return [shopifyRefundToRefund(v, undefined, where)];
  if (v.refunds === undefined && v.id === undefined) throw new Error('not an order');
  if (v.refunds !== undefined && !Array.isArray(v.refunds)) throw new Error('refunds not a list');
  if (v.id !== undefined && v.id !== null) {
    const name = restOrderInfo(v).name;
    if (name) {
      ctx.orderIds ??= new Map();
      ctx.orderIds.set(String(v.id), name);
    }
  }
  return shopifyOrderToRefunds(v, where);
}

function compare(text: string): boolean {
  const ctx = makeContext({ file: 'x.ndjson', side: 'storefront', format: 'shopify-json' });
  const buf = Buffer.from(`${text}\n`, 'utf8');
  const fast = restOrderLineRefunds(buf, 0, buf.length - 1, ctx);
  if (fast === undefined) {
    expect(ctx.orderIds, 'kept an order name from a line it gave up on').toBeUndefined();
    return false;
  }
  const slowCtx = makeContext({ file: 'x.ndjson', side: 'storefront', format: 'shopify-json' });
  let slow: unknown[];
  try {
    slow = reference(JSON.parse(text), slowCtx);
  } catch (error) {
    throw new Error(`the byte reader mapped a line the JSON.parse path refuses (${(error as Error).message}): ${text}`);
  }
  // The byte reader hands over acceptRefund's value (its consumers skip the check): the same
  // refunds as the mapping's once checked, keys in the same order, and each its own checked value.
  let accepted: unknown[];
  try {
    accepted = slow.map((r, k) => acceptRefund(r as CanonicalRefundInput, k + 1, 'storefront'));
  } catch (error) {
    throw new Error(`the byte reader took a line whose refund is not valid (${(error as Error).message}): ${text}`);
  }
  expect(fast, text).toStrictEqual(accepted);
  expect(JSON.stringify(fast), text).toBe(JSON.stringify(accepted));
  for (const [k, refund] of fast.entries()) {
    const again = acceptRefund(refund, k + 1, 'storefront');
    expect(again, text).toStrictEqual(refund);
    expect(JSON.stringify(again), text).toBe(JSON.stringify(refund));
  }
  expect([...(ctx.orderIds ?? [])], text).toStrictEqual([...(slowCtx.orderIds ?? [])]);
  return true;
}

describe('the REST order byte reader maps like JSON.parse and the REST mapping', () => {
  it('same refunds and order names for any line it takes; it takes most usual lines', () => {
    let taken = 0;
    let setsTaken = 0;
    let plainTaken = 0;
    let plain = 0;
    fc.assert(
      fc.property(lineValue, spelling, fc.integer(), (value, how, seed) => {
        const line = emit(value, rng(seed), how);
        if (compare(line)) {
          taken++;
          if (line.includes('"shop_money"')) setsTaken++;
        }
        // The plain spelling of an order: counted, to check the reader is not giving up on everything.
        if (how.escapes === 0 && how.duplicates === 0) {
          plain++;
          if (compare(emit(value, rng(seed), { ...how, escapes: 0 }))) plainTaken++;
        }
      }),
      { numRuns: 3000 },
    );
    expect(taken).toBeGreaterThan(200);
    // Money bags are read, not only given up on.
    expect(setsTaken).toBeGreaterThan(25);
    expect(plainTaken).toBeGreaterThan(plain / 10);
  });

  it('takes the rich bench file shape, and gives up on what it leaves to the general path', () => {
    const line = (patch: string) =>
      `{"id":5120100001,"name":"#100001","order_number":100001,"currency":"USD","presentment_currency":"USD","test":false,"line_items":[{"id":1,"price":"24.00"}],"refunds":[{"id":908000000,"order_id":5120100001,"created_at":"2025-05-01T17:36:00-05:00","processed_at":"2025-05-01T17:36:00-05:00","note":"Changed mind","refund_line_items":[{"id":9,"quantity":1,"subtotal":24.00,"total_tax":1.98,"line_item":{"id":1,"sku":"TEE","title":"Tee","name":"Tee"}}],"transactions":[{"id":6100000000,"kind":"refund","gateway":"shopify_payments","status":"success","amount":"25.98","currency":"USD"}],"order_adjustments":[{"id":1,"amount":"-5.00","tax_amount":"0.00","kind":"shipping_refund","reason":"Shipping refund"}]${patch}}]}`;
    expect(compare(line(''))).toBe(true);
    expect(compare(line(',"note":"again"'))).toBe(false); // a duplicate key
    expect(compare(line(',"return":{"id":1}'))).toBe(false);
    expect(compare(line(',"refund_shipping_lines":[{"subtotal_amount":"1.00"}]'))).toBe(false);
    expect(compare(line(',"refund_shipping_lines":[]'))).toBe(true);
    expect(compare(line('').replace('"presentment_currency":"USD"', '"presentment_currency":"EUR"'))).toBe(false);
    expect(compare(line('').replace('"amount":"25.98"', '"amount":"25.98x"'))).toBe(false);
    expect(compare(line('').replace('"amount":"25.98"', '"amount":"2\\u0035.98"'))).toBe(false);
    expect(compare(line('').replace('"note":"Changed mind"', '"note":"Chang\\u00e9d \\ud83d\\ude00"'))).toBe(true);
    expect(compare(line('').replace('"refunds":[', '"refunds" : [ '))).toBe(true);
    expect(compare(`${line('')} x`)).toBe(false);
    // The import bench's shape: every amount also as a money bag, whose shop amount counts.
    const bag = (a: string, cur = 'USD') =>
      `{"shop_money":{"amount":"${a}","currency_code":"${cur}"},"presentment_money":{"amount":"${a}","currency_code":"${cur}"}}`;
    const sets = line('')
      .replace('"total_tax":1.98', `"total_tax":1.98,"subtotal_set":${bag('24.00')},"total_tax_set":${bag('1.98')}`)
      .replace('"currency":"USD"}', `"currency":"USD","amount_set":${bag('25.98')}}`)
      .replace('"tax_amount":"0.00"', `"tax_amount":"0.00","amount_set":${bag('-5.00')}`);
    expect(compare(sets)).toBe(true);
    expect(compare(sets.replace(bag('1.98'), bag('2.98')))).toBe(true); // the bag's amount, not the plain one
    expect(compare(sets.replace(bag('1.98'), bag('1.98', 'EUR')))).toBe(false);
    expect(compare(sets.replace('"shop_money"', '"shopMoney"'))).toBe(false);
    expect(compare(sets.replace(bag('24.00'), '{"shop_money":{"amount":"24.00"}}'))).toBe(false);
    // The currency after the refunds: their amounts were read without it.
    expect(compare(`${line('').replace('"currency":"USD",', '').slice(0, -1)},"currency":"USD"}`)).toBe(false);
  });
});

describe('minorAt reads an amount as fastJsonMinor reads its JSON.parse value', () => {
  it('strings and number literals, every currency exponent', () => {
    const literal = fc.oneof(
      fc.stringMatching(/^-?(0|[1-9]\d{0,17})(\.\d{1,6})?([eE][-+]?\d{1,2})?$/),
      fc.integer({ min: -1e9, max: 1e9 }).map((n) => String(n / 100)),
    );
    const str = fc.oneof(fc.stringMatching(/^-?\d{0,17}(\.\d{0,5})?$/), fc.string({ maxLength: 12 }));
    const json = fc.oneof(
      literal,
      str.map((s) => JSON.stringify(s)),
      fc.constantFrom('null', 'true', '"\\u0031"'),
    );
    fc.assert(
      fc.property(json, fc.constantFrom('USD', 'JPY', 'KWD', 'CLF'), (j, cur) => {
        const buf = Buffer.from(`${j},`, 'utf8');
        let fast: number | undefined | 'bail';
        try {
          fast = minorAt(buf, 0, currencyExponent(cur));
        } catch {
          fast = 'bail';
        }
        if (fast === 'bail') return;
        const value = JSON.parse(j) as unknown;
        if (value === null) expect(fast).toBeUndefined();
        else expect(fast, j).toBe(fastJsonMinor(value, cur));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('plainDecimalMinorAt reads the bytes of an amount as plainDecimalMinor reads its text', () => {
  it('any ASCII text, every currency exponent; plain amounts are taken', () => {
    const text = fc.oneof(
      fc.stringMatching(/^-?\d{0,17}(\.\d{0,5})?$/),
      fc.string({ unit: 'binary-ascii', maxLength: 22 }),
      fc.constantFrom('', '-', '.', '-0', '-0.00', '0.5', '25.98', '1.', '.5', '007', '1e3', '999999999999999'),
    );
    fc.assert(
      fc.property(text, fc.constantFrom('USD', 'JPY', 'KWD', 'CLF'), (t, cur) => {
        const bytes = Buffer.from(`"${t}"`, 'latin1');
        expect(plainDecimalMinorAt(bytes, 1, bytes.length - 1, currencyExponent(cur)), t).toBe(
          plainDecimalMinor(t, cur),
        );
      }),
      { numRuns: 5000 },
    );
    // The usual amounts are read, not given up on.
    const usual = Buffer.from('"25.98"', 'latin1');
    expect(minorAt(usual, 0, 2)).toBe(2598);
  });
});

describe('a whole NDJSON file of such orders', () => {
  it('imports the same as through the decoded-text path (the same file in UTF-16)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(order, { minLength: 1, maxLength: 5 }),
        spelling,
        fc.integer(),
        async (values, how, seed) => {
          const rnd = rng(seed);
          const text = `${values.map((o) => emit(o, rnd, how)).join('\n')}\n`;
          const n = Math.random();
          const utf8 = tempFile(`rb-${n}.ndjson`, text);
          const utf16 = tempFile(
            `rb16-${n}.ndjson`,
            Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
          );
          const read = async (file: string) => {
            try {
              const { result, refunds, db } = await importRefunds(file, { side: 'storefront', format: 'shopify-json' });
              const names = db.prepare('SELECT * FROM snapshot_order_ids ORDER BY order_id').raw().all();
              return { refunds, rows: result.rowCount, names };
            } catch (error) {
              if (error instanceof UserError)
                return {
                  error: `${error.code} ${error.message} ${JSON.stringify(error.location)}`.replace(
                    /rb(16)?-[\d.]+\.ndjson/g,
                    'F',
                  ),
                };
              throw error;
            }
          };
          expect(await read(utf8)).toEqual(await read(utf16));
        },
      ),
      { numRuns: 30 },
    );
  }, 120_000);
});

describe('a file of lines the byte reader gives up on', () => {
  it('reads the same after it stops trying it (64 lines, fewer than half taken)', async () => {
    const usual = (id: number) =>
      `{"id":${id},"name":"#${id}","currency":"USD","refunds":[{"id":${id * 10},"processed_at":"2026-01-15T10:00:00-05:00","transactions":[{"kind":"refund","status":"success","amount":"5.00"}],"refund_line_items":[{"quantity":1,"subtotal":"4.00","total_tax":"1.00"}]}]}`;
    // GraphQL's spelling of a money bag: the byte reader leaves it to the general path.
    const withSets = (id: number) =>
      usual(id).replace('"subtotal":"4.00"', '"subtotal_set":{"shopMoney":{"amount":"4.00","currencyCode":"USD"}}');
    const lines = [
      ...Array.from({ length: 100 }, (_, k) => withSets(k + 1)),
      ...Array.from({ length: 50 }, (_, k) => usual(k + 101)),
    ];
    const text = `${lines.join('\n')}\n`;
    const utf8 = tempFile('sets.ndjson', text);
    const utf16 = tempFile('sets16.ndjson', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const a = await importRefunds(utf8, { side: 'storefront', format: 'shopify-json' });
    const b = await importRefunds(utf16, { side: 'storefront', format: 'shopify-json' });
    expect(a.refunds).toHaveLength(150);
    expect(a.refunds).toEqual(b.refunds);
    expect(a.refunds[0]!.lines[0]!.amount).toBe(400);
  });
});
