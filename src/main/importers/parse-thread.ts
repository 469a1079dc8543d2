import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import type { DateFormat, ImportFormat, ItemRoles, TenderMapping } from '../../shared/contract/snapshot';
import { UserError } from '../../shared/errors';
import type { Side } from '../../shared/model';
import { builtEntry } from '../built-entry';
import type { Task, WorkerMessage } from '../jobs/types';
import type { KeyField } from '../store/match-cache';
import { PackedColumnCollector } from '../store/packed-column-collector';
import type { PackedBatch } from '../store/packed-refunds';
import { threadCpuMs } from '../thread-cpu';
import { indexOrderProducts } from './bigcommerce-order-products';
import { makeContext } from './common';
import { packFileRefunds } from './pack-refunds';
import { displayName, type Encoding, openSource } from './source';

/**
 * The parallel import: one thread parses and maps the file (and validates and packs each refund),
 * the calling thread writes to SQLite inside its transaction. Batches cross as flat arrays of
 * primitives (PackedBatch) over a MessageChannel; a credit scheme bounds the batches in flight, so
 * memory stays flat whatever the file size. The parse thread is the jobs worker entry (the bundled
 * out/main/worker.js, see built-entry.ts) running the `import-parse` task.
 */

/** `auto` uses the parse thread for files of at least parseThreadMinBytes(format). */
export type ParseThreadMode = 'auto' | 'always' | 'never';

/**
 * Below these sizes a second thread costs more than it saves: starting it (the jobs worker loads
 * the task registry) and a second heap cost ~1 s CPU, while the overlap saves a share of the
 * single-thread time. Re-measured on the bundle (issue 12) on the idle 2-core machine, 2026-12-06,
 * `IMPORT_BENCH_MODES=never,always node bin/bench.js import` at three sizes (wall, never → always):
 * Shopify NDJSON 46 MB 1.5 → 1.8 s, 137 MB 4.5 → 3.5–3.8 s (break-even ≈ 70 MB); saved-search CSV
 * 9 MB 1.2 → 1.7 s, 27 MB 3.1–3.5 → 3.2–3.5 s (break-even ≈ 27 MB). Hence 64 MB for JSON (kept)
 * and 32 MB for CSV (was 16 MB, tuned under tsx). Figures: docs/benchmarks/import.md.
 */
export const PARSE_THREAD_MIN_BYTES_JSON = 64 * 1024 * 1024;
export const PARSE_THREAD_MIN_BYTES_CSV = 32 * 1024 * 1024;
/**
 * A canonical CSV read with the importer's defaults goes through the flat byte reader, which only
 * the parse thread runs (pack-refunds.ts): from a few MB on, that path costs less CPU in all than
 * the in-thread importer, thread start included. Measured 2026-12-07 (load ~8, CPU user + sys,
 * never → always): 2 MB 1.1 → 1.6 s, 5 MB 1.7 → 1.7 s, 21 MB 5.1 → 4.7 s (and 330 → 295 MB RSS).
 */
export const PARSE_THREAD_MIN_BYTES_FLAT_CSV = 4 * 1024 * 1024;

export function parseThreadMinBytes(format: ImportFormat, options?: ParseOptions): number {
  if (options && flatCandidate(format, options)) return PARSE_THREAD_MIN_BYTES_FLAT_CSV;
  return format.endsWith('-csv') ? PARSE_THREAD_MIN_BYTES_CSV : PARSE_THREAD_MIN_BYTES_JSON;
}

/** The flat byte reader is tried first: a canonical CSV read with the importer's defaults (no options). */
export function flatCandidate(format: ImportFormat, options: ParseOptions): boolean {
  return format === 'canonical-csv' && Object.values(options).every((v) => v === undefined);
}

/** Refunds per batch, and batches in flight (parsed, not yet written). */
const BATCH_REFUNDS = 1024;
const WINDOW = 8;

/** `options`: the importer options the thread would get (a flat canonical CSV has a lower threshold). */
export function parseThreadWanted(
  mode: ParseThreadMode | undefined,
  size: number,
  format: ImportFormat,
  options?: ParseOptions,
): boolean {
  const chosen = mode ?? (process.env.REFUND_RECON_PARSE_THREAD as ParseThreadMode | undefined) ?? 'auto';
  if (chosen === 'always') return true;
  if (chosen === 'never') return false;
  return size >= parseThreadMinBytes(format, options);
}

