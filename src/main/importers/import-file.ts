import { createHash } from 'node:crypto';
import fs from 'node:fs';
import {
  ColumnMapping,
  type DateFormat,
  type DetectedFormat,
  FORMAT_SIDES,
  type ImportFormat,
  ItemRoles,
  TenderMapping,
} from '../../shared/contract/snapshot';
import type { SnapshotSummary } from '../../shared/contract/workspace';
import { UserError } from '../../shared/errors';
import type { Side } from '../../shared/model';
import { resolveCurrency } from '../../shared/money';
import { type KeyField, MatchColumnCollector } from '../store/column-collector';
import type { SnapshotColumns } from '../store/match-cache';
import type { Db } from '../store/open';
import { writeOrderIds } from '../store/order-ids';
import { columnsFromBlob, moveBlobRowIds } from '../store/packed-column-collector';
import { type RefundFeed, writeSnapshot } from '../store/snapshot-writer';
import { getSnapshot, snapshotsOfFileSize } from '../store/snapshots';
import { indexOrderProducts, readOrderProductsFile } from './bigcommerce-order-products';
import { IMPORTER_VERSION, makeContext } from './common';
import { checkSide, detectFormat, FORMAT_DESCRIPTIONS } from './detect';
import { IMPORTERS } from './formats';
import {
  type ParseEnd,
  type ParseOptions,
  type ParseThread,
  type ParseThreadMode,
  parseThreadWanted,
  startParseThread,
} from './parse-thread';
import { decodeHead, displayName, type Encoding, openSource, readHead, statRegularFile } from './source';

export interface ImportProgress {
  /** `waiting`: another import or compare is writing to the workspace (store/busy.ts). */
  phase: 'checking' | 'waiting' | 'importing' | 'done';
  bytesRead: number;
  totalBytes: number;
  rows: number;
  refunds: number;
}

export interface ImportFileOptions {
  file: string;
  side: Side;
  /** Skip detection and read the file in this format. */
  format?: ImportFormat;
  /** Saved-search header mapping: a JSON file path, or the mapping (canonical column → your header). */
  mapping?: string | Record<string, unknown>;
  dateFormat?: DateFormat;
  decimalComma?: boolean;
  /** Currency for exports that do not carry one (BigCommerce, a saved search without Currency). */
  currency?: string;
  /**
   * BigCommerce: the order products of the refunded orders (a file of `GET /v2/orders/{id}/products`
   * answers, or the products themselves), which price product refunds (refund items carry no SKU
   * and no amount).
   */
  orderProducts?: string | readonly Record<string, unknown>[];
  itemRoles?: ItemRoles;
  label?: string;
  storefrontAccountId?: number;
  netsuiteAccountId?: number;
  /** Import even when a snapshot of the same file (same side and SHA-256) exists. */
  allowDuplicate?: boolean;
  /**
   * Parse on a second thread while this one writes (`auto`: files of 32 MB (CSV) / 64 MB (JSON)
   * and more, see parse-thread.ts; the REFUND_RECON_PARSE_THREAD environment variable sets the default).
   */
  parseThread?: ParseThreadMode;
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
  /**
   * Also build the matcher's columns of the new snapshot from the rows as they are written (the
   * refund key read from this field), returned as `matchColumns`: a comparison that follows
   * need not read the snapshot back.
   */
  matchColumns?: KeyField;
  /**
   * With `matchColumns`: the caller only stores the match index. When the parse thread built the
   * columns, only their encoded blob comes back (`matchBlob`, row ids moved in place), not decoded
   * columns (`matchColumns` then absent); without a parse thread the columns come as usual.
   */
  matchIndexOnly?: boolean;
}

export interface ImportFileResult {
  /** The new snapshot, or the earlier one when the file was already imported. */
  snapshotId: number;
  /** False when nothing was imported because the file was already imported. */
  created: boolean;
  snapshot: SnapshotSummary;
  format: ImportFormat;
  formatReason: string;
  refundCount: number;
  lineCount: number;
  rowCount: number;
  alreadyImported?: SnapshotSummary;
  notes: string[];
  /** Whether a parse thread was used, and its CPU time where the OS tells it (benchmarks). */
  parseThread?: { cpuMs: number | null };
  /** The new snapshot's matching columns, when asked for with `matchColumns` (see `matchIndexOnly`). */
  matchColumns?: SnapshotColumns;
  /**
   * The same columns already encoded as the match index stores them (encodeColumns), when the
   * parse thread built them: stored as they are, with no second encoding.
   */
  matchBlob?: Buffer;
}

