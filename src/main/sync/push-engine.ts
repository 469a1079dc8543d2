import { UserError } from '../../shared/errors';
import type { Db } from '../store/open';
import {
  finishBatches,
  getEntry,
  type JournalEntry,
  markDone,
  markFailed,
  markSending,
  outsideScope,
  unfinished,
  unfinishedEarlierSteps,
} from './journal';
import { type PushScope, refusalFor } from './push-scope';
import type { PushTarget } from './targets/target';

export interface PushRunResult {
  sent: number;
  confirmedAfterCrash: number;
  alreadySynced: number;
  failed: number;
  skippedDependent: number;
  remaining: number;
  /** Unfinished or failed rows of another direction or destination: left as they are, never sent. */
  outsideScope: number;
  /**
   * Sends whose answer carried no id of what was written and whose read-back found nothing: not
   * confirmed (on the exception list as `unknown: …`); the next run reads the target before any resend.
   */
  unknown: number;
}

export interface PushRunOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

function errorText(error: unknown): string {
  if (error instanceof UserError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Sends every unfinished journal row of an account, in journal order. For each row: if it may
 * already be on the target (never tried, or in flight when the process stopped) the target is read
 * by key first and a hit is recorded without sending; otherwise the row is marked `sending` (and
 * committed) before the request leaves, and `confirmed` after. A crash at any point therefore
 * leaves a row that the next run either finds on the target or sends: never both, never twice.
 * Transport retries (429, 5xx, timeouts, resets) happen in the connector's HTTP policy.
 */
export async function runJournal(
  db: Db,
  accountId: number,
  scope: PushScope,
  target: PushTarget,
  options: PushRunOptions = {},
): Promise<PushRunResult> {
  // Only this direction's rows for this destination: a row confirmed the other way is never sent.
  const rows = unfinished(db, accountId, scope);
  const result: PushRunResult = {
    sent: 0,
    confirmedAfterCrash: 0,
    alreadySynced: 0,
    failed: 0,
    skippedDependent: 0,
    remaining: 0,
    outsideScope: 0,
    unknown: 0,
  };
  let done = 0;
  for (const row of rows) {
    if (options.signal?.aborted) break;
    // A later step (the Customer Refund that pays out a Credit Memo) waits for its earlier step.
    if (row.step > 0) {
      const earlier = unfinishedEarlierSteps(db, accountId, row.refundKey, row.step);
      if (earlier.length > 0) {
        markFailed(
          db,
          row.id,
          `waiting for step ${row.step - 1} of ${row.refundKey}, which is ${earlier[0]!.state}; retry after it succeeds`,
        );
        result.skippedDependent += 1;
        continue;
      }
    }
    await processRow(db, row, scope, target, result, options.signal);
    done += 1;
    options.onProgress?.(done, rows.length);
  }
  result.remaining = unfinished(db, accountId, scope).length;
  result.outsideScope = outsideScope(db, accountId, scope).length;
  finishBatches(db, accountId);
  return result;
}

async function processRow(
  db: Db,
  row: JournalEntry,
  scope: PushScope,
  target: PushTarget,
  result: PushRunResult,
  signal?: AbortSignal,
): Promise<void> {
  const current = getEntry(db, row.id);
  if (!current || (current.state !== 'pending' && current.state !== 'sending')) return;
  const refusal = refusalFor(current, scope, target);
  if (refusal) {
    markFailed(db, current.id, errorText(refusal));
    result.failed += 1;
    return;
  }
  try {
    const found = await target.find(current, signal);
    if (found !== null) {
      // Never tried by us → it was there before (already synced); tried before → our earlier send landed.
      if (current.attempts === 0) {
        markDone(db, current.id, 'already_synced', found);
        result.alreadySynced += 1;
      } else {
        markDone(db, current.id, 'confirmed', found);
        result.confirmedAfterCrash += 1;
      }
      return;
    }
    markSending(db, current.id);
    const remoteId = await target.send(current, signal);
    // A write is confirmed only by an id: from the answer, or else from reading the target back.
    let confirmedId = remoteId;
    if (!confirmedId) {
      try {
        confirmedId = await target.find(current, signal);
      } catch (error) {
        if (signal?.aborted) return;
        markFailed(
          db,
          current.id,
          `unknown: ${target.name} answered the write of ${current.orderRef || current.refundKey} without the id of what it wrote, and reading it back failed (${errorText(error)}). Not confirmed: a retry reads ${target.name} back first.`,
        );
        result.unknown += 1;
        result.failed += 1;
        return;
      }
    }
    if (!confirmedId) {
      markFailed(
        db,
        current.id,
        `unknown: ${target.name} answered the write of ${current.orderRef || current.refundKey} without the id of what it wrote, and reading it back found nothing yet. Not confirmed: a retry reads ${target.name} back first and sends only if it is not there.`,
      );
      result.unknown += 1;
      result.failed += 1;
      return;
    }
    markDone(db, current.id, 'confirmed', confirmedId);
    result.sent += 1;
  } catch (error) {
    if (signal?.aborted) return; // stays pending/sending: the next run reads the target first
    markFailed(db, current.id, errorText(error));
    result.failed += 1;
  }
}
