import { createHash } from 'node:crypto';
import { UserError } from '../../shared/errors';
import { formatAmount } from '../../shared/money';
import { appendAudit } from '../store/audit';
import type { Db } from '../store/open';
import { alreadySynced, buildAlreadySyncedIndex } from './already-synced';
import { DIRECTION_LABELS, type SyncDirection } from './catalogue';
import { beforeCutoff } from './cutoff';
import {
  insertPushBatch,
  type JournalEntry,
  journalKeys,
  journalWrites,
  listJournal,
  type NewJournalEntry,
  outsideScope,
  requeueFailed,
  unfinished,
} from './journal';
import { buildFor, journalRowsFor, type PlannedRefund, syncCandidates, type Totals, totalsOf } from './plan';
import { type PushRunOptions, type PushRunResult, runJournal } from './push-engine';
import { describeDestination, type PushScope, pushScope, refusalFor } from './push-scope';
import { readiness } from './readiness';
import { readSyncState } from './settings-store';
import { loadOrderContexts, readSourceRefunds, receivingSideRefunds, sourceSnapshotId } from './sources';
import type { PushTarget } from './targets/target';
import { type WriteEnvironment, writeEnvironment } from './write-environment';

export interface NotPushable {
  refundId: string;
  orderRef: string;
  reasons: string[];
}

export interface PushPreview {
  accountId: number;
  direction: SyncDirection;
  environment: 'sandbox' | 'production';
  snapshotId: number;
  count: number;
  totals: Totals;
  /** Human form: "12 refunds: USD 1,234.56; EUR 10.00". */
  summary: string;
  /** Give this back to push:start: it proves the user saw exactly this count and these totals. */
  confirmationCode: string;
  /** Writes journaled earlier and not finished (they are resumed first, without a new confirmation). */
  unfinished: number;
  /**
   * Unfinished or failed writes journaled for another direction or another NetSuite account: not
   * counted above and never sent by this push (switch back to send them).
   */
  outsideScope: number;
  alreadyJournaled: number;
  notPushable: NotPushable[];
  /** Refunds of orders created before the "Import Orders Created After" date: left alone. */
  beforeCutoff: number;
  /** Refunds the receiving side already holds under one of their keys (spec §4 forms): never sent. */
  alreadyOnTarget: NotPushable[];
  readinessMet: boolean;
}

interface Plan {
  preview: PushPreview;
  planned: PlannedRefund[];
  /** Journal rows of refunds already on the target: recorded as already synced, never sent. */
  onTarget: NewJournalEntry[];
}

function requireEnabled(db: Db, accountId: number) {
  const state = readSyncState(db, accountId);
  if (state.direction === 'off') {
    throw new UserError(
      'sync_off',
      `Refund sync is off for ${state.account.name}: choose a direction (account:set-direction) before pushing.`,
    );
  }
  if (!state.netsuite) {
    throw new UserError(
      'no_netsuite_account',
      `${state.account.name} is not linked to a NetSuite account: link one first.`,
    );
  }
  const direction = state.direction as SyncDirection;
  // What the preview can say without reading the store: a store is production unless proven
  // otherwise (the push itself asks the target, see requireReadyForTarget).
  const environment = direction === 'storefront_to_netsuite' ? state.netsuite.environment : 'production';
  return { state, direction, environment, scope: pushScope(state, direction) };
}

export function summariseTotals(count: number, totals: Totals): string {
  const parts = Object.keys(totals)
    .sort()
    .map((c) => `${c} ${formatAmount(totals[c]!, c)}`);
  return `${count} refund${count === 1 ? '' : 's'}${parts.length ? `: ${parts.join('; ')}` : ''}`;
}

