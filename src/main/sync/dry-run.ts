import { UserError } from '../../shared/errors';
import { type CanonicalRefund, normaliseOrderRef } from '../../shared/model';
import { appendAudit } from '../store/audit';
import { type Db, nowIso } from '../store/open';
import { alreadyShownPhrase, alreadySynced, buildAlreadySyncedIndex } from './already-synced';
import { DEFAULT_SHOPIFY_API_VERSION } from './builders/storefront-request';
import { DIRECTION_LABELS, type SyncDirection } from './catalogue';
import {
  type Check,
  checkNetsuiteBuild,
  checkStorefrontBuild,
  cutoffCheck,
  type RefundScope,
  refundScope,
} from './checks';
import { beforeCutoff } from './cutoff';
import { parseDirection } from './direction-policy';
import { getDryRun, insertDryRun } from './dry-run-store';
import { buildFor, journalRowsFor, syncCandidates } from './plan';
import type { RoundTripPort, RoundTripReport } from './round-trip/port';
import { requireSandboxTarget, sendAndCompare } from './round-trip/send-and-compare';
import { readSyncState } from './settings-store';
import { loadOrderContexts, readSourceRefunds, receivingSideRefunds, sourceSnapshotId } from './sources';
import type { PushTarget } from './targets/target';
import { refundMethodsSupported } from './tender-split';

export type DryRunSelection =
  | { mode: 'refs'; orderRefs: string[] }
  | { mode: 'test' }
  | { mode: 'sample'; size: number };

export interface DryRunOrderResult {
  orderRef: string;
  refundId: string;
  scope: RefundScope;
  currency: string;
  total: number;
  status: 'pass' | 'fail';
  reasons: string[];
  checks: Check[];
  payload: unknown;
}

/** A refund scope, or a stored-value tender the refund went back in (tenders §5, readiness item 2). */
export type CoverageItem = RefundScope | 'store_credit' | 'gift_card';

export interface DryRunCoverage {
  required: CoverageItem[];
  available: CoverageItem[];
  covered: CoverageItem[];
  missing: CoverageItem[];
}

export interface DryRunRecord {
  id: number;
  accountId: number;
  direction: SyncDirection;
  selection: DryRunSelection;
  sourceSnapshotId: number | null;
  status: 'pass' | 'fail' | 'empty';
  passed: number;
  failed: number;
  coverage: DryRunCoverage;
  roundTrip: RoundTrip | null;
  actor: string;
  createdAt: string;
  orders: DryRunOrderResult[];
}

/** The round trip's report (older runs stored only sent, readBack and problems). */
export type RoundTrip = Pick<RoundTripReport, 'sent' | 'readBack' | 'problems'> & Partial<RoundTripReport>;

export interface DryRunInput {
  accountId: number;
  direction?: unknown;
  selection: DryRunSelection;
  snapshotId?: number;
  actor: string;
  /**
   * Send to the target of the direction tested and read back, field by field — only when that
   * target is itself a sandbox (refused before anything is sent otherwise).
   */
  sandboxRoundTrip?: boolean;
}

export interface DryRunDeps {
  /** Read-only lookup on the target (GET by External ID / read of the order's refunds). */
  target?: PushTarget;
  /** The round trip's target for the direction tested (see round-trip/port.ts). */
  roundTrip?: RoundTripPort;
  signal?: AbortSignal;
}

const REQUIRED: CoverageItem[] = ['full', 'partial', 'shipping', 'store_credit', 'gift_card'];

/** The stored-value tenders a refund goes back in (an open memo part not marked is money: §5.2). */
function tenderCoverage(refund: CanonicalRefund): CoverageItem[] {
  const out = new Set<CoverageItem>();
  for (const t of refund.tenders) {
    if (t.state === 'open' || t.state === 'applied') continue;
    if (t.kind === 'store_credit' || t.kind === 'gift_card') out.add(t.kind);
  }
  return [...out];
}

function select(refunds: CanonicalRefund[], selection: DryRunSelection): CanonicalRefund[] {
  if (selection.mode === 'test') return refunds.filter((r) => r.isTest);
  if (selection.mode === 'refs') {
    const wanted = new Set(selection.orderRefs.map(normaliseOrderRef));
    return refunds.filter((r) => wanted.has(normaliseOrderRef(r.orderRef)));
  }
  const byOrder = new Map<string, string>();
  for (const r of refunds) {
    const key = normaliseOrderRef(r.orderRef);
    if ((byOrder.get(key) ?? '') < r.date) byOrder.set(key, r.date);
  }
  const recent = new Set(
    [...byOrder.entries()]
      .sort((a, b) => (a[1] === b[1] ? a[0].localeCompare(b[0]) : b[1].localeCompare(a[1])))
      .slice(0, Math.max(1, selection.size))
      .map(([k]) => k),
  );
  return refunds.filter((r) => recent.has(normaliseOrderRef(r.orderRef)));
}

