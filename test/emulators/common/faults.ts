import type http from 'node:http';
import { sleep } from './server';

/**
 * Switchable faults shared by the emulators. Each fault applies to the next `times` requests whose
 * path matches (after skipping `after` matching requests), so a test can say "the third SuiteQL page
 * gets a dropped connection" deterministically.
 */
export type FaultKind =
  /** The vendor's rate-limit answer (its own 429 body and headers). */
  | 'rate-limit'
  /** HTTP 500/502/503 with the vendor's error body. */
  | 'server-error'
  /** The answer is delayed by `delayMs` (beyond a client timeout, it is a timeout). */
  | 'slow'
  /** The socket is destroyed before any answer. */
  | 'drop'
  /** Headers promise the full body, half of it is sent, then the socket is destroyed. */
  | 'truncate'
  /** A complete HTTP answer whose JSON body is cut short (status 200). */
  | 'malformed'
  /**
   * A canned answer (`reply`): what a proxy, a captive portal or a misconfigured host sends
   * instead of the API — a 302 to a login page, a 200 `{}`, an error body echoing the request's
   * credentials. The client must treat any of these as what it is, never as an empty result.
   */
  | 'reply';

export interface FaultSpec {
  kind: FaultKind;
  /** How many requests get it. Default 1. */
  times?: number;
  /** Matching requests to let through first. Default 0. */
  after?: number;
  /** Only requests whose path (plus query) matches. */
  match?: RegExp;
  /** For `slow`. Default 2000. */
  delayMs?: number;
  /** For `server-error` (default 503) and `reply` (default 200). */
  status?: number;
  /** For `reply`: the body, or how to make it from the request's headers (to echo a credential). */
  body?: string | ((headers: http.IncomingHttpHeaders) => string);
  /** For `reply`: extra headers (`location` for a redirect). */
  headers?: Record<string, string>;
}

interface ArmedFault extends FaultSpec {
  remaining: number;
  skip: number;
}

export class FaultInjector {
  readonly #armed: ArmedFault[] = [];
  /** Faults applied so far, by kind. */
  readonly applied: Record<string, number> = {};

  add(...specs: FaultSpec[]): void {
    for (const spec of specs) this.#armed.push({ ...spec, remaining: spec.times ?? 1, skip: spec.after ?? 0 });
  }

  clear(): void {
    this.#armed.length = 0;
  }

  get pending(): number {
    return this.#armed.reduce((n, f) => n + f.remaining, 0);
  }

  /** Picks the fault for this request (consuming it), if any. */
  take(pathAndQuery: string): FaultSpec | undefined {
    for (const fault of this.#armed) {
      if (fault.remaining <= 0) continue;
      if (fault.match && !fault.match.test(pathAndQuery)) continue;
      if (fault.skip > 0) {
        fault.skip -= 1;
        continue;
      }
      fault.remaining -= 1;
      this.applied[fault.kind] = (this.applied[fault.kind] ?? 0) + 1;
      return fault;
    }
    return undefined;
  }
}

/**
 * Applies a transport-level fault. Returns true when the request was fully handled (dropped or
 * truncated); for `slow` it waits and returns false so the normal answer follows.
 */
export async function applyTransportFault(
  fault: FaultSpec,
  res: http.ServerResponse,
  body: () => string,
): Promise<boolean> {
  if (fault.kind === 'reply') {
    const headers = res.req?.headers ?? {};
    const text = typeof fault.body === 'function' ? fault.body(headers) : (fault.body ?? '');
    res.writeHead(fault.status ?? 200, {
      ...(text !== '' ? { 'content-type': 'application/json; charset=utf-8' } : {}),
      ...fault.headers,
      'content-length': String(Buffer.byteLength(text)),
    });
    res.end(text);
    return true;
  }
  if (fault.kind === 'slow') {
    await sleep(fault.delayMs ?? 2000);
    return false;
  }
  if (fault.kind === 'drop') {
    res.socket?.destroy();
    return true;
  }
  if (fault.kind === 'truncate') {
    const text = body();
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(text)),
    });
    res.write(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
    setTimeout(() => res.socket?.destroy(), 5);
    return true;
  }
  if (fault.kind === 'malformed') {
    const text = body();
    const cut = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(cut)),
    });
    res.end(cut);
    return true;
  }
  return false;
}
