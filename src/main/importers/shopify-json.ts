import { isUtf8 } from 'node:buffer';
import { UserError } from '../../shared/errors';
import type { CanonicalRefund, CanonicalRefundInput } from '../../shared/model';
import { restOrderInfo, shopifyOrderToRefunds, shopifyRefundToRefund } from '../mapping/shopify';
import { markChecked } from '../store/snapshot-validate';
import { type ImportContext, inputError, isObj, type Obj, type RefundBatch, shown } from './common';
import { LEAF, type ProjectSchema, projectJson } from './json-project';
import { looksLikeJsonLines, parseJsonLine, readJson } from './json-stream';
import { restOrderLineRefunds } from './shopify-rest-bytes';
import { decodeHead, readHead, type TextSource } from './source';

export { shopifyOrderToRefunds, shopifyRefundToRefund } from '../mapping/shopify';

/**
 * `shopify-json`: Shopify Admin REST order JSON (apis.md §2.5) — `{"orders":[…]}`,
 * `{"order":{…}}`, an array of orders, NDJSON with one order (or one page) per line, or
 * `{"refunds":[…]}` / `{"refund":{…}}` from the refunds endpoint.
 */
export async function* shopifyJsonRefunds(
  source: TextSource,
  ctx: ImportContext,
): AsyncGenerator<CanonicalRefundInput> {
  if (await isUtf8JsonLines(source)) {
    for await (const batch of ndjsonByteBatches(source, ctx)) {
      const accepted = batch.accepted;
      for (let k = 0; k < batch.length; k++) {
        const refund = batch[k]!;
        // Its consumer checks it at once (markChecked's one slot): the byte reader's is already checked.
        if (accepted?.[k]) markChecked(refund as CanonicalRefund);
        yield refund;
      }
    }
    return;
  }
  yield* textRefunds(source, ctx);
}

/**
 * The same refunds in arrays (one per chunk of JSON Lines, one per value otherwise), for the parse
 * thread's loop (BATCH_IMPORTERS in formats.ts): resuming an async generator once per refund, with
 * `yield*` over sync iterators awaiting each value, cost the parse thread several microtasks a refund.
 */
export async function* shopifyJsonRefundBatches(source: TextSource, ctx: ImportContext): AsyncGenerator<RefundBatch> {
  if (await isUtf8JsonLines(source)) {
    yield* ndjsonByteBatches(source, ctx);
    return;
  }
  for await (const refund of textRefunds(source, ctx)) yield [refund];
}

async function* textRefunds(source: TextSource, ctx: ImportContext): AsyncGenerator<CanonicalRefundInput> {
  for await (const item of readJson(source, { containerKeys: ['orders', 'refunds'] })) {
    if (item.key?.startsWith('.')) continue; // other members of a wrapper ({"orders":[…], "links":…})
    const where = { file: ctx.file, line: item.line };
    ctx.rows++;
    yield* fromValue(item.value, item.key, where, ctx);
  }
}

function isRefund(value: Obj): boolean {
  return (
    value.refund_line_items !== undefined ||
    value.order_adjustments !== undefined ||
    (value.transactions !== undefined && value.refunds === undefined)
  );
}

