import { setTimeout as sleep } from 'node:timers/promises';
import { UserError } from '../../shared/errors';
import type { Db } from './open';

/**
 * A workspace under contention (C1 of issue 17). SQLite lets one connection write at a time; an
 * import holds the write lock for its whole length (one transaction: the snapshot is complete or
 * absent), so a second import or a compare must wait for it. Waiting inside SQLite (busy_timeout)
 * blocks the thread that waits and says nothing; here the wait is a loop of non-blocking attempts
 * with pauses in between, so the thread stays responsive, progress can say why nothing moves,
 * cancellation works, and the wait ends after a bound with a clear message.
 */

/** What progress says while waiting for the lock. */
export const BUSY_MESSAGE = 'the workspace is busy (another import or compare is writing); waiting…';

/** How long a writer waits for the lock by default (an import of a large file takes a minute). */
export const DEFAULT_BUSY_WAIT_MS = 5 * 60_000;
/** The app's main-thread connection waits at most this long for the lock (its event loop serves the UI). */
export const MAIN_THREAD_BUSY_MS = 100;
/** The pause between two attempts. */
const RETRY_MS = 100;

/** The bound on waiting: REFUND_RECON_BUSY_WAIT_MS when set (tests, scripts), else the default. */
export function busyWaitLimitMs(): number {
  const raw = process.env.REFUND_RECON_BUSY_WAIT_MS;
  const n = raw === undefined ? Number.NaN : Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : DEFAULT_BUSY_WAIT_MS;
}

/** True for SQLite's "another connection holds the lock" errors (SQLITE_BUSY and its variants). */
export function isBusyError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))) return true;
  return error.name === 'SqliteError' && /database is locked|database table is locked/.test(error.message);
}

/** The error a writer gives when the lock stayed taken past the bound (or at once, for the app's own connection). */
export function workspaceBusyError(waitedMs?: number): UserError {
  const waited =
    waitedMs === undefined
      ? ''
      : ` and stayed busy for ${Math.max(1, Math.round(waitedMs / 1000)).toLocaleString('en-US')} s`;
  return new UserError(
    'workspace_busy',
    `The workspace is busy: another import or compare is writing to it${waited}. Nothing was changed; try again when it has finished.`,
  );
}

export interface WaitForLockOptions {
  signal?: AbortSignal;
  /** Called when the lock is found taken, then about once a second while waiting. */
  onWait?: (waitedMs: number) => void;
  /** Bound on the wait (default busyWaitLimitMs()). */
  limitMs?: number;
  /** The error for a cancelled wait. */
  cancelled?: () => Error;
}

/**
 * `BEGIN IMMEDIATE` on `db` once no other connection writes: attempts that do not block
 * (busy_timeout 0 for the attempt), with a pause between them that leaves the event loop free.
 * Throws workspaceBusyError after the bound, or the `cancelled` error when the signal aborts.
 */
export async function beginImmediateWhenFree(db: Db, options: WaitForLockOptions = {}): Promise<void> {
  const limit = options.limitMs ?? busyWaitLimitMs();
  const started = Date.now();
  let lastReport = -Infinity;
  const saved = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    for (;;) {
      try {
        db.exec('BEGIN IMMEDIATE');
        return;
      } catch (error) {
        if (!isBusyError(error)) throw error;
      }
      const waited = Date.now() - started;
      if (waited >= limit) throw workspaceBusyError(waited);
      if (waited - lastReport >= 1000) {
        lastReport = waited;
        options.onWait?.(waited);
      }
      try {
        await sleep(RETRY_MS, undefined, options.signal ? { signal: options.signal } : undefined);
      } catch (error) {
        if (options.signal?.aborted) {
          throw options.cancelled?.() ?? new UserError('cancelled', 'Cancelled while waiting for the workspace.');
        }
        throw error;
      }
    }
  } finally {
    db.pragma(`busy_timeout = ${saved}`);
  }
}
