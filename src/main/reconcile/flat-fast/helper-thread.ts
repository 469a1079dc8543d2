import { Worker } from 'node:worker_threads';
import { UserError } from '../../../shared/errors';
import type { Side } from '../../../shared/model';
import { builtEntry } from '../../built-entry';
import type { CandidatePairs } from './candidate-pairs';
import type { EarlyBytes } from './early-bytes';
import type { FlatTable } from './flat-table';
import {
  type DecideRequest,
  type FormatRequest,
  type HelperMessage,
  type ReadRequest,
  rewrapped,
  type ScanRequest,
  type SortRequest,
} from './helper-messages';

/** The plain rows as the helper wrote them: their order and where each starts in the file. */
export interface Formatted {
  order: Uint32Array;
  starts: Float64Array;
}

/**
 * The second thread of the flat fast path (helper-worker.ts): it scans the storefront file while
 * this thread reads the NetSuite one, decides the candidate pairs while this thread reads the rows
 * with a tenders cell, and later writes the plain rows while this thread runs the general compare.
 * Its tables live in shared memory, so nothing is copied either way. `stop` ends it; a failure of
 * the thread rejects what is pending (the caller then goes another way).
 * The thread starts at once (`new`), so its start-up (an isolate, its modules) runs while this
 * thread reads the file's bytes for it (`scan`).
 */
export class FlatHelper {
  /** The storefront table the helper scanned (null: not a flat file). */
  readonly table: Promise<FlatTable | null>;
  private readonly worker: Worker;
  private pending: Array<{ accept(message: HelperMessage): boolean; reject(error: Error): void }> = [];

  constructor(side: Side, signal?: AbortSignal) {
    this.worker = new Worker(builtEntry('flat-fast-helper'), { workerData: { side } });
    this.table = this.next((m) => (m.type === 'table' ? (m.table ? rewrapped(m.table) : null) : undefined));
    // Handled here too: a failure before anyone waits for the table is not an unhandled rejection.
    this.table.catch(() => {});
    this.worker.on('message', (message: HelperMessage) => {
      if (message.type === 'error') this.failAll(new Error(message.message));
      else this.pending.find((p) => p.accept(message));
    });
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.on('exit', (code) =>
      this.failAll(new Error(`The flat fast path's helper thread stopped (exit code ${code}).`)),
    );
    const onAbort = () => {
      this.failAll(new UserError('cancelled', 'The comparison was cancelled; nothing was saved.'));
      this.stop();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) onAbort();
  }

  /** The file the helper was asked to read itself (`read`), if any. */
  reading: string | null = null;

  /**
   * The other side's file, read meanwhile on this thread's side (libuv's thread pool) for the
   * caller by whoever started the helper early (early-helper.ts); `stop` lets it go.
   */
  prefetched: EarlyBytes | null = null;

  /** Asks the helper to scan a file's bytes (in shared memory) into `table`. */
  scan(bytes: Buffer): void {
    this.worker.postMessage({ type: 'scan', bytes } satisfies ScanRequest);
  }

  /** Asks the helper to read `file` itself and scan it into `table`. */
  read(file: string): void {
    this.reading = file;
    this.worker.postMessage({ type: 'read', file } satisfies ReadRequest);
  }

  /** Asks the helper for the candidate pairs of its storefront table and `ns` (after its scan). */
  decide(ns: FlatTable): Promise<CandidatePairs | null> {
    const done = this.next((m) => (m.type === 'candidates' ? m.candidates : undefined));
    this.worker.postMessage({ type: 'decide', ns } satisfies DecideRequest);
    return done;
  }

  /** Asks the helper to sort the candidate pairs it decided (after deciding), for `format`. */
  sortCandidates(prefixes: string[]): void {
    this.worker.postMessage({ type: 'sort', prefixes } satisfies SortRequest);
  }

  /** Asks the helper to write the plain rows to `request.file`. */
  format(request: Omit<FormatRequest, 'type'>): Promise<Formatted> {
    const done = this.next((m) => (m.type === 'formatted' ? { order: m.order, starts: m.starts } : undefined));
    this.worker.postMessage({ type: 'format', ...request } satisfies FormatRequest);
    return done;
  }

  stop(): void {
    this.prefetched = null;
    void this.worker.terminate();
  }

  /** The next message `read` makes something of (not undefined). */
  private next<T>(read: (message: HelperMessage) => T | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry = {
        accept: (message: HelperMessage) => {
          const value = read(message);
          if (value === undefined) return false;
          this.pending = this.pending.filter((p) => p !== entry);
          resolve(value);
          return true;
        },
        reject,
      };
      this.pending.push(entry);
    });
  }

  private failAll(error: Error): void {
    const pending = this.pending;
    this.pending = [];
    for (const p of pending) p.reject(error);
  }
}