function* fromValue(
  value: unknown,
  key: string | null,
  where: { file: string; line: number },
  ctx: ImportContext,
): Generator<CanonicalRefundInput> {
  if (!isObj(value)) {
    throw inputError(
      'unexpected_json',
      `Expected a Shopify order object, found ${shown(value)}. The shopify-json format reads REST orders ({"orders":[…]}) or refunds ({"refunds":[…]}).`,
      where,
    );
  }
  if (key === 'refunds') {
    yield shopifyRefundToRefund(value, currencyOnly(ctx), where);
    return;
  }
  if (key === null) {
    if (Array.isArray(value.orders)) {
      for (const order of value.orders) yield* fromValue(order, 'orders', where, ctx);
      return;
    }
    if (isObj(value.order)) {
      yield* fromValue(value.order, 'orders', where, ctx);
      return;
    }
    if (Array.isArray(value.refunds) && value.id === undefined) {
      for (const refund of value.refunds) yield* fromValue(refund, 'refunds', where, ctx);
      return;
    }
    if (isObj(value.refund)) {
      yield* fromValue(value.refund, 'refunds', where, ctx);
      return;
    }
  }
  if (isRefund(value)) {
    yield shopifyRefundToRefund(value, currencyOnly(ctx), where);
    return;
  }
  if (value.refunds === undefined && value.id === undefined) {
    throw inputError(
      'unexpected_json',
      `Expected a Shopify order (with "id", "name" and "refunds"), found an object with ${Object.keys(value).slice(0, 5).join(', ') || 'no fields'}. Is this file in another format? Choose its format.`,
      where,
    );
  }
  if (value.refunds !== undefined && !Array.isArray(value.refunds)) {
    throw inputError('unexpected_json', `"refunds" should be a list, found ${shown(value.refunds)}.`, {
      ...where,
      field: 'refunds',
    });
  }
  // The order's id → name, for disputes that name it by id (orders without refunds included).
  // The one-shot keeps only the ids its disputes name: a map of every order was ~100 bytes of the
  // reading thread's heap per order, alive until the end of the file.
  const wanted = ctx.orderIdsWanted;
  if (value.id !== undefined && value.id !== null && (wanted === undefined || wanted.size > 0)) {
    const id = String(value.id);
    if (wanted === undefined || wanted.has(id)) {
      const name = restOrderInfo(value).name;
      if (name) {
        ctx.orderIds ??= new Map();
        ctx.orderIds.set(id, name);
      }
    }
  }
  // Orders without refunds are normal in a full export: they contribute nothing else.
  yield* shopifyOrderToRefunds(value, where);
}

function currencyOnly(ctx: ImportContext) {
  return ctx.currency ? { currency: ctx.currency } : undefined;
}

// ---------------------------------------------------------------------------------------------
// Byte-level NDJSON (the common large export: one REST order per line)

/**
 * Every member the REST mapping (fromValue, restOrderInfo, restRefundToNeutral, moneyBag) reads;
 * nothing else is built. Keep in step with mapping/shopify.ts: the differential test in
 * test/unit/importers/shopify-ndjson.test.ts checks that the projection maps like JSON.parse.
 */
const MONEY: ProjectSchema = { amount: LEAF, currency_code: LEAF, currencyCode: LEAF };
const MONEY_SET: ProjectSchema = {
  shop_money: MONEY,
  shopMoney: MONEY,
  presentment_money: MONEY,
  presentmentMoney: MONEY,
};
const REFUND_SCHEMA: ProjectSchema = {
  id: LEAF,
  order_id: LEAF,
  processed_at: LEAF,
  created_at: LEAF,
  note: LEAF,
  refund_line_items: {
    quantity: LEAF,
    subtotal: LEAF,
    subtotal_set: MONEY_SET,
    total_tax: LEAF,
    total_tax_set: MONEY_SET,
    line_item: { sku: LEAF, name: LEAF, title: LEAF },
  },
  // gateway and id are the refund's tender (tenders.md §1.2); without them a projected line's
  // tenders came out as `other` while the JSON.parse path's named the gateway.
  transactions: {
    amount_set: MONEY_SET,
    currency: LEAF,
    amount: LEAF,
    kind: LEAF,
    status: LEAF,
    test: LEAF,
    gateway: LEAF,
    id: LEAF,
  },
  // REST's return of an exchange (tenders.md §4.1): its id, kept whole as JSON.parse builds it.
  return: LEAF,
  order_adjustments: {
    kind: LEAF,
    amount: LEAF,
    amount_set: MONEY_SET,
    tax_amount: LEAF,
    tax_amount_set: MONEY_SET,
    reason: LEAF,
  },
  refund_shipping_lines: {
    subtotal_amount: LEAF,
    subtotal_amount_set: MONEY_SET,
    tax_amount: LEAF,
    tax_amount_set: MONEY_SET,
  },
};
const TOP_SCHEMA: { [key: string]: ProjectSchema | typeof LEAF } = {
  ...REFUND_SCHEMA,
  name: LEAF,
  order_number: LEAF,
  currency: LEAF,
  presentment_currency: LEAF,
  test: LEAF,
  refunds: REFUND_SCHEMA,
};
// A line may itself be a page or a wrapper: {"orders":[…]}, {"order":{…}}, {"refund":{…}}.
TOP_SCHEMA.orders = TOP_SCHEMA;
TOP_SCHEMA.order = TOP_SCHEMA;
TOP_SCHEMA.refund = TOP_SCHEMA;
export const SHOPIFY_REST_SCHEMA: ProjectSchema = TOP_SCHEMA;