/** What a mapping file holds: header names, and optionally tender mapping and item roles. */
export interface LoadedMapping {
  columns: Record<string, string> | undefined;
  tenders?: TenderMapping;
  itemRoles?: ItemRoles;
}

/**
 * Splits a mapping object: `tenders` (tenders.md §1.3) and `itemRoles` (with `tender` items, §1.4)
 * are objects; every other key maps a column name to your header name.
 */
function splitMapping(value: unknown, name: string | undefined): LoadedMapping {
  const where = name ? { file: name } : {};
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  const { tenders, itemRoles, ...rest } = (isObject ? value : {}) as Record<string, unknown>;
  const out: LoadedMapping = { columns: undefined };
  if (tenders !== undefined) {
    const parsed = TenderMapping.safeParse(tenders);
    if (!parsed.success) {
      throw new UserError(
        'bad_mapping',
        `The mapping's "tenders" is not valid: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}. Expected {"storefront": [{"platform": "shopify", "gateway": "…", "kind": "card"}], "netsuite": [{"paymentMethod": "…", "kind": "store_credit"}]}.`,
        where,
      );
    }
    out.tenders = parsed.data;
  }
  if (itemRoles !== undefined) {
    const parsed = ItemRoles.safeParse(itemRoles);
    if (!parsed.success) {
      throw new UserError(
        'bad_mapping',
        `The mapping's "itemRoles" is not valid: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}. Expected {"tender": [{"item": "Store Credit", "kind": "store_credit"}]}.`,
        where,
      );
    }
    out.itemRoles = parsed.data;
  }
  const parsed = ColumnMapping.safeParse(rest);
  if (!isObject || !parsed.success) {
    throw new UserError(
      'bad_mapping',
      'The mapping file must be one JSON object from column names to your header names, such as {"Storefront Order": "Shopify Order #", "Amount": "Net Amount"}.',
      where,
    );
  }
  out.columns = parsed.data;
  return out;
}

