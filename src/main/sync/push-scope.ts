import { UserError } from '../../shared/errors';
import { DIRECTION_LABELS, type SyncDirection } from './catalogue';
import type { JournalEntry } from './journal';
import type { AccountSyncState } from './settings-store';
import type { PushTarget } from './targets/target';

/**
 * Where a push sends, right now: the account's direction and the account its writes go to. A
 * journal row carries both (push_journal.direction, .destination); a row is sent only while they
 * still hold, so writes confirmed under another direction or for another NetSuite account are
 * never sent to the wrong place (issue 17 Y1).
 */
export interface PushScope {
  direction: SyncDirection;
  /** `netsuite:<netsuite account id>:<environment>` or `<platform>:<storefront account id>`. */
  destination: string;
}

export function pushScope(state: AccountSyncState, direction: SyncDirection): PushScope {
  if (direction === 'storefront_to_netsuite') {
    return {
      direction,
      destination: state.netsuite ? `netsuite:${state.netsuite.id}:${state.netsuite.environment}` : '',
    };
  }
  return { direction, destination: `${state.account.platform}:${state.account.id}` };
}

/** The platform a row writes to (`netsuite:cashRefund` → `netsuite`, `shopify:refundCreate` → `shopify`). */
export function rowPlatform(row: Pick<JournalEntry, 'target'>): string {
  return row.target.split(':')[0] ?? '';
}

const KNOWN_TARGETS = new Set(['netsuite', 'shopify', 'bigcommerce', 'woocommerce']);

/** Why a row must not be sent through `target` under `scope`; null when it may. */
export function refusalFor(row: JournalEntry, scope: PushScope, target?: PushTarget): UserError | null {
  if (row.direction !== scope.direction) {
    return new UserError(
      'direction_changed',
      `Journal row #${row.id} (${row.orderRef || row.refundKey}) was confirmed ${DIRECTION_LABELS[row.direction]}, but the account now syncs ${DIRECTION_LABELS[scope.direction]}: it is never sent the other way. Switch the direction back to send it.`,
      undefined,
      { journalId: row.id, rowDirection: row.direction, direction: scope.direction },
    );
  }
  if (row.destination !== scope.destination) {
    return new UserError(
      'direction_changed',
      `Journal row #${row.id} (${row.orderRef || row.refundKey}) was confirmed for ${describeDestination(row.destination)}, but the account now writes to ${describeDestination(scope.destination)}: it is never sent to another account. Link the account it was meant for again to send it.`,
      undefined,
      { journalId: row.id, rowDestination: row.destination, destination: scope.destination },
    );
  }
  // Defence in depth: a target of one platform never receives another platform's request body.
  if (target && KNOWN_TARGETS.has(target.name) && rowPlatform(row) !== target.name) {
    return new UserError(
      'direction_changed',
      `Journal row #${row.id} is a ${rowPlatform(row)} write; it is never sent to ${target.name}.`,
      undefined,
      { journalId: row.id },
    );
  }
  return null;
}

export function describeDestination(destination: string): string {
  if (destination === '') return 'an account that is no longer known';
  const [platform, id, environment] = destination.split(':');
  if (platform === 'netsuite') return `NetSuite account ${id} (${environment})`;
  return `${platform} account ${id}`;
}