/** The refunds of one line through the projection, or undefined (then the line goes through JSON.parse). */
export function fastLineRefunds(
  buf: Buffer,
  start: number,
  end: number,
  where: { file: string; line: number },
  ctx: ImportContext,
): CanonicalRefundInput[] | undefined {
  const projected = projectJson(buf, start, end, SHOPIFY_REST_SCHEMA);
  if (!projected) return undefined;
  try {
    return [...fromValue(projected.value, null, where, ctx)];
  } catch {
    return undefined; // the JSON.parse path throws the same error, with its own wording
  }
}

/** The decision readJson makes (JSON Lines when the first line is a complete value), made on bytes. */
async function isUtf8JsonLines(source: TextSource): Promise<boolean> {
  if (source.encoding !== 'utf-8' && source.encoding !== 'utf-8-bom') return false;
  // readJson decides on the first 1 MB chunk: the same bytes here.
  const { head } = await readHead(source.path, 1024 * 1024);
  const newline = head.indexOf(10);
  if (newline < 0) return false;
  const { text } = decodeHead(head.subarray(0, newline + 1), source.name);
  return looksLikeJsonLines(text.replace(/^\uFEFF/, ''));
}

function badUtf8(file: string, from: number, to: number): UserError {
  return new UserError(
    'bad_encoding',
    `The file is not valid UTF-8 text (an invalid byte sequence in bytes ${from}–${to}). It may be in a legacy encoding such as Windows-1252; export it again as UTF-8.`,
    { file },
  );
}

/**
 * JSON Lines read as bytes: lines are cut at LF with Buffer.indexOf, each run of complete lines
 * is checked with buffer.isUtf8 (no decoding of the whole file), and each line is projected
 * (json-project.ts) instead of JSON.parse'd. A line the projection does not take — a syntax
 * error, an unusual shape, a mapping error — is decoded and read by the JSON.parse path, so
 * results and error messages are those of readJson's lines mode.
 */
/**
 * The refunds of `refunds` in one array. When the iterator throws, the refunds before the failure
 * are yielded first and the error is thrown after them: a consumer checking each refund meets the
 * errors in file order, as it did one refund at a time.
 */
function* inOrder(refunds: Iterable<CanonicalRefundInput>, fromBytes?: () => boolean): Generator<RefundBatch> {
  const out: RefundBatch = [];
  // Which refunds the byte reader made (already checked): asked as each one arrives.
  const accepted: boolean[] | undefined = fromBytes ? [] : undefined;
  if (accepted) out.accepted = accepted;
  let failure: unknown;
  let failed = false;
  try {
    for (const refund of refunds) {
      out.push(refund);
      accepted?.push(fromBytes!());
    }
  } catch (error) {
    failure = error;
    failed = true;
  }
  if (out.length > 0) yield out;
  if (failed) throw failure;
}

/**
 * Whether the REST order byte reader is worth trying on the next line. It gives up on shapes it
 * leaves to the projection (`*_set` money, presentment money, returns…), often only after reading
 * much of the line: on a file of such lines (the import bench's, with `*_set` on every amount)
 * that would be a second scan of each. After 64 lines of which it took fewer than half, the rest
 * of the file goes straight to the projection (the results are the same either way).
 */
class WorthTrying {
  private tries = 0;
  private taken = 0;
  private on = true;

  /** Counts the reader's `result` on one line (undefined: it gave up) and returns it. */
  count<T>(result: T | undefined): T | undefined {
    this.tries++;
    if (result !== undefined) this.taken++;
    else if (this.tries >= 64 && this.taken * 2 < this.tries) this.on = false;
    return result;
  }

  get worth(): boolean {
    return this.on;
  }
}

