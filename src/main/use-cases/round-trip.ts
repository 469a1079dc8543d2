import { UserError } from '../../shared/errors';
import { DIRECTION_LABELS } from '../sync/catalogue';
import { parseDirection } from '../sync/direction-policy';
import { type DryRunRecord, type DryRunSelection, runDryRun } from '../sync/dry-run';
import { readSyncState } from '../sync/settings-store';
import { dryRunTarget } from './account-target';
import { resolveActor } from './actor';
import type { UseCaseContext } from './context';
import { loadOrderContextFile } from './dry-run';
import { resolveRoundTripPort } from './round-trip-port';

export interface DryRunWithConnectionsInput {
  accountId: number;
  /** The direction TESTED (default: the account's stored direction). */
  direction?: unknown;
  selection: DryRunSelection;
  snapshotId?: number;
  /** Who runs it (the audit log); absent or the app's placeholder: resolveActor decides. */
  actor?: string;
  /** Send to the sandbox target of the direction tested and read back, field by field. */
  roundTrip: boolean;
  /** No live lookups: "already synced?" from the workspace only (never with a round trip). */
  offline?: boolean;
  /**
   * An order-context file (how NetSuite billed each order, storefront line ids) loaded into the
   * workspace first (`refund-recon dry-run --orders-context`; the app keeps what was loaded).
   */
  orderContextFile?: string;
}

/**
 * A dry run with the live connections of the direction TESTED — never the stored direction
 * (issue 13 item 6): the read-only lookups go to that direction's receiving side, and a round trip
 * writes only there, only when it is itself a sandbox (issue 17 Y2; see sync/round-trip/).
 */
export async function dryRunWithConnections(
  ctx: UseCaseContext,
  input: DryRunWithConnectionsInput,
  signal?: AbortSignal,
): Promise<DryRunRecord> {
  if (input.offline && input.roundTrip) {
    throw new UserError('invalid_option', 'A dry run is either offline or a round trip, which is live.');
  }
  if (input.orderContextFile) loadOrderContextFile(ctx, { file: input.orderContextFile, accountId: input.accountId });
  const stored = readSyncState(ctx.db, input.accountId).direction;
  const direction = input.direction === undefined ? stored : parseDirection(input.direction);
  const live = direction !== 'off' && !(input.offline && !input.roundTrip);
  // Read-only lookups through the account's connection (the one secret scheme, docs/connections.md).
  const target = live ? await dryRunTarget(ctx.db, input.accountId, direction) : null;
  const port = live && input.roundTrip ? await resolveRoundTripPort(ctx.db, input.accountId, direction) : null;
  return runDryRun(
    ctx.db,
    {
      accountId: input.accountId,
      ...(input.direction !== undefined ? { direction: input.direction } : {}),
      selection: input.selection,
      ...(input.snapshotId ? { snapshotId: input.snapshotId } : {}),
      sandboxRoundTrip: input.roundTrip,
      actor: resolveActor(ctx, input.actor),
    },
    { ...(target ? { target } : {}), ...(port ? { roundTrip: port } : {}), ...(signal ? { signal } : {}) },
  );
}

/** Round trip from the app or the CLI: a dry run that sends to the sandbox and reads back. */
export function runRoundTrip(
  ctx: UseCaseContext,
  input: Omit<DryRunWithConnectionsInput, 'roundTrip' | 'offline'>,
  signal?: AbortSignal,
): Promise<DryRunRecord> {
  return dryRunWithConnections(ctx, { ...input, roundTrip: true }, signal);
}

export interface RoundTripTarget {
  sandbox: boolean;
  target: string;
  reason: string | null;
}

/**
 * Where a round trip of `direction` would write, and whether that is a sandbox — for the app's
 * confirmation, which names the sandbox before anything is sent. At most one read (the shop plan).
 */
export async function roundTripTarget(
  ctx: UseCaseContext,
  input: { accountId: number; direction: unknown },
  signal?: AbortSignal,
): Promise<RoundTripTarget> {
  const direction = parseDirection(input.direction);
  if (direction === 'off') {
    return { sandbox: false, target: 'nowhere', reason: 'Choose a direction to test first.' };
  }
  readSyncState(ctx.db, input.accountId); // the account must exist
  const port = await resolveRoundTripPort(ctx.db, input.accountId, direction);
  if (!port) {
    return {
      sandbox: false,
      target: direction === 'storefront_to_netsuite' ? 'the NetSuite account' : 'the storefront',
      reason: `No live connection is configured for the side that receives refunds ${DIRECTION_LABELS[direction]}: set its address and credentials first.`,
    };
  }
  const verdict = await port.check(signal);
  return verdict.sandbox
    ? { sandbox: true, target: verdict.name, reason: null }
    : { sandbox: false, target: port.where, reason: verdict.reason };
}
