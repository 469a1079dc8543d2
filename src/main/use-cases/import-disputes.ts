import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../shared/errors';
import { type CanonicalDispute, normaliseOrderRef } from '../../shared/model';
import { type DisputeRead, readDisputesFile } from '../importers/shopify-disputes';
import { writeDisputes } from '../store/disputes';
import type { SnapshotColumns } from '../store/match-cache';
import type { UseCaseContext } from './context';

/**
 * Shopify Payments disputes files (tenders.md §3.1) beside a storefront side: stored with a
 * snapshot of the workspace, or resolved in memory for the one-shot `reconcile` on files (which
 * keeps no workspace). Either way a dispute that names its order by id only (REST `order_id`) is
 * given the order's name from the storefront file, so the matcher finds it by order reference.
 */

export interface ImportDisputesInput {
  file: string;
  storefrontSnapshotId: number;
}

/** Reads one disputes file; a missing file is the user's to fix, named. */
export function readDisputesFileChecked(file: string): DisputeRead[] {
  if (!fs.existsSync(file)) {
    throw new UserError('file_not_found', 'The disputes file does not exist. Check the path.', { file });
  }
  return readDisputesFile(file);
}

/** Stores a disputes file with the storefront snapshot; returns the ids of disputes whose order is not in it. */
export function importDisputesFile(ctx: UseCaseContext, input: ImportDisputesInput): string[] {
  return writeDisputes(ctx.db, input.storefrontSnapshotId, readDisputesFileChecked(input.file));
}

/** What the user is told (stderr in the CLI) about disputes that could not attach to a refund. */
export function unresolvedDisputesNotice(file: string, unresolved: readonly string[]): string {
  return `${unresolved.length} dispute${unresolved.length === 1 ? '' : 's'} of ${path.basename(file)} name an order id that is not in the storefront file (${unresolved.slice(0, 3).join(', ')}${unresolved.length > 3 ? ', …' : ''}); they are kept but cannot attach to a refund. Export the disputes with GraphQL (ShopifyPaymentsDispute with order { name }) to name the orders.`;
}

/** The order ids the disputes name without naming the order: what the storefront import is asked to resolve. */
export function disputeOrderIds(disputes: readonly DisputeRead[]): string[] {
  return [...new Set(disputes.filter((d) => d.orderId !== '' && d.orderRef === d.orderId).map((d) => d.orderId))];
}

/**
 * The disputes of the one-shot comparison, resolved as `writeDisputes` resolves them against a
 * stored snapshot (store/disputes.ts): the name the file gave, else the name the storefront file
 * gave that order id, else the reference of a storefront refund whose order key is the id, else
 * the id (unresolved). Ordered and de-duplicated as `readDisputes` returns them (by dispute id, a
 * repeated id replacing the earlier one), so both paths compare with the same list.
 */
export function resolveDisputesInMemory(
  disputes: readonly DisputeRead[],
  orderNames: ReadonlyMap<string, string>,
  storefront: readonly SnapshotColumns[],
): { disputes: CanonicalDispute[]; unresolved: string[] } {
  let refByKey: Map<string, string> | undefined;
  const refOfKey = (key: string): string | undefined => {
    if (!refByKey) {
      refByKey = new Map();
      for (const c of storefront) {
        for (let i = 0; i < c.n; i++)
          if (!refByKey.has(c.orderKey[i]!)) refByKey.set(c.orderKey[i]!, c.orderRef.get(i));
      }
    }
    return refByKey.get(key);
  };
  const byId = new Map<string, CanonicalDispute>();
  const unresolved: string[] = [];
  for (const d of disputes) {
    let order: string | undefined;
    if (d.orderRef !== '' && d.orderRef !== d.orderId) order = d.orderRef;
    else if (d.orderId !== '') order = orderNames.get(d.orderId) ?? refOfKey(normaliseOrderRef(d.orderId));
    if (order === undefined) unresolved.push(d.id);
    const { orderId: _id, ...dispute } = d;
    byId.delete(d.id);
    byId.set(d.id, { ...dispute, orderRef: order ?? d.orderRef });
  }
  const sorted = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { disputes: sorted, unresolved };
}