function plan(db: Db, accountId: number, snapshotId?: number): Plan {
  const { state, direction, environment, scope } = requireEnabled(db, accountId);
  const sid = sourceSnapshotId(db, state, direction, snapshotId);
  const candidates = syncCandidates(direction, readSourceRefunds(db, sid));
  const contexts = loadOrderContexts(db, accountId);
  const known = journalKeys(db, accountId);
  const planned: PlannedRefund[] = [];
  const notPushable: NotPushable[] = [];
  const alreadyOnTarget: NotPushable[] = [];
  let alreadyJournaled = 0;
  let outsideCutoff = 0;
  const inScope = candidates.filter((r) => {
    const out = beforeCutoff(r, contexts, state.importOrdersAfter) !== null;
    if (out) outsideCutoff += 1;
    return !out;
  });
  const index = buildAlreadySyncedIndex(db, accountId, direction, inScope, receivingSideRefunds(db, state, direction));
  const onTarget: NewJournalEntry[] = [];
  for (const refund of inScope) {
    const build = buildFor(state, direction, refund, contexts);
    const found = alreadySynced(index, direction, refund);
    if (found?.certain) {
      const rows = journalRowsFor(accountId, build);
      if (rows.length > 0 && rows.every((w) => known.has(w.idempotencyKey))) {
        alreadyJournaled += 1;
        continue;
      }
      alreadyOnTarget.push({ refundId: refund.id, orderRef: refund.orderRef, reasons: [found.reason] });
      onTarget.push(...rows.map((w) => ({ ...w, alreadySynced: found.reason.slice(0, 200) })));
      continue;
    }
    if (found) {
      // Probably there already (same lines, or the order's sum): held back with the reason, never sent blind.
      notPushable.push({ refundId: refund.id, orderRef: refund.orderRef, reasons: [found.reason] });
      continue;
    }
    if (build.problems.length > 0) {
      notPushable.push({
        refundId: refund.id,
        orderRef: refund.orderRef,
        reasons: build.problems.map((p) => p.message),
      });
      continue;
    }
    const writes = journalRowsFor(accountId, build);
    if (writes.every((w) => known.has(w.idempotencyKey))) {
      alreadyJournaled += 1;
      continue;
    }
    planned.push({ refund, build, writes });
  }
  const totals = totalsOf(planned.map((p) => ({ currency: p.build.currency, amount: p.build.total })));
  const keys = planned.flatMap((p) => p.writes.map((w) => w.idempotencyKey)).sort();
  const confirmationCode = createHash('sha256')
    .update(JSON.stringify({ accountId, direction, destination: scope.destination, keys, totals }))
    .digest('hex')
    .slice(0, 12);
  const ready = readiness(db, accountId);
  return {
    planned,
    onTarget,
    preview: {
      accountId,
      direction,
      environment,
      snapshotId: sid,
      count: planned.length,
      totals,
      summary: summariseTotals(planned.length, totals),
      confirmationCode,
      unfinished: unfinished(db, accountId, scope).length,
      outsideScope: outsideScope(db, accountId, scope).length,
      alreadyJournaled,
      notPushable,
      beforeCutoff: outsideCutoff,
      alreadyOnTarget,
      readinessMet: ready.allMet,
    },
  };
}

export function previewPush(db: Db, accountId: number, snapshotId?: number): PushPreview {
  return plan(db, accountId, snapshotId).preview;
}

/**
 * The readiness gate, decided by the system the push WRITES to (issue 17, sibling of Y2): with a
 * sandbox NetSuite account, a NetSuite → storefront push still refunds real customers unless the
 * store itself is proven a test store (write-environment.ts).
 */
async function requireReadyForTarget(
  db: Db,
  accountId: number,
  target: PushTarget,
  signal?: AbortSignal,
): Promise<WriteEnvironment> {
  const { state, direction } = requireEnabled(db, accountId);
  const written = await writeEnvironment(state, direction, target, signal);
  if (written.environment !== 'production') return written;
  const ready = readiness(db, accountId);
  if (!ready.allMet) {
    const unmet = ready.items.filter((i) => !i.met);
    throw new UserError(
      'not_ready_for_production',
      `Nothing is pushed to production until the readiness checklist is met; this push writes to ${written.where}. Nothing was sent. Unmet: ${unmet.map((i) => `${i.label} — ${i.nextStep}`).join(' | ')}`,
      undefined,
      { unmet: unmet.map((i) => i.id), where: written.where },
    );
  }
  return written;
}

export interface PushStartInput {
  accountId: number;
  snapshotId?: number;
  /** The preview's confirmation code: the user saw the count and totals. */
  confirmationCode: string;
  actor: string;
}

export interface PushOutcome extends PushRunResult {
  batchId: number | null;
  journaled: number;
  summary: string;
}

/**
 * Journals the confirmed plan (one transaction, before anything is sent), then sends every
 * unfinished write of the account. The code must match a fresh preview: if the data changed since
 * the user looked, the push is refused and they confirm again.
 */
export async function startPush(
  db: Db,
  input: PushStartInput,
  target: PushTarget,
  options: PushRunOptions = {},
): Promise<PushOutcome> {
  const { preview, planned, onTarget } = plan(db, input.accountId, input.snapshotId);
  const scope = requireScopeClear(db, input.accountId);
  if (input.confirmationCode !== preview.confirmationCode) {
    throw new UserError(
      'confirmation_mismatch',
      `The confirmation does not match what would be pushed now (${preview.summary}, code ${preview.confirmationCode}). Review the preview and confirm with that code.`,
      { field: 'confirmationCode' },
      preview,
    );
  }
  const { environment } = await requireReadyForTarget(db, input.accountId, target, options.signal);
  let batchId: number | null = null;
  let journaled = 0;
  let recordedOnTarget = 0;
  if (planned.length > 0 || onTarget.length > 0) {
    batchId = db.transaction(() => {
      const id = insertPushBatch(db, {
        accountId: input.accountId,
        direction: preview.direction,
        environment,
        refundCount: preview.count,
        totals: preview.totals,
        confirmedBy: input.actor,
      });
      journaled = journalWrites(
        db,
        input.accountId,
        scope,
        id,
        planned.flatMap((p) => p.writes),
      );
      recordedOnTarget = journalWrites(db, input.accountId, scope, id, onTarget);
      appendAudit(db, {
        actor: input.actor,
        action: 'sync.push',
        entity: `storefront_account:${input.accountId}`,
        after: {
          batchId: id,
          direction: preview.direction,
          environment,
          count: preview.count,
          totals: preview.totals,
          code: preview.confirmationCode,
        },
      });
      return id;
    })();
  }
  const result = await runJournal(db, input.accountId, scope, target, options);
  return {
    ...result,
    alreadySynced: result.alreadySynced + recordedOnTarget,
    batchId,
    journaled,
    summary: preview.summary,
  };
}