/** Importer options that reach the parse thread (all structured-cloneable). */
export interface ParseOptions {
  dateFormat?: DateFormat;
  decimalComma?: boolean;
  /** An ISO code, already resolved. */
  currency?: string;
  itemRoles?: ItemRoles;
  mapping?: Record<string, string>;
  /** The user's tender mapping (tenders.md §1.3). */
  tenderMapping?: TenderMapping;
  /** BigCommerce order products (plain objects; indexed on the thread). */
  orderProducts?: Record<string, unknown>[];
}

export interface ImportParseInput {
  file: string;
  side: Side;
  format: ImportFormat;
  options: ParseOptions;
  port: MessagePort;
  batchRefunds?: number;
  window?: number;
  /** Also build the snapshot's match columns here (packed-column-collector.ts), keyed by this field. */
  matchColumns?: KeyField;
}

/** What the parse thread reports after its last batch. */
interface ParseThreadEnd {
  rows: number;
  notes: string[];
  /** The importer's order id → name pairs (ImportContext.orderIds), empty when it gave none. */
  orderIds: Array<[string, string]>;
  encoding: Encoding;
  bytesRead: number;
  /** CPU time of the parse thread (user + sys), where the OS tells it (Linux); else null. */
  cpuMs: number | null;
}

/** The end of a parallel parse: the thread's figures and the SHA-256 the writing thread computed. */
export interface ParseEnd extends ParseThreadEnd {
  sha256: string;
}

export { threadCpuMs };

type ParseMessage =
  | { type: 'batch'; batch: PackedBatch; bytesRead: number; rows: number }
  | ({ type: 'end' } & ParseThreadEnd)
  // After `end` (the writer commits meanwhile): the match columns, encoded (encodeColumns), row ids from 1.
  | { type: 'columns'; blob: ArrayBuffer; count: number };

/**
 * The `import-parse` task (parse thread): reads the file with the format's importer, validates and
 * packs every refund, posts batches on `port`, waiting for a credit when WINDOW batches are
 * unanswered. Errors are thrown as usual (the jobs worker posts them, UserErrors with their
 * code, message and location); after the last batch comes one `end` message.
 */
export const importParseTask: Task<ImportParseInput, { refunds: number }> = async (input) => {
  const { port, side } = input;
  const batchRefunds = input.batchRefunds ?? BATCH_REFUNDS;
  let credits = input.window ?? WINDOW;
  let wake: (() => void) | undefined;
  port.on('message', (message: { type?: string }) => {
    if (message?.type !== 'credit') return;
    credits++;
    const resume = wake;
    wake = undefined;
    resume?.();
  });
  const { orderProducts, ...parseOptions } = input.options;
  const ctx = makeContext({
    file: displayName(input.file),
    side,
    format: input.format,
    ...parseOptions,
    orderProducts: orderProducts ? indexOrderProducts(orderProducts, { file: displayName(input.file) }) : undefined,
  });
  // Bytes read so far, for the writer's paced hash and the progress: the larger of the flat
  // reader's and the importer's count (after the flat reader gives up, the importer starts over).
  let bytesRead = 0;
  const source = await openSource(input.file, {
    hash: false,
    onProgress: (p) => {
      bytesRead = Math.max(bytesRead, p.bytesRead);
    },
  });
  const collector = input.matchColumns ? new PackedColumnCollector(input.matchColumns) : null;
  const packed = await packFileRefunds({
    file: input.file,
    side,
    ctx,
    source,
    batchRefunds,
    flat: flatCandidate(input.format, input.options),
    onFlatBytes: (bytes) => {
      bytesRead = Math.max(bytesRead, bytes);
    },
    send: async (batch) => {
      while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
      credits--;
      // A batch sent is final (only the one in hand can be taken back): collected as the writer gets it.
      collector?.add(batch);
      const message: ParseMessage = { type: 'batch', batch, bytesRead, rows: ctx.rows };
      port.postMessage(message);
    },
  });
  const end: ParseMessage = {
    type: 'end',
    rows: ctx.rows,
    notes: ctx.notes,
    orderIds: ctx.orderIds ? [...ctx.orderIds] : [],
    encoding: source.encoding,
    bytesRead: packed.bytesRead,
    cpuMs: threadCpuMs(),
  };
  port.postMessage(end);
  if (collector) {
    const blob = collector.finish();
    // A buffer of its own, moved (not copied) to the writing thread.
    const own =
      blob.byteOffset === 0 && blob.byteLength === blob.buffer.byteLength
        ? (blob.buffer as ArrayBuffer)
        : new Uint8Array(blob).buffer;
    const columns: ParseMessage = { type: 'columns', blob: own, count: collector.count };
    port.postMessage(columns, [own]);
  }
  return { refunds: packed.refunds };
};

