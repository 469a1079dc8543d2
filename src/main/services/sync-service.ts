import { UserError } from '../../shared/errors';
import type { Platform } from '../../shared/model';
import { formatAmount } from '../../shared/money';
import { listAudit } from '../store/audit';
import { PLATFORM_CATALOGUE } from '../sync/catalogue';
import { importSyncSettings } from '../sync/direction-policy';
import type { DryRunRecord } from '../sync/dry-run';
import { getDryRun, listDryRuns } from '../sync/dry-run-store';
import { type JournalEntry, listJournal } from '../sync/journal';
import type { Totals } from '../sync/plan';
import { confirmReadinessItem, readiness } from '../sync/readiness';
import { willNotSyncForRun } from '../sync/will-not-sync';
import { loadOrderContextFile, orderContextOf } from '../use-cases/dry-run';
import { pushExceptionList, pushPreview, pushResume, pushRetry, pushStart } from '../use-cases/push';
import { dryRunWithConnections, roundTripTarget, runRoundTrip } from '../use-cases/round-trip';
import {
  getAccountSyncOptions,
  setAccountCapabilities,
  setAccountDirection,
  setAccountSyncOptions,
} from '../use-cases/sync-settings';
import type { HandlerMap } from './handler';

type SyncChannel =
  | 'account:catalogue'
  | 'account:set-direction'
  | 'account:set-capabilities'
  | 'account:set-sync-options'
  | 'account:import-sync-settings'
  | 'account:sync-options'
  | 'dry-run:order-context'
  | 'dry-run:load-order-context'
  | 'readiness:get'
  | 'readiness:confirm-item'
  | 'dry-run:start'
  | 'dry-run:round-trip'
  | 'dry-run:round-trip-target'
  | 'dry-run:list'
  | 'dry-run:get'
  | 'push:preview'
  | 'push:start'
  | 'push:resume'
  | 'push:exceptions'
  | 'push:retry'
  | 'push:journal'
  | 'audit:list'
  | 'sync:will-not-sync';

function decimalTotals(totals: Totals): Record<string, string> {
  return Object.fromEntries(Object.entries(totals).map(([c, v]) => [c, formatAmount(v, c)]));
}

function dryRunOut(run: DryRunRecord) {
  return { ...run, orders: run.orders.map((o) => ({ ...o, total: formatAmount(o.total, o.currency) })) };
}

function journalOut(e: JournalEntry) {
  return {
    id: e.id,
    direction: e.direction,
    destination: e.destination,
    batchId: e.batchId,
    refundKey: e.refundKey,
    step: e.step,
    idempotencyKey: e.idempotencyKey,
    target: e.target,
    state: e.state,
    attempts: e.attempts,
    lastError: e.lastError,
    remoteId: e.remoteId,
    orderRef: e.orderRef,
    currency: e.currency,
    amount: e.currency ? formatAmount(e.amount, e.currency) : String(e.amount),
    updatedAt: e.updatedAt,
  };
}

