import path from 'node:path';
import { type DetectedFormat, FORMAT_SIDES, type ImportFormat } from '../../shared/contract/snapshot';
import { UserError } from '../../shared/errors';
import type { Side } from '../../shared/model';
import { normHeader } from './csv-columns';
import { parseCsvText, sniffDelimiter } from './csv-stream';
import { decodeHead, displayName, type Encoding, readHead } from './source';

export const FORMAT_DESCRIPTIONS: Record<ImportFormat, string> = {
  'shopify-json': 'Shopify Admin REST orders JSON (orders with refunds[]; also NDJSON and {"refunds":[…]})',
  'shopify-jsonl': 'Shopify GraphQL bulk-operation JSONL (objects with __parentId)',
  'shopify-csv': 'Shopify admin "Export orders" CSV (order-level refunded amounts)',
  'bigcommerce-json': 'BigCommerce v3 refunds collection {"data":[…]}',
  'woocommerce-json': 'WooCommerce v3 order refunds (array of refunds, or orders with refunds)',
  'saved-search-csv': 'NetSuite transaction saved search exported as CSV (one row per line)',
  'suiteql-json': 'NetSuite SuiteQL REST response pages {"items":[…],"hasMore":…}',
  'record-json': 'NetSuite REST record GETs with expandSubResources=true',
  'canonical-json': "This app's canonical refund JSON",
  'canonical-csv': "This app's canonical refund CSV",
};

const SIDE_WORDS: Record<Side, string> = { storefront: 'storefront', netsuite: 'NetSuite' };

function result(format: ImportFormat, reason: string, encoding: Encoding, side: Side | null = null): DetectedFormat {
  const sides = FORMAT_SIDES[format];
  return { format, side: side ?? (sides.length === 1 ? sides[0]! : null), reason, encoding };
}