export interface ParseThreadOptions {
  file: string;
  side: Side;
  format: ImportFormat;
  options: ParseOptions;
  signal?: AbortSignal;
  /** After each batch is handed to the writer: bytes read and source rows so far. */
  onProgress?: (bytesRead: number, rows: number) => void;
  batchRefunds?: number;
  window?: number;
  /** Build the match columns on the thread too (ParseThread.columns). */
  matchColumns?: KeyField;
}

/** The parse thread's match columns: encodeColumns' blob (row ids from 1) and its row count. */
export interface ParsedColumns {
  blob: Buffer;
  count: number;
}

export interface ParseThread {
  /** The batches in file order; throws the parse thread's error (a UserError unchanged). */
  batches: AsyncIterable<PackedBatch>;
  /** Known once `batches` has ended. */
  end(): ParseEnd;
  /**
   * With `matchColumns`: the columns, once `batches` has ended (the thread builds them while the
   * writer commits). The thread stays up until they arrive or `close`.
   */
  columns(): Promise<ParsedColumns>;
  /** Stops the thread (idempotent); `batches` does it itself when it ends or throws. */
  close(): void;
}

function cancelled(signal: AbortSignal): UserError {
  const reason = signal.reason;
  if (reason instanceof UserError) return reason;
  return new UserError('cancelled', 'The import was cancelled; nothing was saved.');
}

/**
 * SHA-256 of the file on the writing thread, paced by the parser: after each batch it hashes up to
 * the byte the parser has read (synchronous 1 MB reads, from the page cache), so the hashing
 * (~1 s per GB) moves off the parse thread — the longer of the two — without ever running ahead of
 * it in a burst that would stall the parser on credits.
 */
class PacedHash {
  private readonly hash = createHash('sha256');
  private readonly buffer = Buffer.allocUnsafe(1 << 20);
  private fd: number | undefined;
  hashed = 0;

  constructor(
    private readonly file: string,
    private readonly name: string,
  ) {}

  /** Hashes the file's bytes up to `upTo` (or its end, whichever comes first). */
  advance(upTo: number): void {
    this.fd ??= fs.openSync(this.file, 'r');
    while (this.hashed < upTo) {
      const n = fs.readSync(this.fd, this.buffer, 0, Math.min(this.buffer.length, upTo - this.hashed), this.hashed);
      if (n === 0) break;
      this.hash.update(this.buffer.subarray(0, n));
      this.hashed += n;
    }
  }

