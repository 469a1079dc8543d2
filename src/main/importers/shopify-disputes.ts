import fs from 'node:fs';
import path from 'node:path';
import type { CanonicalDispute, DisputeStatus } from '../../shared/model';
import { currencyAt, inputError, isObj, isoDateAt, jsonMoney, type Obj, optString, shown } from './common';
import { locateJsonError, refuseDeepJson } from './json-stream';
import { statRegularFileSync } from './source';

/**
 * `shopify-disputes-json` (tenders.md §3.1): Shopify Payments disputes, read beside the storefront
 * refunds so chargebacks can be told from refunds.
 * - REST `GET /shopify_payments/disputes.json`: `{"disputes":[{ id, order_id, type, amount,
 *   currency, status, finalized_on, initiated_at, … }]}` [doc S8]; statuses lower-case (compared
 *   case-insensitively: the spelling is [unconfirmed]).
 * - GraphQL `ShopifyPaymentsDispute` nodes (`amount { amount currencyCode }`, `initiatedAt`,
 *   `finalizedOn`, `legacyResourceId`, `order { name legacyResourceId }`, `status`, `type`) [doc S8]:
 *   a response `{"data": …}` with `nodes` or `edges[].node` anywhere under it, a bulk-operation
 *   JSONL file (one node a line), or an array of nodes.
 * `CHARGE_REFUNDED` (deprecated) reads as `won`: the charge was refunded and the dispute closed in
 * the merchant's favour [unconfirmed; safest: it never makes `chargeback`].
 */

/** A dispute read from the file: `orderId` is the source's order id when the file gives no order name. */
export interface DisputeRead extends CanonicalDispute {
  orderId: string;
}

const MAX_BYTES = 256 << 20;

const STATUS: Record<string, DisputeStatus> = {
  needs_response: 'needs_response',
  under_review: 'under_review',
  accepted: 'accepted',
  won: 'won',
  lost: 'lost',
  prevented: 'prevented',
  charge_refunded: 'won',
};

function isDisputeNode(v: unknown): v is Obj {
  return isObj(v) && (v.initiated_at !== undefined || v.initiatedAt !== undefined) && v.status !== undefined;
}

/** Every dispute-shaped object in a parsed document, in document order. */
function collect(value: unknown, out: Obj[], depth = 0): void {
  if (depth > 12) return;
  if (Array.isArray(value)) {
    for (const v of value) collect(v, out, depth + 1);
    return;
  }
  if (!isObj(value)) return;
  if (isDisputeNode(value)) {
    out.push(value);
    return;
  }
  for (const v of Object.values(value)) if (typeof v === 'object' && v !== null) collect(v, out, depth + 1);
}

function disputeFrom(node: Obj, file: string, line: number | undefined): DisputeRead {
  const at = (field: string) => ({ file, line, field });
  const id = optString(node.legacyResourceId ?? node.id);
  if (id === '') throw inputError('invalid_dispute', 'A dispute has no id.', at('id'));
  const rawType = optString(node.type).toLowerCase();
  if (rawType !== 'chargeback' && rawType !== 'inquiry') {
    throw inputError(
      'invalid_dispute',
      `Dispute ${id}: type ${shown(node.type)} is neither chargeback nor inquiry. Export Shopify Payments disputes (REST or GraphQL ShopifyPaymentsDispute).`,
      at('type'),
    );
  }
  const rawStatus = optString(node.status).toLowerCase();
  const status = STATUS[rawStatus];
  if (!status) {
    throw inputError(
      'invalid_dispute',
      `Dispute ${id}: status ${shown(node.status)} is not a dispute status (needs_response, under_review, accepted, won, lost, prevented).`,
      at('status'),
    );
  }
  const money = isObj(node.amount) ? node.amount : null;
  const rawCurrency = money ? (money.currencyCode ?? money.currency_code) : node.currency;
  const currency = currencyAt(rawCurrency, at(money ? 'amount.currencyCode' : 'currency'));
  const rawAmount = money ? money.amount : node.amount;
  const amount =
    rawAmount === undefined || rawAmount === null || rawAmount === ''
      ? null
      : Math.abs(jsonMoney(rawAmount, currency, at(money ? 'amount.amount' : 'amount')));
  const order = isObj(node.order) ? node.order : null;
  const orderId = optString(order ? (order.legacyResourceId ?? order.id) : node.order_id);
  const orderName = order ? optString(order.name) : '';
  const date = (raw: unknown, field: string): string | null =>
    raw === undefined || raw === null || raw === '' ? null : isoDateAt(raw, at(field));
  return {
    id,
    orderRef: orderName || orderId,
    orderId,
    type: rawType,
    status,
    amount,
    currency,
    initiatedAt: date(
      node.initiatedAt ?? node.initiated_at,
      node.initiatedAt !== undefined ? 'initiatedAt' : 'initiated_at',
    ),
    finalizedOn: date(
      node.finalizedOn ?? node.finalized_on,
      node.finalizedOn !== undefined ? 'finalizedOn' : 'finalized_on',
    ),
  };
}

/** Reads a disputes file (REST JSON, GraphQL JSON or bulk JSONL). Errors name the file, line and field. */
export function readDisputesFile(file: string): DisputeRead[] {
  const name = path.basename(file);
  const stat = statRegularFileSync(file);
  if (stat.size > MAX_BYTES) {
    throw inputError('file_too_large', 'The disputes file is larger than 256 MB: export fewer disputes per file.', {
      file: name,
    });
  }
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  refuseDeepJson(name, text);
  const nodes: Array<{ node: Obj; line: number | undefined }> = [];
  const trimmed = text.trimStart();
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    document = undefined;
  }
  if (document !== undefined) {
    const found: Obj[] = [];
    collect(document, found);
    for (const node of found) nodes.push({ node, line: undefined });
  } else if (trimmed.startsWith('{')) {
    // JSON Lines (a bulk operation's output): one node a line.
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const raw = lines[i]!.trim();
      if (raw === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch {
        const where = locateJsonError(raw);
        throw inputError('invalid_json', `Line ${i + 1} is not JSON: ${where.message}.`, { file: name, line: i + 1 });
      }
      const found: Obj[] = [];
      collect(value, found);
      for (const node of found) nodes.push({ node, line: i + 1 });
    }
  } else {
    const where = locateJsonError(text);
    throw inputError('invalid_json', `The disputes file is not JSON: ${where.message}.`, { file: name });
  }
  if (nodes.length === 0 && !/"disputes"\s*:/.test(text)) {
    throw inputError(
      'no_disputes',
      'No disputes found: expected {"disputes":[…]} (REST) or ShopifyPaymentsDispute nodes (GraphQL) with initiated_at / initiatedAt and status.',
      { file: name },
    );
  }
  return nodes.map(({ node, line }) => disputeFrom(node, name, line));
}