export const syncHandlers: HandlerMap<SyncChannel> = {
  'account:catalogue': () =>
    (Object.keys(PLATFORM_CATALOGUE) as Platform[]).map((p) => {
      const e = PLATFORM_CATALOGUE[p];
      return { ...e, directions: [...e.directions] };
    }),
  'account:set-direction': (input, ctx) => setAccountDirection(ctx, input),
  'account:set-capabilities': (input, ctx) => setAccountCapabilities(ctx, input),
  'account:set-sync-options': (input, ctx) =>
    setAccountSyncOptions(ctx, {
      accountId: input.accountId,
      options: input.options,
      ...(input.importOrdersAfter !== undefined ? { importOrdersAfter: input.importOrdersAfter } : {}),
      actor: input.actor,
    }),
  'account:sync-options': (input, ctx) => getAccountSyncOptions(ctx, input.accountId),
  'dry-run:order-context': (input, ctx) => orderContextOf(ctx, input.accountId),
  // Desktop app: only a file chosen in the dialog (or dropped and staged) is read; used once.
  'dry-run:load-order-context': (input, ctx) => {
    const grants = ctx.pathGrants;
    const file = grants ? grants.assertGranted(input.path, 'read-file') : input.path;
    const loaded = loadOrderContextFile(ctx, {
      file,
      accountId: input.accountId,
      ...(input.fileName ? { fileName: input.fileName } : {}),
      actor: input.actor,
    });
    grants?.consume(file, 'read-file');
    return { ...orderContextOf(ctx, input.accountId), loaded };
  },
  'account:import-sync-settings': (input, ctx) =>
    importSyncSettings(ctx.db, {
      text: input.text,
      fileName: input.fileName,
      confirmAgainstRecommendation: input.confirmAgainstRecommendation,
      actor: input.actor,
    }),
  'readiness:get': (input, ctx) => readiness(ctx.db, input.accountId),
  'readiness:confirm-item': (input, ctx) => confirmReadinessItem(ctx.db, input),
  'dry-run:start': async (input, ctx, signal) =>
    // The connections of the direction tested (not the stored one); with sandboxRoundTrip, the round trip.
    dryRunOut(
      await dryRunWithConnections(
        ctx,
        {
          accountId: input.accountId,
          ...(input.direction ? { direction: input.direction } : {}),
          selection: input.selection,
          ...(input.snapshotId ? { snapshotId: input.snapshotId } : {}),
          roundTrip: input.sandboxRoundTrip,
          actor: input.actor,
        },
        signal,
      ),
    ),
  'dry-run:round-trip-target': (input, ctx, signal) => roundTripTarget(ctx, input, signal),
  'dry-run:round-trip': async (input, ctx, signal) =>
    dryRunOut(
      await runRoundTrip(
        ctx,
        {
          accountId: input.accountId,
          direction: input.direction,
          selection: input.selection,
          ...(input.snapshotId ? { snapshotId: input.snapshotId } : {}),
          actor: input.actor,
        },
        signal,
      ),
    ),
  'dry-run:list': (input, ctx) => listDryRuns(ctx.db, input.accountId),
  'dry-run:get': (input, ctx) => {
    const run = getDryRun(ctx.db, input.id);
    if (!run) throw new UserError('not_found', `There is no dry run ${input.id}.`, { field: 'id' });
    return dryRunOut(run);
  },
  'push:preview': (input, ctx) => {
    const p = pushPreview(ctx, {
      accountId: input.accountId,
      ...(input.snapshotId ? { snapshotId: input.snapshotId } : {}),
    });
    return { ...p, totals: decimalTotals(p.totals) };
  },
  'push:start': (input, ctx, signal) =>
    pushStart(
      ctx,
      {
        accountId: input.accountId,
        ...(input.snapshotId ? { snapshotId: input.snapshotId } : {}),
        confirmationCode: input.confirmationCode,
        actor: input.actor,
      },
      signal,
    ),
  'push:resume': (input, ctx, signal) => pushResume(ctx, { accountId: input.accountId }, signal),
  'push:exceptions': (input, ctx) => {
    const ex = pushExceptionList(ctx, { accountId: input.accountId });
    return { failed: ex.failed.map(journalOut), notPushable: ex.notPushable };
  },
  'push:retry': (input, ctx, signal) =>
    pushRetry(
      ctx,
      { accountId: input.accountId, ...(input.journalIds ? { journalIds: input.journalIds } : {}), actor: input.actor },
      signal,
    ),
  'push:journal': (input, ctx) => listJournal(ctx.db, input.accountId).map(journalOut),
  'sync:will-not-sync': (input, ctx) => willNotSyncForRun(ctx.db, input.runId, input.resultIds),
  'audit:list': (input, ctx) => listAudit(ctx.db, input),
};
