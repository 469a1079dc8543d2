import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../shared/errors';
import { refuseDeepJson } from '../importers/json-stream';
import { statRegularFileSync } from '../importers/source';
import { appendAudit } from '../store/audit';
import { requireAccount } from '../sync/settings-store';
import { orderContextSummary, saveOrderContexts } from '../sync/sources';
import { OrderContextFile } from '../sync/types';
import type { UseCaseContext } from './context';

/**
 * Test-order dry runs: the run itself is dryRunWithConnections (round-trip.ts), which the app's
 * dry-run:start and `refund-recon dry-run` both call; this file holds what feeds it: the
 * order-context file (how NetSuite billed each order, its customer, item and line IDs).
 */

/** The order-context file's parts in words (an error names what the user sees, not a JSON path). */
const SIDE_WORDS: Record<string, string> = { netsuite: 'NetSuite details', storefront: 'storefront details' };
const FIELD_WORDS: Record<string, string> = {
  orderRef: 'order number',
  customerId: 'customer ID',
  currency: 'currency',
  billing: 'billing record (Cash Sale, Invoice or none)',
  deposit: 'customer deposit',
  items: 'item IDs',
  orderTotal: 'order total',
  subsidiaryId: 'subsidiary ID',
  locationId: 'location ID',
  orderDate: 'order date',
  orderId: 'storefront order ID',
  presentmentCurrency: 'presentment currency',
  lines: 'order lines',
  shippingLineId: 'shipping line ID',
  payment: 'payment',
};

/** "the NetSuite details of order #1004 (entry 3), its billing record (…)" for an issue's path. */
function whereInFile(json: unknown, issuePath: readonly PropertyKey[]): string {
  const [side, index, field] = issuePath;
  if (typeof side !== 'string' || !(side in SIDE_WORDS)) {
    return issuePath.length
      ? `the part "${String(side)}" (only NetSuite and storefront details belong here)`
      : 'the file';
  }
  if (typeof index !== 'number') return `the ${SIDE_WORDS[side]} (a list of orders was expected)`;
  const entry = (json as Record<string, unknown[]>)[side]?.[index] as { orderRef?: unknown } | undefined;
  const order = typeof entry?.orderRef === 'string' ? `order ${entry.orderRef.slice(0, 40)} ` : '';
  const what = field === undefined ? '' : `, its ${FIELD_WORDS[String(field)] ?? `field "${String(field)}"`}`;
  return `the ${SIDE_WORDS[side]} of ${order}(entry ${index + 1})${what}`;
}

/**
 * Loads an order-context file into the workspace for an account: checked whole first, then stored
 * in one transaction (all or nothing). `fileName` is what the user knows the file as (an uploaded
 * file is staged under another name), used in messages.
 */
export function loadOrderContextFile(
  ctx: UseCaseContext,
  input: { file: string; accountId: number; fileName?: string; actor?: string },
): number {
  const { file } = input;
  const name = input.fileName ?? file;
  requireAccount(ctx.db, input.accountId);
  statRegularFileSync(file); // a pipe would block the read forever
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(
      'file_unreadable',
      `${name}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
      { file: name },
    );
  }
  refuseDeepJson(name, text);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserError(
      'invalid_json',
      `${name}: not valid JSON (${(error as Error).message}). Choose the order-context file (JSON with "netsuite" and "storefront" lists).`,
      { file: name },
    );
  }
  const parsed = OrderContextFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(
      'invalid_order_context',
      `${name}: ${whereInFile(json, issue.path)}: ${issue.message}. Nothing was loaded; correct the file and load it again.`,
      { file: name, field: issue.path.join('.') },
    );
  }
  if (parsed.data.netsuite.length === 0 && parsed.data.storefront.length === 0) {
    throw new UserError(
      'empty_order_context',
      `${path.basename(name)} holds no orders: it needs the NetSuite details of the orders to sync (under "netsuite") or their storefront details (under "storefront"). Nothing was loaded.`,
      { file: name },
    );
  }
  const data = parsed.data;
  return ctx.db.transaction(() => {
    const stored = saveOrderContexts(ctx.db, input.accountId, data);
    appendAudit(ctx.db, {
      actor: input.actor ?? 'local user',
      action: 'sync.order_context',
      entity: `storefront_account:${input.accountId}`,
      after: { file: path.basename(name), netsuite: data.netsuite.length, storefront: data.storefront.length },
    });
    return stored;
  })();
}

/** How many orders of an account the workspace knows the details of, for the app's order-details panel. */
export function orderContextOf(ctx: UseCaseContext, accountId: number) {
  requireAccount(ctx.db, accountId);
  return orderContextSummary(ctx.db, accountId);
}