async function* ndjsonByteBatches(source: TextSource, ctx: ImportContext): AsyncGenerator<RefundBatch> {
  const file = ctx.file;
  // Whether the refunds `lines` yields now are the byte reader's (inOrder asks per refund).
  let bytesMade = false;
  const fromBytes = () => bytesMade;
  let line = 0;
  let offset = 0; // file offset (after a BOM) of the start of `carry`
  let carry: Buffer | undefined; // an incomplete last line from the previous chunk
  const bytesReader = new WorthTrying();
  const slow = function* (buf: Buffer, s: number, e: number, atEof: boolean): Generator<CanonicalRefundInput> {
    const parsed = parseJsonLine(file, buf.toString('utf8', s, e), line, atEof);
    if (!parsed) return;
    ctx.rows++;
    yield* fromValue(parsed.value, null, { file, line }, ctx);
  };
  const isBlank = (buf: Buffer, s: number, e: number): boolean => {
    for (let k = s; k < e; k++) {
      const c = buf[k];
      if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
    }
    return true;
  };
  /** Reads the complete lines of buf[s, e) (e is just past an LF). */
  const lines = function* (buf: Buffer, s: number, e: number): Generator<CanonicalRefundInput> {
    let start = s;
    while (start < e) {
      const nl = buf.indexOf(10, start);
      const lineEnd = nl < 0 || nl >= e ? e : nl;
      line++;
      const contentEnd = lineEnd > start && buf[lineEnd - 1] === 0x0d ? lineEnd - 1 : lineEnd;
      if (!isBlank(buf, start, contentEnd)) {
        // The common order straight from its bytes; else the projection; else JSON.parse.
        const checked = bytesReader.worth
          ? bytesReader.count(restOrderLineRefunds(buf, start, contentEnd, ctx))
          : undefined;
        const refunds = checked ?? fastLineRefunds(buf, start, contentEnd, { file, line }, ctx);
        bytesMade = checked !== undefined;
        if (refunds) {
          ctx.rows++;
          yield* refunds;
        } else yield* slow(buf, start, lineEnd, false);
        bytesMade = false;
      } else if (contentEnd > start) {
        // Only blanks (ASCII): skipped like an empty line.
      }
      start = lineEnd + 1;
    }
  };
  for await (const chunk of source.rawChunks()) {
    let from = 0;
    if (carry) {
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        carry = Buffer.concat([carry, chunk]);
        if (carry.length > 256 * 1024 * 1024) {
          throw inputError(
            'json_syntax',
            `Line ${line + 1} is longer than 256 MB; this is not a JSON Lines export. Export the orders again.`,
            { file, line: line + 1 },
          );
        }
        continue;
      }
      const joined = Buffer.concat([carry, chunk.subarray(0, nl + 1)]);
      if (!isUtf8(joined)) throw badUtf8(file, offset, offset + joined.length);
      yield* inOrder(lines(joined, 0, joined.length), fromBytes);
      offset += joined.length;
      carry = undefined;
      from = nl + 1;
    }
    const last = chunk.lastIndexOf(10);
    if (last >= from) {
      const region = chunk.subarray(from, last + 1);
      if (!isUtf8(region)) throw badUtf8(file, offset, offset + region.length);
      yield* inOrder(lines(chunk, from, last + 1), fromBytes);
      offset += region.length;
      from = last + 1;
    }
    if (from < chunk.length) carry = Buffer.from(chunk.subarray(from));
  }
  if (carry && carry.length > 0) {
    // The last line has no LF: decode it like the text path (fatal), then read it.
    let text: string;
    const decoder = new TextDecoder('utf-8', { fatal: true });
    try {
      text = decoder.decode(carry, { stream: true });
    } catch {
      throw badUtf8(file, offset, offset + carry.length);
    }
    try {
      text += decoder.decode();
    } catch {
      throw new UserError(
        'truncated_file',
        'The file ends in the middle of a UTF-8 character: it looks truncated. Export or download it again.',
        { file },
      );
    }
    line++;
    const parsed = parseJsonLine(file, text, line, true);
    if (parsed) {
      ctx.rows++;
      yield* inOrder(fromValue(parsed.value, null, { file, line }, ctx));
    }
  }
}
