import { Worker } from 'node:worker_threads';
import { type ErrorLocation, UserError } from '../../../shared/errors';
import { builtEntry } from '../../built-entry';
import type { HttpStats } from '../http-policy';
import type { NetsuiteClient } from './client';
import type { ConsumerMessage, FetcherData, FetcherMessage, PageSpec, SerializedError } from './page-fetcher';

/**
 * The consumer's handle on a SuiteQL fetch thread (page-fetcher.ts): starts the worker, keeps the
 * page texts it sends until they are taken, merges its request counts and log lines into the
 * client's, and turns its messages into wake-ups for whoever waits on it.
 */

/** The fetch worker's entry (the built netsuite-page-fetcher.js; see built-entry.ts). */
export function fetchWorkerEntry(): string {
  return builtEntry('netsuite-page-fetcher');
}

function rebuildError(error: SerializedError): Error {
  if (error.name === 'UserError' && error.code) {
    return new UserError(error.code, error.message, error.location as ErrorLocation | undefined, error.details);
  }
  const e = new Error(error.message);
  e.name = error.name;
  return e;
}

export interface FetchThreadReport {
  utilization: number;
  activeMs: number;
  idleMs: number;
  /** Index of the first page the thread fetched (the ones before were fetched by the consumer). */
  firstPage: number | undefined;
}

export class FetchThread {
  readonly #worker: Worker;
  readonly #client: NetsuiteClient;
  readonly #pages = new Map<number, Uint8Array>();
  readonly #last: HttpStats = { requests: 0, retries: 0, byStatus: {}, throttled: 0, bytesReceived: 0 };
  #ready = false;
  #onReady: (() => void) | undefined;
  #wake: (() => void) | undefined;
  #failure: Error | undefined;
  #firstPage: number | undefined;

  constructor(client: NetsuiteClient, entry: string, buffer: number) {
    this.#client = client;
    this.#worker = new Worker(entry, {
      workerData: { config: client.workerConfig(), buffer } satisfies FetcherData,
    });
    this.#worker.on('message', (message: FetcherMessage) => this.#receive(message));
    this.#worker.on('error', (error) => {
      this.#failure ??= error;
      this.#notify();
    });
    this.#worker.on('exit', (code) => {
      this.#failure ??= new Error(`the SuiteQL fetch thread stopped (exit ${code})`);
      this.#notify();
    });
  }

  get ready(): boolean {
    return this.#ready;
  }

  /** Why the thread can no longer deliver pages, if it cannot. */
  get failure(): Error | undefined {
    return this.#failure;
  }

  /** Calls `handler` once the thread has loaded (at once if it has). */
  onReady(handler: () => void): void {
    if (this.#ready) handler();
    else this.#onReady = handler;
  }

  /** Resolves at the thread's next message, error or exit. */
  changed(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#wake = resolve;
    });
  }

  start(pages: PageSpec[], first: number, borrowed: number): void {
    this.#firstPage = first;
    this.#post({ type: 'start', pages, first, borrowed });
  }

  released(): void {
    this.#post({ type: 'released' });
  }

  /** The text of page `index` if it has arrived (taken: a second call returns undefined). */
  take(index: number): string | undefined {
    const bytes = this.#pages.get(index);
    if (bytes === undefined) return undefined;
    this.#pages.delete(index);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  }

  ack(index: number): void {
    this.#post({ type: 'ack', index });
  }

  refetch(index: number, reason: string): void {
    this.#post({ type: 'refetch', index, reason });
  }

  cancel(): void {
    this.#post({ type: 'cancel' });
    this.#notify();
  }

  async stop(): Promise<FetchThreadReport> {
    this.#worker.removeAllListeners('exit');
    const elu = this.#worker.performance.eventLoopUtilization();
    await this.#worker.terminate();
    return { utilization: elu.utilization, activeMs: elu.active, idleMs: elu.idle, firstPage: this.#firstPage };
  }

  #post(message: ConsumerMessage): void {
    this.#worker.postMessage(message);
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #receive(message: FetcherMessage): void {
    if (message.type === 'log') {
      this.#client.http.writeLog(message.entry);
      return;
    }
    if (message.type === 'ready') {
      this.#ready = true;
      const handler = this.#onReady;
      this.#onReady = undefined;
      handler?.();
    } else {
      this.#merge(message.stats);
      if (message.type === 'page') this.#pages.set(message.index, message.bytes);
      else this.#failure ??= rebuildError(message.error);
    }
    this.#notify();
  }

  /** Adds what the thread counted since its last message to the client's stats. */
  #merge(s: HttpStats): void {
    const last = this.#last;
    const byStatus: Record<string, number> = {};
    for (const [k, v] of Object.entries(s.byStatus)) byStatus[k] = v - (last.byStatus[k] ?? 0);
    this.#client.http.addStats({
      requests: s.requests - last.requests,
      retries: s.retries - last.retries,
      throttled: s.throttled - last.throttled,
      bytesReceived: s.bytesReceived - last.bytesReceived,
      byStatus,
    });
    Object.assign(last, { ...s, byStatus: { ...s.byStatus } });
  }
}