  /** The digest of exactly the `bytes` the parser read (else the file changed underneath). */
  finish(bytes: number): string {
    this.advance(bytes);
    const extra = this.fd !== undefined ? fs.readSync(this.fd, this.buffer, 0, 1, this.hashed) : 0;
    this.close();
    if (this.hashed !== bytes || extra !== 0) {
      throw new UserError(
        'file_changed',
        `The file changed while it was being imported (the import read ${bytes} bytes, the file now has a different size). Nothing was imported; wait until the export has finished writing and import it again.`,
        { file: this.name },
      );
    }
    return this.hash.digest('hex');
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Error messages from the jobs worker, rebuilt as run-job.ts does (UserErrors keep code and location). */
function rebuildError(error: Extract<WorkerMessage, { type: 'error' }>['error']): Error {
  return error.user || error.code === 'cancelled'
    ? new UserError(error.code, error.message, error.location as UserError['location'], error.details)
    : new Error(error.message);
}

/**
 * Starts the parse thread for one file. Iterate `batches` once, to the end or until it throws;
 * leaving early (an error in the writer, an abort) terminates the thread.
 */
export function startParseThread(options: ParseThreadOptions): ParseThread {
  const { port1, port2 } = new MessageChannel();
  const input: ImportParseInput = {
    file: options.file,
    side: options.side,
    format: options.format,
    options: options.options,
    port: port2,
    batchRefunds: options.batchRefunds,
    window: options.window,
    ...(options.matchColumns ? { matchColumns: options.matchColumns } : {}),
  };
  const worker = new Worker(builtEntry('worker'), {
    workerData: { name: 'import-parse', input, workspacePath: '' },
    transferList: [port2],
  });
  const hasher = new PacedHash(options.file, displayName(options.file));
  const queue: Array<Exclude<ParseMessage, { type: 'columns' }>> = [];
  let failure: Error | undefined;
  let waiting: { resolve: () => void } | undefined;
  let ended: ParseEnd | undefined;
  let closed = false;
  let endReceived = false;
  let columnsReceived = false;
  let resolveColumns: (value: ParsedColumns) => void = () => {};
  let rejectColumns: (error: Error) => void = () => {};
  const columns = new Promise<ParsedColumns>((resolve, reject) => {
    resolveColumns = resolve;
    rejectColumns = reject;
  });
  // Nobody may ask for them (the writer failed first): no unhandled rejection then.
  columns.catch(() => {});
  const wakeUp = () => {
    const w = waiting;
    waiting = undefined;
    w?.resolve();
  };
  const fail = (error: Error) => {
    if (!columnsReceived) rejectColumns(error);
    if (closed || failure) return;
    failure = error;
    wakeUp();
  };
  port1.on('message', (message: ParseMessage) => {
    if (message.type === 'columns') {
      columnsReceived = true;
      resolveColumns({ blob: Buffer.from(message.blob), count: message.count });
      return;
    }
    if (message.type === 'end') endReceived = true;
    queue.push(message);
    wakeUp();
  });
  worker.on('message', (message: WorkerMessage) => {
    if (message.type === 'error') fail(rebuildError(message.error));
  });
  worker.on('error', (error) => fail(error));
  worker.on('exit', (code) => {
    const stopped = new Error(`The import's parse thread stopped unexpectedly (exit code ${code}).`);
    if (!endReceived) fail(stopped);
    else if (!columnsReceived) rejectColumns(stopped);
  });
  const onAbort = () => fail(cancelled(options.signal!));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  async function* batches(): AsyncGenerator<PackedBatch> {
    let complete = false;
    try {
      let head = 0;
      for (;;) {
        while (head === queue.length && !failure) await new Promise<void>((resolve) => (waiting = { resolve }));
        if (failure) throw failure;
        const message = queue[head++]!;
        if (head > 64) {
          queue.splice(0, head);
          head = 0;
        }
        if (message.type === 'end') {
          const { type: _type, ...end } = message;
          ended = { ...end, sha256: hasher.finish(end.bytesRead) };
          complete = true;
          return;
        }
        hasher.advance(message.bytesRead);
        options.onProgress?.(message.bytesRead, message.rows);
        yield message.batch;
        port1.postMessage({ type: 'credit' });
      }
    } finally {
      // The columns come after the end: the thread is closed once they are in (or by `close`).
      if (!complete || !options.matchColumns) close();
    }
  }

  function close(): void {
    if (closed) return;
    if (!columnsReceived) rejectColumns(new Error('The parse thread was closed before its match columns came.'));
    closed = true;
    hasher.close();
    options.signal?.removeEventListener('abort', onAbort);
    port1.close();
    void worker.terminate();
  }

  return {
    batches: batches(),
    end() {
      if (!ended) throw new Error('The parse thread has not finished.');
      return ended;
    },
    columns: () => {
      if (!options.matchColumns) return Promise.reject(new Error('The parse thread was not asked for match columns.'));
      return columns.finally(close);
    },
    close,
  };
}