/** Detection on the first bytes of a file, already decoded (pure; see detectFormat). */
export function detectFromText(text: string, fileName: string, encoding: Encoding = 'utf-8'): DetectedFormat {
  const name = displayName(fileName);
  const ext = path.extname(fileName).toLowerCase();
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed === '') {
    throw new UserError('empty_file', 'The file is empty (nothing but blank space). Export it again.', {
      file: name,
      line: 1,
    });
  }
  const first = trimmed[0];
  if (first === '{' || first === '[') {
    const firstLine = trimmed.slice(0, Math.max(0, trimmed.indexOf('\n'))) || trimmed;
    let firstValue: unknown;
    try {
      firstValue = JSON.parse(firstLine);
    } catch {
      firstValue = undefined;
    }
    const isLines = firstValue !== undefined && trimmed.indexOf('\n') > 0;
    if (
      /"__parentId"\s*:/.test(trimmed) ||
      (isLines &&
        typeof (firstValue as { id?: unknown })?.id === 'string' &&
        /^gid:\/\/shopify\//.test((firstValue as { id: string }).id))
    ) {
      return result(
        'shopify-jsonl',
        'JSON Lines with Shopify GraphQL ids (gid://shopify/…) and __parentId: a GraphQL bulk-operation file',
        encoding,
      );
    }
    if (
      /"recordType"\s*:\s*"(refund|cashRefund|creditMemo|customerRefund|returnAuthorization)"/.test(trimmed) &&
      /"kind"\s*:\s*"(line_item|general)"/.test(trimmed)
    ) {
      const side = /"side"\s*:\s*"(storefront|netsuite)"/.exec(trimmed)?.[1] as Side | undefined;
      return result('canonical-json', 'JSON with canonical fields (side, recordType, kind)', encoding, side ?? null);
    }
    if (
      /"(tranid|trandate|foreignamount|foreigntotal)"\s*:/.test(trimmed) ||
      (/"hasMore"\s*:/.test(trimmed) && /"items"\s*:/.test(trimmed) && !/"tranId"/.test(trimmed))
    ) {
      return result(
        'suiteql-json',
        'JSON with SuiteQL lower-case columns (tranid, trandate, …) in a {"items":[…],"hasMore":…} envelope',
        encoding,
      );
    }
    if (/"(tranId|tranDate)"\s*:/.test(trimmed)) {
      return result('record-json', 'JSON with NetSuite record fields (tranId, tranDate)', encoding);
    }
    if (
      /"(refund_line_items|order_adjustments|financial_status|processed_at|admin_graphql_api_id)"\s*:/.test(trimmed) ||
      /^\{\s*"orders?"\s*:/.test(trimmed)
    ) {
      return result(
        'shopify-json',
        'JSON with Shopify REST order fields (orders, refunds, refund_line_items)',
        encoding,
      );
    }
    if (/"(provider_id|item_type|total_amount|uses_merchant_override_values)"\s*:/.test(trimmed)) {
      return result(
        'bigcommerce-json',
        'JSON with BigCommerce refund fields (payments, provider_id, item_type)',
        encoding,
      );
    }
    if (/"(refunded_payment|refunded_by|date_created_gmt|date_created)"\s*:/.test(trimmed)) {
      return result(
        'woocommerce-json',
        'JSON with WooCommerce refund fields (date_created, refunded_by, line_items)',
        encoding,
      );
    }
    if (/"refunds"\s*:\s*\[/.test(trimmed)) {
      return result('shopify-json', 'JSON objects carrying "refunds" lists (Shopify REST orders)', encoding);
    }
    throw new UserError(
      'unknown_format',
      `Cannot tell which export this JSON file is: none of the known fields were found in its first ${Math.round(text.length / 1024)} KB. Choose its format yourself (one of ${Object.keys(FORMAT_DESCRIPTIONS).join(', ')}).`,
      { file: name, line: 1 },
    );
  }
  if (ext === '.json' || ext === '.jsonl' || ext === '.ndjson') {
    throw new UserError(
      'json_syntax',
      `The file is named ${ext} but does not start with { or [ (found ${JSON.stringify(trimmed.slice(0, 12))}). Expected JSON; export it again or check that this is the right file.`,
      { file: name, line: 1, column: '1' },
    );
  }
  // CSV: look at the header row.
  const headEnd = trimmed.search(/\r?\n/);
  const headerText = headEnd < 0 ? trimmed : trimmed.slice(0, headEnd);
  let header: string[] = [];
  try {
    header = parseCsvText(`${headerText}\n`, { delimiter: sniffDelimiter(headerText) })[0]?.fields ?? [];
  } catch {
    header = headerText.split(sniffDelimiter(headerText));
  }
  const h = new Set(header.map(normHeader));
  if (h.has('recordtype') && h.has('linesku')) {
    const sideCol = header.map((x) => x.trim()).indexOf('side');
    let side: Side | null = null;
    if (sideCol >= 0 && headEnd >= 0) {
      const row = trimmed.slice(headEnd).trimStart().split(/\r?\n/)[0] ?? '';
      const cell = row.split(',')[sideCol];
      if (cell === 'storefront' || cell === 'netsuite') side = cell;
    }
    return result('canonical-csv', 'CSV with the canonical columns (side, recordType, lineSku, …)', encoding, side);
  }
  if (h.has('lineitem quantity') || (h.has('financial status') && h.has('refunded amount'))) {
    return result(
      'shopify-csv',
      'CSV with Shopify "Export orders" columns (Name, Financial Status, Lineitem quantity, Refunded Amount)',
      encoding,
    );
  }
  const has = (...names: string[]) => names.some((n) => h.has(n));
  if (
    has('internal id', 'id') &&
    has('type', 'transaction type') &&
    has('amount', 'amount (foreign currency)', 'amount (transaction currency)')
  ) {
    return result('saved-search-csv', 'CSV with NetSuite saved-search columns (Internal ID, Type, Amount)', encoding);
  }
  if (
    (has('internal id', 'id') && has('type', 'transaction type')) ||
    (has('type', 'transaction type') && has('document number', 'tran id', 'main line', 'created from'))
  ) {
    return result(
      'saved-search-csv',
      'CSV with NetSuite saved-search columns (Type, Document Number); a required column may be missing',
      encoding,
    );
  }
  throw new UserError(
    'unknown_format',
    `Cannot tell which export this file is from its header (${header.slice(0, 12).join(', ')}). Expected a NetSuite saved search (Internal ID, Type, Date, Amount, …), a Shopify orders export, or the canonical CSV. Choose its format yourself, or map your columns to the canonical ones.`,
    { file: name, line: 1 },
  );
}

/** Detects a file's format from its extension and first 64 KB, and says why. */
export async function detectFormat(file: string, side?: Side): Promise<DetectedFormat> {
  const name = displayName(file);
  const { head, size } = await readHead(file);
  if (size === 0) {
    throw new UserError('empty_file', 'The file is empty (0 bytes). Export it again; the export may have failed.', {
      file: name,
    });
  }
  const { text, encoding } = decodeHead(head, name);
  const detected = detectFromText(text, file, encoding);
  if (side) checkSide(detected, side, name);
  return detected;
}

/** Refuses a file of the other side with a message that says which side it belongs to. */
export function checkSide(
  detected: Pick<DetectedFormat, 'format' | 'side' | 'reason'>,
  side: Side,
  file: string,
): void {
  const sides = FORMAT_SIDES[detected.format];
  const other = detected.side && detected.side !== side ? detected.side : !sides.includes(side) ? sides[0] : undefined;
  if (other) {
    throw new UserError(
      'wrong_side',
      `This file is a ${SIDE_WORDS[other]} export (${detected.format}: ${detected.reason}), but you are importing the ${SIDE_WORDS[side]} side. Import it as the ${SIDE_WORDS[other]} side, or choose another format if the detection is wrong.`,
      { file },
      { side: other },
    );
  }
}
