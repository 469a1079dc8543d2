import fs from 'node:fs';
import { type ErrorLocation, UserError } from '../../shared/errors';
import { currencyExponent } from '../../shared/money/currencies';
import { inputError, isObj, type Obj, optString, shown } from './common';

/**
 * BigCommerce order products (`GET /v2/orders/{order_id}/products`, bigcommerce/docs
 * `reference/orders.v2.oas2.yml`, schema `orderProducts`): the only place a refunded product's SKU,
 * name and price are. A v3 refund item says `{item_type: "PRODUCT", item_id: <order product id>,
 * quantity}` and nothing else (`reference/orders.v3.yml`, `RefundItem`), so a product refund's lines
 * are priced here: `price_ex_tax` × quantity refunded, less the refunded share of the product's
 * `applied_discounts`, plus the refund item's own `adjustments` (negative deductions).
 * Money in order products is a 4-decimal string ("55.9900").
 */

/** Order products by order-product id (`id`, unique in the store), from the pull or a file. */
export type OrderProducts = ReadonlyMap<string, Obj>;

export interface PricedLine {
  sku: string;
  description: string;
  /** Minor units, ex tax. */
  amount: number;
}

/**
 * Order products from the shapes a user may save: one `GET …/products` answer (an array), several
 * of them (an array of arrays, or one per line), or `{"<order id>": [...]}`.
 */
export function indexOrderProducts(values: Iterable<unknown>, where: ErrorLocation): Map<string, Obj> {
  const index = new Map<string, Obj>();
  const add = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const v of value) add(v);
      return;
    }
    if (!isObj(value)) {
      throw inputError(
        'unexpected_json',
        `Expected BigCommerce order products (GET /v2/orders/{id}/products), found ${shown(value)}.`,
        where,
      );
    }
    if (value.id !== undefined && value.order_id !== undefined && value.product_id !== undefined) {
      index.set(optString(value.id), value);
      return;
    }
    // `{"<order id>": [...]}` (or a wrapper such as {"data": [...]})
    for (const v of Object.values(value)) add(v);
  };
  for (const value of values) add(value);
  return index;
}

const DECIMAL = /^(\d+)(?:\.(\d*))?$/;
const SCALE = 10_000n;

/** "55.9900" / 55.99 → 559900n (units of 1/10,000); undefined when not a non-negative decimal. */
function ten4(value: unknown): bigint | undefined {
  // A JSON number's shortest decimal form (never toFixed: no rounding of the source's digits here).
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : optString(value).trim();
  const m = DECIMAL.exec(text);
  if (!m) return undefined;
  const fraction = (m[2] ?? '').padEnd(5, '0');
  let scaled = BigInt(m[1]!) * SCALE + BigInt(fraction.slice(0, 4));
  if (fraction.charCodeAt(4) >= 53) scaled += 1n;
  return scaled;
}

/** a / b rounded half up (a, b ≥ 0). */
function divHalfUp(a: bigint, b: bigint): bigint {
  return (a * 2n + b) / (b * 2n);
}

/**
 * The line of a refunded product, or undefined when the order product is not known or has no
 * usable price (the refund is then compared on its total; no line is invented).
 */
export function priceRefundedProduct(
  product: Obj | undefined,
  quantity: number,
  currency: string,
  adjustments: unknown,
): PricedLine | undefined {
  if (!product || quantity <= 0) return undefined;
  const unit = ten4(product.price_ex_tax ?? product.base_price);
  const ordered = Number(product.quantity);
  if (unit === undefined || !Number.isInteger(ordered) || ordered <= 0) return undefined;
  let discount = 0n;
  if (Array.isArray(product.applied_discounts)) {
    for (const d of product.applied_discounts) {
      const amount = isObj(d) ? ten4(d.amount) : undefined;
      if (amount === undefined) return undefined;
      discount += amount;
    }
  }
  const q = BigInt(quantity);
  // Gross for the refunded units, less their share of the line's discounts, in 1/10,000 units.
  const net = unit * q - divHalfUp(discount * q, BigInt(ordered));
  let adjust = 0n;
  if (Array.isArray(adjustments)) {
    for (const a of adjustments) {
      const amount = isObj(a) ? Number(a.amount) : Number.NaN;
      if (!Number.isFinite(amount)) return undefined;
      const magnitude = ten4(Math.abs(amount));
      if (magnitude === undefined) return undefined;
      adjust += amount < 0 ? -magnitude : magnitude;
    }
  }
  const exp = BigInt(currencyExponent(currency));
  const total = net + adjust;
  const sign = total < 0n ? -1n : 1n;
  const minor = sign * divHalfUp(sign * total * 10n ** exp, SCALE);
  return {
    sku: optString(product.sku).trim(),
    description: optString(product.name ?? product.name_customer),
    amount: Number(minor),
  };
}

/**
 * An order-products file given beside BigCommerce refunds (saved answers of
 * `GET /v2/orders/{id}/products`): JSON (an array, an array of arrays, or `{"<order id>": [...]}`)
 * or one JSON value per line. Read whole: it holds the products of the refunded orders only.
 */
export async function readOrderProductsFile(file: string, name: string): Promise<Obj[]> {
  let text: string;
  try {
    text = (await fs.promises.readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  } catch {
    throw new UserError('file_not_readable', `Cannot read the order products file ${name}. Check the path.`, {
      file: name,
    });
  }
  const values: unknown[] = [];
  try {
    values.push(JSON.parse(text));
  } catch {
    // One JSON value per line.
    for (const [k, line] of text.split('\n').entries()) {
      if (line.trim() === '') continue;
      try {
        values.push(JSON.parse(line));
      } catch (error) {
        throw new UserError(
          'json_syntax',
          `The order products file is not valid JSON (${(error as Error).message}). Expected the answers of GET /v2/orders/{id}/products: an array of order products, or one array per line.`,
          { file: name, line: k + 1 },
        );
      }
    }
  }
  return [...indexOrderProducts(values, { file: name }).values()];
}