export async function loadMapping(mapping: string | Record<string, unknown> | undefined): Promise<LoadedMapping> {
  if (mapping === undefined) return { columns: undefined };
  if (typeof mapping !== 'string') return splitMapping(mapping, undefined);
  const name = displayName(mapping);
  await statRegularFile(mapping);
  let text: string;
  try {
    text = await fs.promises.readFile(mapping, 'utf8');
  } catch {
    throw new UserError('file_not_readable', `Cannot read the mapping file ${mapping}. Check the path.`, {
      file: name,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new UserError(
      'json_syntax',
      `The mapping file is not valid JSON (${(error as Error).message}). Expected an object such as {"Storefront Order": "Shopify Order #"}.`,
      { file: name },
    );
  }
  return splitMapping(value, name);
}

export function definedOnly(roles: ItemRoles | undefined): ItemRoles {
  const out: ItemRoles = {};
  if (!roles) return out;
  for (const [k, v] of Object.entries(roles)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

async function hashFile(file: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20, signal }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
  }
  return hash.digest('hex');
}

/** Files already imported on this side with the same size: only then is a SHA-256 pre-pass worth it. */
function sameSizeSnapshots(db: Db, side: Side, size: number): { id: number; file_sha256: string }[] {
  return snapshotsOfFileSize(db, side, size);
}

/**
 * Imports one export file into a new snapshot: detects the format (or uses `format`), streams and
 * parses it, and writes all refunds in one transaction. Bad input throws a UserError naming file,
 * line and column/field, and leaves no snapshot behind; so does an abort.
 */
export async function importFile(db: Db, options: ImportFileOptions): Promise<ImportFileResult> {
  const { file, side, signal } = options;
  const name = displayName(file);
  // A pipe, device or folder is refused before anything opens it (opening a pipe can block forever).
  await statRegularFile(file);
  let detected: DetectedFormat;
  if (options.format) {
    const { head } = await readHead(file);
    const { encoding } = head.length > 0 ? decodeHead(head, name) : { encoding: 'utf-8' as const };
    detected = { format: options.format, side: null, reason: 'chosen by you', encoding };
    if (!FORMAT_SIDES[options.format].includes(side)) checkSide(detected, side, name);
  } else {
    detected = await detectFormat(file, side);
  }
  if (options.currency !== undefined && !resolveCurrency(options.currency)) {
    throw new UserError(
      'unknown_currency',
      `The currency ${JSON.stringify(options.currency)} given for this import is not an ISO 4217 code such as USD.`,
      { field: 'currency' },
    );
  }
  const loaded = await loadMapping(options.mapping);
  const mapping = loaded.columns;
  const tenderMapping = loaded.tenders;
  // Item roles: the file's, with the options' (the CLI flags, the app's settings) over them.
  const itemRoles =
    loaded.itemRoles || options.itemRoles ? { ...loaded.itemRoles, ...definedOnly(options.itemRoles) } : undefined;
  const orderProducts =
    typeof options.orderProducts === 'string'
      ? await readOrderProductsFile(options.orderProducts, displayName(options.orderProducts))
      : options.orderProducts
        ? [...options.orderProducts]
        : undefined;
  const stat = await statRegularFile(file);

  let bytesRead = 0;
  let refunds = 0;
  const ctx = makeContext({
    file: name,
    side,
    format: detected.format,
    dateFormat: options.dateFormat,
    decimalComma: options.decimalComma,
    currency: options.currency ? resolveCurrency(options.currency) : undefined,
    itemRoles,
    mapping,
    ...(tenderMapping ? { tenderMapping } : {}),
    orderProducts: orderProducts ? indexOrderProducts(orderProducts, { file: name }) : undefined,
  });
  let lastReport = 0;
  const report = (phase: ImportProgress['phase'], force = false): void => {
    if (!options.onProgress) return;
    const now = Date.now();
    if (!force && now - lastReport < 100) return;
    lastReport = now;
    options.onProgress({ phase, bytesRead, totalBytes: stat.size, rows: ctx.rows, refunds });
  };

  // Already imported? Same side, same size, same SHA-256.
  const candidates = sameSizeSnapshots(db, side, stat.size);
  if (candidates.length > 0) {
    report('checking', true);
    const sha = await hashFile(file, signal);
    const match = candidates.find((c) => c.file_sha256 === sha);
    const earlier = match ? getSnapshot(db, match.id) : undefined;
    if (earlier && !options.allowDuplicate) {
      return {
        snapshotId: earlier.id,
        created: false,
        snapshot: earlier,
        format: detected.format,
        formatReason: detected.reason,
        refundCount: earlier.refundCount,
        lineCount: earlier.lineCount,
        rowCount: earlier.rowCount,
        alreadyImported: earlier,
        // The advice (import anyway) is the face's to word: `alreadyImported` is its cue.
        notes: [
          `This file was already imported on ${earlier.createdAt} as snapshot ${earlier.id} ("${earlier.label}"). Nothing was imported.`,
        ],
      };
    }
  }

  let feed: RefundFeed;
  let finished: () => Pick<ParseEnd, 'sha256' | 'encoding'>;
  let thread: ParseThread | undefined;
  const parseOptions: ParseOptions = {
    dateFormat: options.dateFormat,
    decimalComma: options.decimalComma,
    currency: ctx.currency,
    itemRoles,
    mapping,
    ...(tenderMapping ? { tenderMapping } : {}),
    orderProducts,
  };
  if (parseThreadWanted(options.parseThread, stat.size, detected.format, parseOptions)) {
    // Parse, map, validate and pack on a second thread; this thread only writes (parse-thread.ts).
    thread = startParseThread({
      file,
      side,
      format: detected.format,
      options: parseOptions,
      ...(options.matchColumns ? { matchColumns: options.matchColumns } : {}),
      signal,
      onProgress: (bytes, rows) => {
        bytesRead = bytes;
        ctx.rows = rows;
        report('importing');
      },
    });
    feed = { packed: thread.batches };
    const parsed = thread;
    finished = () => {
      const end = parsed.end();
      ctx.rows = end.rows;
      ctx.notes.push(...end.notes);
      if (end.orderIds.length > 0) ctx.orderIds = new Map(end.orderIds);
      return end;
    };
  } else {
    const source = await openSource(file, {
      signal,
      onProgress: (p) => {
        bytesRead = p.bytesRead;
        report('importing');
      },
    });
    feed = IMPORTERS[detected.format](source, ctx);
    finished = () => ({ sha256: source.sha256(), encoding: source.encoding as Encoding });
  }
  const label = options.label ?? name;
  // With a parse thread, the thread builds the match columns from the batches it sends; else the
  // writer's rows feed a collector here.
  const collector = options.matchColumns && !thread ? new MatchColumnCollector(options.matchColumns) : null;
  let firstRowId = 0;
  let threadColumns: { columns: SnapshotColumns; blob: Buffer | null } | undefined;
  let threadBlob: Buffer | null = null;
  let snapshotId: number;
  try {
    snapshotId = await writeSnapshot(
      db,
      {
        side,
        label,
        source: 'file',
        format: detected.format,
        importerVersion: IMPORTER_VERSION,
        fileName: name,
        fileSize: stat.size,
        storefrontAccountId: options.storefrontAccountId,
        netsuiteAccountId: options.netsuiteAccountId,
      },
      feed,
      {
        signal,
        ...(collector ? { rows: collector } : {}),
        onFirstRowId: (id) => {
          firstRowId = id;
        },
        onBusy: () => report('waiting', true),
        onProgress: (n) => {
          refunds = n;
          report('importing');
        },
        finalMeta: () => {
          const { sha256, encoding } = finished();
          return {
            fileSha256: sha256,
            rowCount: ctx.rows,
            provenance: {
              path: file,
              encoding,
              formatReason: detected.reason,
              formatDescription: FORMAT_DESCRIPTIONS[detected.format],
              options: {
                dateFormat: options.dateFormat ?? 'auto',
                decimalComma: options.decimalComma ?? false,
                currency: options.currency ?? null,
                mapping: mapping ?? null,
                itemRoles: ctx.itemRoles,
                ...(tenderMapping ? { tenderMapping } : {}),
                ...(typeof options.orderProducts === 'string' ? { orderProducts: options.orderProducts } : {}),
              },
              notes: ctx.notes,
            },
          };
        },
        // Order id → name (Shopify REST), beside the snapshot for disputes that name orders by id.
        beforeCommit: (id) => {
          if (ctx.orderIds) writeOrderIds(db, id, ctx.orderIds);
        },
      },
    );
    if (thread && options.matchColumns) {
      const parsed = await thread.columns();
      const refundCount = getSnapshot(db, snapshotId)!.refundCount;
      // Only the index is wanted: the blob's row ids are moved without decoding the columns.
      if (options.matchIndexOnly && parsed.count === refundCount) {
        threadBlob = moveBlobRowIds(parsed.blob, firstRowId, refundCount);
      }
      if (!threadBlob) threadColumns = columnsFromBlob(parsed.blob, firstRowId, refundCount) ?? undefined;
      if ((!threadColumns && !threadBlob) || parsed.count !== refundCount) {
        throw new Error(`match columns: ${parsed.count} rows from the parse thread, ${refundCount} written`);
      }
    }
  } finally {
    thread?.close();
  }
  const snapshot = getSnapshot(db, snapshotId)!;
  refunds = snapshot.refundCount;
  bytesRead = stat.size;
  report('done', true);
  return {
    snapshotId,
    created: true,
    snapshot,
    format: detected.format,
    formatReason: detected.reason,
    refundCount: snapshot.refundCount,
    lineCount: snapshot.lineCount,
    rowCount: snapshot.rowCount,
    notes: ctx.notes,
    ...(thread ? { parseThread: { cpuMs: thread.end().cpuMs } } : {}),
    ...(collector ? { matchColumns: collector.finish(db, snapshotId) } : {}),
    ...(threadColumns ? { matchColumns: threadColumns.columns } : {}),
    ...(threadColumns?.blob ? { matchBlob: threadColumns.blob } : {}),
    ...(threadBlob ? { matchBlob: threadBlob } : {}),
  };
}