/**
 * Refuses (direction_changed) while writes confirmed for another direction or destination are
 * still unfinished (pending, or in flight when a process stopped: maybe sent). They are finished
 * by switching back and resuming, never sent the new way; failed ones just wait on the exception list.
 */
function requireScopeClear(db: Db, accountId: number): PushScope {
  const { scope } = requireEnabled(db, accountId);
  const wrong = outsideScope(db, accountId, scope).filter((r) => r.state !== 'failed');
  const refusal = wrong.length > 0 ? refusalFor(wrong[0]!, scope) : null;
  if (refusal) {
    throw new UserError(
      'direction_changed',
      `${wrong.length} unfinished write(s) were confirmed ${wrong[0]!.direction === scope.direction ? `for ${describeDestination(wrong[0]!.destination)}` : DIRECTION_LABELS[wrong[0]!.direction]}, but the account now syncs ${DIRECTION_LABELS[scope.direction]} to ${describeDestination(scope.destination)}. They are never sent the new way: switch back to finish them first.`,
      undefined,
      { journalIds: wrong.map((r) => r.id), direction: scope.direction, destination: scope.destination },
    );
  }
  return scope;
}

/** Continues the journal after a crash or a cancel: only writes confirmed earlier, none added. */
export async function resumePush(
  db: Db,
  accountId: number,
  target: PushTarget,
  options: PushRunOptions = {},
): Promise<PushOutcome> {
  const scope = requireScopeClear(db, accountId);
  await requireReadyForTarget(db, accountId, target, options.signal);
  const pending = unfinished(db, accountId, scope);
  const result = await runJournal(db, accountId, scope, target, options);
  return { ...result, batchId: null, journaled: 0, summary: `${pending.length} unfinished write(s) resumed` };
}

/**
 * Puts failed writes back in the queue and sends them. Only this direction's rows for this
 * destination: naming a row of another is refused (direction_changed), and so is "retry all" when
 * every failed row belongs to another direction — they are never sent the new way.
 */
export async function retryFailed(
  db: Db,
  accountId: number,
  target: PushTarget,
  ids: readonly number[] | undefined,
  actor: string,
  options: PushRunOptions = {},
): Promise<PushOutcome> {
  const scope = requireScopeClear(db, accountId);
  const failed = listJournal(db, accountId, ['failed']);
  const named = ids && ids.length > 0 ? failed.filter((r) => ids.includes(r.id)) : failed;
  const foreign = named.filter((r) => refusalFor(r, scope) !== null);
  const mine = named.length - foreign.length;
  if (foreign.length > 0 && (ids?.length || mine === 0)) {
    const first = refusalFor(foreign[0]!, scope)!;
    throw new UserError(
      'direction_changed',
      `${foreign.length} of the failed write(s) to retry were confirmed for another direction or account and are never sent ${DIRECTION_LABELS[scope.direction]}. ${first.message}`,
      undefined,
      { journalIds: foreign.map((r) => r.id), direction: scope.direction, destination: scope.destination },
    );
  }
  await requireReadyForTarget(db, accountId, target, options.signal);
  const requeued = requeueFailed(db, accountId, scope, ids);
  appendAudit(db, {
    actor,
    action: 'sync.push.retry',
    entity: `storefront_account:${accountId}`,
    after: { ids: ids ?? 'all', requeued, direction: scope.direction, destination: scope.destination },
  });
  const result = await runJournal(db, accountId, scope, target, options);
  const left = foreign.length > 0 ? `; ${foreign.length} failed write(s) of another direction left as they are` : '';
  return { ...result, batchId: null, journaled: 0, summary: `${requeued} failed write(s) retried${left}` };
}

export interface PushExceptions {
  failed: JournalEntry[];
  notPushable: NotPushable[];
}

export function pushExceptions(db: Db, accountId: number): PushExceptions {
  let notPushable: NotPushable[] = [];
  try {
    notPushable = previewPush(db, accountId).notPushable;
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
  }
  return { failed: listJournal(db, accountId, ['failed']), notPushable };
}
