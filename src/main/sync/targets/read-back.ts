import { UserError } from '../../../shared/errors';
import { type Clock, realClock } from '../../connectors/clock';
import type { StorefrontWrite } from '../builders/storefront-request';
import { PushSendError, type TargetEntry } from './target';

/**
 * Shared by the storefront targets whose refund API has no idempotency key (BigCommerce,
 * WooCommerce): the refund carries the sync's key (`[netsuite-<type>-<id>]` in its reason), and
 * the order's refunds are read back before every send and after any failed or interrupted send.
 */

/** The journal payload of a storefront write (see plan.ts `journalRowsFor`). */
export interface StorefrontPayload extends StorefrontWrite {
  quote: StorefrontWrite | null;
  key: string;
  orderRef: string;
}

export interface ReadBackOptions {
  /**
   * A write found `sending` (its process died mid-request), or one whose answer was lost, may still
   * be in the server's hands: the read-back waits until this long after the send began, so a
   * refund the server is still creating is found instead of sent again. Default 10 s.
   */
  settleMs?: number;
  /** Sends of one write in one run (each after a read-back found nothing). Default 3. */
  maxSends?: number;
  clock?: Clock;
}

export const DEFAULT_SETTLE_MS = 10_000;

/** `[netsuite-creditMemo-5001]`: the form the key takes in a refund reason (and spec §4's matcher). */
export function keyTag(key: string): string {
  return `[${key}]`;
}

export function orderIdOf(payload: StorefrontPayload): number {
  const m = /^\/orders\/(\d+)\//.exec(payload.path);
  const id = m ? Number(m[1]) : Number.NaN;
  if (!Number.isSafeInteger(id) || id < 1) {
    throw new PushSendError(
      `The journal row for ${payload.orderRef} has no numeric order id (${payload.path}).`,
      false,
    );
  }
  return id;
}

/** Waits until `settleMs` after the moment a write was marked `sending` (nothing for other rows). */
export async function settleInFlight(
  entry: TargetEntry,
  settleMs: number,
  clock: Clock = realClock,
  signal?: AbortSignal,
): Promise<void> {
  if (entry.state !== 'sending' || !entry.updatedAt) return;
  const since = Date.parse(entry.updatedAt);
  if (Number.isNaN(since)) return;
  const wait = since + settleMs - Date.now();
  if (wait > 0) await clock.sleep(Math.min(wait, settleMs), signal);
}

export type Outcome =
  /** The server refused the request and did nothing (4xx but 429): never resend as is. */
  | 'refused'
  /** The server did not act (429 after the policy's retries): safe to send again later. */
  | 'not_processed'
  /** No answer, a timeout, a 5xx, an unreadable answer: the refund may or may not exist. */
  | 'ambiguous';

/** Sorts a client's error (a UserError worded by the connector) for the send loop. */
export function classify(error: unknown): Outcome {
  if (error instanceof UserError) {
    const status = (error.details as { status?: number } | undefined)?.status;
    if (error.code.endsWith('_rate_limit')) return 'not_processed';
    if (error.code.endsWith('_unreachable') || error.code.endsWith('_unreadable')) return 'ambiguous';
    if (typeof status === 'number') {
      if (status === 429) return 'not_processed';
      if (status >= 500 || status === 408) return 'ambiguous';
    }
    return 'refused';
  }
  // Anything else (a bug, an unexpected body) after the request left: treat as ambiguous.
  return 'ambiguous';
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The target's client, made on first use (the factory reads secrets then) and shared by later
 * calls; a failed creation is forgotten so the next call tries again.
 */
export function lazyClient<T>(source: T | (() => Promise<T>)): () => Promise<T> {
  let client: Promise<T> | undefined;
  return () => {
    if (!client) {
      const made = typeof source === 'function' ? (source as () => Promise<T>)() : Promise.resolve(source);
      client = made;
      made.catch(() => {
        if (client === made) client = undefined;
      });
    }
    return client;
  };
}

/**
 * After an ambiguous send: reads the order's refunds back. A failed read-back is a retryable
 * failure, never a blind resend.
 */
export async function readBackAfterAmbiguousSend(
  readBack: () => Promise<string | null>,
  orderRef: string,
  lastError: string,
  signal?: AbortSignal,
): Promise<string | null> {
  try {
    return await readBack();
  } catch (readError) {
    if (signal?.aborted) throw readError;
    throw new PushSendError(
      `The refund on order ${orderRef} may or may not have been created (${lastError}) and reading the order's refunds back failed (${errorMessage(readError)}); retry: the order is read back before anything is sent again.`,
      true,
    );
  }
}