/**
 * Test-order dry run (spec §8): builds exactly what the sync would send for the chosen orders,
 * checks it against the source, and stores pass/fail per refund with reasons and the full payload.
 * It never sends a write; with a target it only reads (lookups by key) to answer "already synced?".
 */
export async function runDryRun(db: Db, input: DryRunInput, deps: DryRunDeps = {}): Promise<DryRunRecord> {
  const state = readSyncState(db, input.accountId);
  const requested = input.direction === undefined ? state.direction : parseDirection(input.direction);
  if (requested === 'off') {
    throw new UserError(
      'direction_required',
      `${state.account.name} has refund sync off: say which direction to dry-run (storefront_to_netsuite or netsuite_to_storefront).`,
      { field: 'direction' },
    );
  }
  const direction: SyncDirection = requested;
  if (!state.account.directions.includes(direction)) {
    throw new UserError(
      'direction_not_offered',
      `${state.account.name} does not offer refund sync ${DIRECTION_LABELS[direction]}; a dry run of it would test something that cannot be switched on.`,
      { field: 'direction' },
    );
  }
  // Issue 17 Y2: the gate is the TARGET of the direction tested, checked before anything is built or sent.
  let sandbox: string | null = null;
  if (input.sandboxRoundTrip) {
    const port = deps.roundTrip;
    if (!port) {
      throw new UserError(
        'no_connection',
        `The round trip needs a live connection to the ${direction === 'storefront_to_netsuite' ? 'NetSuite' : 'storefront'} sandbox it writes to; none is configured. Nothing was sent.`,
      );
    }
    if (port.direction !== direction) {
      throw new UserError(
        'round_trip_refused',
        `Round trip refused; nothing was sent. The connection given writes ${DIRECTION_LABELS[port.direction]}, not ${DIRECTION_LABELS[direction]}.`,
      );
    }
    sandbox = await requireSandboxTarget(port, deps.signal);
  }
  const snapshotId = sourceSnapshotId(db, state, direction, input.snapshotId);
  const contexts = loadOrderContexts(db, input.accountId);
  const cutoff = state.importOrdersAfter;
  const sourceRefunds = readSourceRefunds(db, snapshotId);
  const candidates = syncCandidates(direction, sourceRefunds);
  // A sample is drawn from the orders the sync would touch; chosen orders are checked against the cutoff.
  const all =
    input.selection.mode === 'sample' ? candidates.filter((r) => !beforeCutoff(r, contexts, cutoff)) : candidates;
  const chosen = select(all, input.selection);
  const other = receivingSideRefunds(db, state, direction);
  // The order-level pairing needs every source refund of the chosen orders, not only the chosen ones.
  const chosenOrders = new Set(chosen.map((r) => normaliseOrderRef(r.orderRef)));
  // Records the opposite sync wrote are included: they pair with the refunds they were made from.
  const sameOrders = sourceRefunds.filter((r) => chosen.includes(r) || chosenOrders.has(normaliseOrderRef(r.orderRef)));
  const synced = buildAlreadySyncedIndex(db, input.accountId, direction, sameOrders, other);

  const orderTotal = (r: CanonicalRefund) => {
    const key = normaliseOrderRef(r.orderRef);
    return (
      (direction === 'storefront_to_netsuite'
        ? contexts.netsuite.get(key)?.orderTotal
        : contexts.storefront.get(key)?.orderTotal) ?? null
    );
  };

  const refundInputFields = await introspectRefundInput(state, direction, deps);
  const results: DryRunOrderResult[] = [];
  for (const refund of chosen) {
    const build = buildFor(state, direction, refund, contexts, refundInputFields);
    const known = alreadySynced(synced, direction, refund);
    let already = known ? known.reason : null;
    if (!known?.certain && deps.target) {
      const rows = journalRowsFor(input.accountId, build);
      const first = rows[0];
      if (first) {
        const found = await deps.target.find({
          ...first,
          id: 0,
          accountId: input.accountId,
          direction,
          batchId: null,
          state: 'pending',
          attempts: 0,
          lastError: null,
          remoteId: null,
          createdAt: '',
          updatedAt: '',
        });
        if (found) already = `${alreadyShownPhrase(direction)}: found on the target by its key as ${found}`;
      }
    }
    const checks =
      build.direction === 'storefront_to_netsuite'
        ? checkNetsuiteBuild(
            refund,
            build,
            contexts.netsuite.get(normaliseOrderRef(refund.orderRef)) ?? null,
            already,
            state.options,
          )
        : checkStorefrontBuild(refund, build, already);
    if (cutoff) checks.push(cutoffCheck(beforeCutoff(refund, contexts, cutoff), cutoff));
    const failedChecks = checks.filter((c) => !c.ok);
    results.push({
      orderRef: refund.orderRef,
      refundId: refund.id,
      scope: refundScope(refund, orderTotal(refund)),
      currency: build.currency,
      total: build.total,
      status: failedChecks.length === 0 ? 'pass' : 'fail',
      reasons: failedChecks.map((c) => `${c.name}: ${c.message}`),
      checks,
      payload: { writes: build.writes, lines: build.lines, notes: build.notes, problems: build.problems },
    });
  }

  const passed = results.filter((r) => r.status === 'pass').length;
  const failed = results.length - passed;
  const status = results.length === 0 ? 'empty' : failed === 0 ? 'pass' : 'fail';

  let roundTrip: RoundTrip | null = null;
  if (sandbox && deps.roundTrip) {
    roundTrip =
      status === 'pass'
        ? await sendAndCompare(
            input.accountId,
            deps.roundTrip,
            sandbox,
            chosen.map((r) => ({ refund: r, build: buildFor(state, direction, r, contexts, refundInputFields) })),
            deps.signal,
          )
        : {
            target: sandbox,
            sent: 0,
            readBack: 0,
            problems: ['Nothing was sent to the sandbox: the dry run did not pass.'],
            writes: [],
          };
    // A round-trip failure fails the refund it belongs to, with the problems as its reasons.
    for (const w of roundTrip.writes ?? []) {
      if (w.status === 'pass') continue;
      const order = results.find((o) => o.refundId === w.refundId && o.orderRef === w.orderRef);
      if (!order) continue;
      const message = `${w.record} in ${sandbox}: ${w.problems.join(' ')}`;
      order.checks.push({
        name: 'round_trip',
        ok: false,
        expected: 'read back as sent',
        found: w.problems[0] ?? '',
        message,
      });
      order.reasons.push(`round_trip: ${message}`);
      order.status = 'fail';
    }
  }
  const passedAfter = results.filter((r) => r.status === 'pass').length;
  const failedAfter = results.length - passedAfter;
  const finalStatus = results.length === 0 ? 'empty' : failedAfter === 0 ? 'pass' : 'fail';
  const available = [
    ...new Set(all.flatMap((r): CoverageItem[] => [refundScope(r, orderTotal(r)), ...tenderCoverage(r)])),
  ];
  const passedRefunds = new Set(results.filter((r) => r.status === 'pass').map((r) => r.refundId));
  const covered = [
    ...new Set(
      chosen
        .filter((r) => passedRefunds.has(r.id))
        .flatMap((r): CoverageItem[] => [refundScope(r, orderTotal(r)), ...tenderCoverage(r)]),
    ),
  ];
  const requiredHere = REQUIRED.filter((s) => available.includes(s));
  const coverage: DryRunCoverage = {
    required: requiredHere,
    available,
    covered,
    missing: requiredHere.filter((s) => !covered.includes(s)),
  };

  const now = nowIso();
  const id = db.transaction(() => {
    const runId = insertDryRun(
      db,
      {
        accountId: input.accountId,
        direction,
        selection: input.selection,
        sourceSnapshotId: snapshotId,
        status: finalStatus,
        passed: passedAfter,
        failed: failedAfter,
        coverage,
        roundTrip: roundTrip ?? null,
        actor: input.actor,
        createdAt: now,
      },
      results,
    );
    appendAudit(db, {
      actor: input.actor,
      action: 'sync.dry_run',
      entity: `storefront_account:${input.accountId}`,
      after: {
        dryRunId: runId,
        direction,
        status: finalStatus,
        passed: passedAfter,
        failed: failedAfter,
        roundTrip: roundTrip
          ? { target: roundTrip.target ?? null, sent: roundTrip.sent, problems: roundTrip.problems.length }
          : null,
      },
    });
    return runId;
  })();
  return getDryRun(db, id)!;
}

/**
 * Shopify before 2025-10: whether `RefundInput` takes `refundMethods` is asked by introspection
 * (a read) when a connection is there; otherwise null, and store credit is refused (tenders §5.3).
 */
async function introspectRefundInput(
  state: ReturnType<typeof readSyncState>,
  direction: SyncDirection,
  deps: DryRunDeps,
): Promise<string[] | null> {
  if (direction !== 'netsuite_to_storefront' || state.account.platform !== 'shopify') return null;
  const version = state.options.shopifyApiVersion || DEFAULT_SHOPIFY_API_VERSION;
  if (refundMethodsSupported(version, null) || !deps.target?.refundInputFields) return null;
  try {
    return await deps.target.refundInputFields(deps.signal);
  } catch {
    return null; // unknown: refused as unsupported, which is the safe side
  }
}
