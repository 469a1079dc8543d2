import { UserError } from '../../../shared/errors';
import type { CanonicalRefundInput, RecordType, RefundLine, SourceRecordType } from '../../../shared/model';
import { parseAmount } from '../../../shared/money';
import type { SuiteqlRow } from './client';

/**
 * Rows of refundRowsQuery() → canonical refunds (spec §3). NetSuite signs amounts by posting
 * direction, which differs between record types and lines: everything is normalised to positive
 * refund magnitudes. Items play roles by name or internal id: shipping, generic refund items, tax.
 */

export interface ItemRoles {
  shipping: readonly string[];
  generic: readonly string[];
  tax: readonly string[];
}

export const DEFAULT_ITEM_ROLES: ItemRoles = { shipping: ['Shipping'], generic: ['Refund Adjustment'], tax: [] };

const RECORD_TYPES: Record<string, RecordType> = {
  CashRfnd: 'cashRefund',
  CustCred: 'creditMemo',
  CustRfnd: 'customerRefund',
  RtnAuth: 'returnAuthorization',
};

const SOURCE_TYPES: Record<string, SourceRecordType> = {
  CashSale: 'cashSale',
  CustInvc: 'invoice',
  SalesOrd: 'salesOrder',
  RtnAuth: 'returnAuthorization',
  CustCred: 'creditMemo',
  CustDep: 'customerDeposit',
};

function text(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

function money(value: unknown, currency: string, id: string, field: string): number {
  const raw = text(value);
  if (raw === '') return 0;
  const parsed = parseAmount(raw, currency);
  if (!parsed.ok) {
    throw new UserError('netsuite_amount', `NetSuite record ${id}, field ${field}: ${parsed.message}`, { field });
  }
  return Math.abs(parsed.minor);
}

function role(row: SuiteqlRow, roles: ItemRoles): RefundLine['role'] {
  const name = text(row.item);
  const ref = text(row.itemref);
  const has = (list: readonly string[]) => list.some((x) => x === name || x === ref);
  // A shipping-item line (the record's body shipping cost) is shipping whatever its ship method is called.
  if (text(row.itemtype) === 'ShipItem' || has(roles.shipping)) return 'shipping';
  if (has(roles.generic)) return 'generic';
  if (has(roles.tax)) return 'tax';
  return 'item';
}

function build(rows: SuiteqlRow[], roles: ItemRoles): CanonicalRefundInput {
  const head = rows.find((r) => r.mainline === 'T') ?? rows[0]!;
  const id = text(head.id);
  const type = text(head.type);
  const recordType = RECORD_TYPES[type];
  if (!recordType) throw new UserError('netsuite_type', `NetSuite record ${id} has type "${type}", not a refund type.`);
  const currency = text(head.currency);
  const lines: RefundLine[] = [];
  let tax = 0;
  for (const row of rows) {
    if (row.mainline === 'T') continue;
    const amount = money(row.foreignamount, currency, id, 'foreignamount');
    if (row.taxline === 'T') {
      tax += amount;
      continue;
    }
    // A Discount item line discounts the line just above it (as NetSuite applies it): folded into
    // that item line; with no item line above, it is a negative generic line.
    if (text(row.itemtype) === 'Discount') {
      const prev = lines[lines.length - 1];
      if (prev && prev.role === 'item') prev.amount -= amount;
      else
        lines.push({
          sku: text(row.item),
          description: text(row.linememo),
          quantity: 0,
          amount: -amount,
          tax: 0,
          role: 'generic',
        });
      continue;
    }
    const lineRole = role(row, roles);
    if (lineRole === 'tax') tax += amount;
    const quantity = Math.round(Math.abs(Number(text(row.quantity) || '0')));
    lines.push({
      sku: text(row.item),
      description: text(row.linememo),
      quantity: Number.isFinite(quantity) ? quantity : 0,
      amount,
      tax: 0,
      role: lineRole,
    });
  }
  const sourceType = text(head.createdfromtype);
  return {
    side: 'netsuite',
    id,
    documentNumber: text(head.tranid),
    recordType,
    orderRef: text(head.orderref),
    createdFrom: text(head.createdfromtranid)
      ? { type: SOURCE_TYPES[sourceType] ?? 'other', ref: text(head.createdfromtranid) }
      : null,
    date: text(head.trandate).slice(0, 10),
    currency,
    total: money(head.foreigntotal, currency, id, 'foreigntotal'),
    shipping: lines.filter((l) => l.role === 'shipping').reduce((n, l) => n + l.amount, 0),
    tax,
    adjustment: lines.filter((l) => l.role === 'generic' && l.amount < 0).reduce((n, l) => n + l.amount, 0),
    lines,
    kind: lines.some((l) => l.role === 'item') ? 'line_item' : 'general',
    externalId: text(head.externalid),
    memo: text(head.memo),
    isTest: false,
    status: head.voided === 'T' ? 'voided' : 'ok',
    appliesTo: text(head.appliesto),
    moneyMoved: true,
    presentment: null,
  };
}

/** Groups rows (ordered by internal id) into refunds as they stream past. */
export async function* mapRefundRows(
  rows: AsyncIterable<SuiteqlRow>,
  roles: ItemRoles = DEFAULT_ITEM_ROLES,
): AsyncGenerator<CanonicalRefundInput> {
  let group: SuiteqlRow[] = [];
  for await (const row of rows) {
    if (group.length > 0 && text(group[0]!.id) !== text(row.id)) {
      yield build(group, roles);
      group = [];
    }
    group.push(row);
  }
  if (group.length > 0) yield build(group, roles);
}
