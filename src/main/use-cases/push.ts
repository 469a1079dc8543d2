import { randomUUID } from 'node:crypto';
import { UserError } from '../../shared/errors';
import { throttleProgress } from '../jobs/progress-throttle';
import { listJournal } from '../sync/journal';
import {
  type PushExceptions,
  type PushOutcome,
  type PushPreview,
  type PushStartInput,
  previewPush,
  pushExceptions,
  resumePush,
  retryFailed,
  startPush,
} from '../sync/push';
import type { PushRunOptions } from '../sync/push-engine';
import { resolveAccountTarget } from './account-target';
import type { UseCaseContext } from './context';

/**
 * Pushing refunds in an account's enabled sync direction: journaled before each send, idempotent,
 * resumable (src/main/sync/push.ts). The app's push:* channels and `refund-recon push` call these.
 */

/** The account's live sync target; `no_connection` (the face words what to do) when none is configured. */
async function requireTarget(ctx: UseCaseContext, accountId: number) {
  const target = await resolveAccountTarget(ctx.db, accountId);
  if (!target) {
    throw new UserError(
      'no_connection',
      'No live connection is configured for this account’s sync target: set the API host in the account settings and provide the credentials, then try again.',
    );
  }
  return target;
}

/**
 * The push's options: its cancellation, and `job:progress` events (kind `push`, one per refund
 * sent, throttled) when the context can emit — the same events import, pull and compare send.
 */
function runOptions(ctx: UseCaseContext, signal?: AbortSignal): PushRunOptions {
  const emit = ctx.emit;
  if (!emit) return signal ? { signal } : {};
  const jobId = randomUUID();
  const send = throttleProgress((update) => emit('job:progress', { jobId, kind: 'push', ...update }));
  return {
    ...(signal ? { signal } : {}),
    onProgress: (done, total) => send({ phase: 'send', done, total, unit: 'refunds' }),
  };
}

export interface PushAccountInput {
  accountId: number;
}

/** A push's outcome, with how many of the account's writes are on the exception list afterwards. */
export type PushResult = PushOutcome & { exceptionList: number };

async function withExceptionList(
  ctx: UseCaseContext,
  accountId: number,
  push: Promise<PushOutcome>,
): Promise<PushResult> {
  const outcome = await push;
  return { ...outcome, exceptionList: failedWriteCount(ctx, { accountId }) };
}

/** What a push would send now (count, totals, confirmation code), without sending anything. */
export function pushPreview(ctx: UseCaseContext, input: PushAccountInput & { snapshotId?: number }): PushPreview {
  return previewPush(ctx.db, input.accountId, input.snapshotId);
}

/** Sends exactly what the preview with this confirmation code showed. */
export async function pushStart(ctx: UseCaseContext, input: PushStartInput, signal?: AbortSignal): Promise<PushResult> {
  const target = await requireTarget(ctx, input.accountId);
  return withExceptionList(ctx, input.accountId, startPush(ctx.db, input, target, runOptions(ctx, signal)));
}

/** Finishes the writes journaled earlier (after a crash or cancel); adds nothing new. */
export async function pushResume(
  ctx: UseCaseContext,
  input: PushAccountInput,
  signal?: AbortSignal,
): Promise<PushResult> {
  const target = await requireTarget(ctx, input.accountId);
  return withExceptionList(ctx, input.accountId, resumePush(ctx.db, input.accountId, target, runOptions(ctx, signal)));
}

/** Retries the failed writes of the exception list (all of them, or the given journal ids). */
export async function pushRetry(
  ctx: UseCaseContext,
  input: PushAccountInput & { journalIds?: readonly number[]; actor: string },
  signal?: AbortSignal,
): Promise<PushResult> {
  const target = await requireTarget(ctx, input.accountId);
  return withExceptionList(
    ctx,
    input.accountId,
    retryFailed(ctx.db, input.accountId, target, input.journalIds, input.actor, runOptions(ctx, signal)),
  );
}

/** The exception list: failed writes and refunds that cannot be built. */
export function pushExceptionList(ctx: UseCaseContext, input: PushAccountInput): PushExceptions {
  return pushExceptions(ctx.db, input.accountId);
}

/** How many writes of the account are on the exception list. */
function failedWriteCount(ctx: UseCaseContext, input: PushAccountInput): number {
  return listJournal(ctx.db, input.accountId, ['failed']).length;
}
