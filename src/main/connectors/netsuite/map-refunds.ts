import type { TenderMapping } from '../../../shared/contract/snapshot';
import { UserError } from '../../../shared/errors';
import type {
  CanonicalRefundInput,
  CreditApplication,
  RecordType,
  RefundLine,
  SourceRecordType,
  TenderKind,
} from '../../../shared/model';
import { parseAmount } from '../../../shared/money';
import { type MemoApplication, NetsuiteTenderKinds, netsuiteTenders } from '../../tenders/netsuite-tenders';
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
  /** Tender items (tenders.md §1.4): a line on one is a tender of that kind, added to `total`. */
  tender?: readonly { item: string; kind: TenderKind }[];
}

/** What turns a pulled record's payment method, memo links and tender items into tenders. */
export interface PullTenderContext {
  kinds: NetsuiteTenderKinds;
}

export function pullTenderContext(roles: ItemRoles, mapping?: TenderMapping): PullTenderContext {
  return { kinds: new NetsuiteTenderKinds(mapping, roles.tender ?? []) };
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

/** `CustCred:A` / `A` Open, `CustCred:B` / `B` Fully Applied, `CustCred:V` / `V` Voided ([code S15]). */
function memoStatus(raw: string): 'open' | 'fullyApplied' | 'voided' | undefined {
  const code = raw
    .trim()
    .replace(/^CustCred:/i, '')
    .toUpperCase();
  if (code === 'A' || /^open$/i.test(raw.trim())) return 'open';
  if (code === 'B' || /^fully applied$/i.test(raw.trim())) return 'fullyApplied';
  if (code === 'V' || /^voided$/i.test(raw.trim())) return 'voided';
  return undefined;
}

const APPLICATION_TYPES: Record<string, CreditApplication['docType']> = {
  CustRfnd: 'customerRefund',
  CustInvc: 'invoice',
};

/**
 * A memo's link rows (memoLinkRowsQuery) → its applications: a Customer Refund paying it out or an
 * Invoice it is applied to; links to other documents (the Return Authorization it was made from)
 * and to voided documents are no applications. The link's own amount (`foreignamount`) counts;
 * without one, a Customer Refund counts its total and an Invoice nothing (it says not how much).
 */
function applicationsOf(links: readonly SuiteqlRow[], currency: string, id: string): MemoApplication[] {
  const out: MemoApplication[] = [];
  for (const link of links) {
    const docType = APPLICATION_TYPES[text(link.othertype)];
    if (!docType || text(link.othervoided) === 'T') continue;
    const own = money(link.foreignamount, currency, id, 'previoustransactionlink.foreignamount');
    const amount =
      own > 0 ? own : docType === 'customerRefund' ? money(link.othertotal, currency, id, 'othertotal') : 0;
    if (amount <= 0) continue;
    const date = text(link.otherdate).slice(0, 10);
    out.push({
      docType,
      doc: text(link.otherid),
      tranId: text(link.othertranid),
      amount,
      date: /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : null,
      isCreatedFrom:
        docType === 'invoice' && text(link.memocreatedfrom) !== '' && text(link.memocreatedfrom) === text(link.otherid),
      paymentMethod: text(link.otherpaymentmethod),
    });
  }
  return out;
}

function build(
  rows: SuiteqlRow[],
  roles: ItemRoles,
  tenders: PullTenderContext,
  links: readonly SuiteqlRow[],
): CanonicalRefundInput {
  const head = rows.find((r) => r.mainline === 'T') ?? rows[0]!;
  const id = text(head.id);
  const type = text(head.type);
  const recordType = RECORD_TYPES[type];
  if (!recordType) throw new UserError('netsuite_type', `NetSuite record ${id} has type "${type}", not a refund type.`);
  const currency = text(head.currency);
  const lines: RefundLine[] = [];
  const tenderItems: { kind: TenderKind; item: string; amount: number }[] = [];
  let tax = 0;
  for (const row of rows) {
    if (row.mainline === 'T') continue;
    const amount = money(row.foreignamount, currency, id, 'foreignamount');
    // A tender-item line (§1.4) is neither an item nor a discount: a tender added to the total.
    const tenderKind = row.taxline === 'T' ? undefined : tenders.kinds.item(text(row.item), text(row.itemref));
    if (tenderKind) {
      if (amount > 0) tenderItems.push({ kind: tenderKind, item: text(row.item) || text(row.itemref), amount });
      continue;
    }
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
  const recordTotal = money(head.foreigntotal, currency, id, 'foreigntotal');
  let tenderItemSum = 0;
  for (const t of tenderItems) tenderItemSum += t.amount;
  const status = memoStatus(text(head.status));
  const memo = recordType === 'creditMemo';
  const applications = memo ? applicationsOf(links, currency, id) : [];
  let applied = 0;
  for (const a of applications) applied += a.amount;
  // The memo's balance: none left on a Fully Applied memo; else what the links leave (§1.4: remaining
  // = |total| − Σ applied − Σ paid out when the export does not give the balance).
  const amountRemaining = !memo
    ? undefined
    : status === 'fullyApplied' || status === 'voided'
      ? 0
      : Math.max(0, recordTotal - applied);
  const recordTenders = netsuiteTenders(
    {
      recordType,
      recordTotal,
      paymentMethod: text(head.paymentmethod),
      amountRemaining,
      memoStatus: status === 'open' || status === 'fullyApplied' ? status : undefined,
      applications,
      tenderItems,
    },
    tenders.kinds,
  );
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
    total: recordTotal + tenderItemSum,
    recordTotal,
    shipping: lines.filter((l) => l.role === 'shipping').reduce((n, l) => n + l.amount, 0),
    tax,
    adjustment: lines.filter((l) => l.role === 'generic' && l.amount < 0).reduce((n, l) => n + l.amount, 0),
    lines,
    kind: lines.some((l) => l.role === 'item') ? 'line_item' : 'general',
    externalId: text(head.externalid),
    memo: text(head.memo),
    isTest: false,
    status: head.voided === 'T' || status === 'voided' ? 'voided' : 'ok',
    appliesTo: text(head.appliesto),
    moneyMoved: true,
    presentment: null,
    ...(recordTenders ? { tenders: recordTenders } : {}),
    ...(amountRemaining !== undefined ? { amountRemaining } : {}),
    ...(applications.length > 0 ? { applications: applications.map(({ paymentMethod: _method, ...a }) => a) } : {}),
  };
}

/** Link rows (memoLinkRowsQuery) by memo internal id. */
export type MemoLinks = ReadonlyMap<string, readonly SuiteqlRow[]>;

/** Groups link rows by memo id (the second query's answer, held while the refund rows stream). */
export function groupMemoLinks(rows: Iterable<SuiteqlRow>): Map<string, SuiteqlRow[]> {
  const out = new Map<string, SuiteqlRow[]>();
  for (const row of rows) {
    const memo = text(row.memo);
    const list = out.get(memo);
    if (list) list.push(row);
    else out.set(memo, [row]);
  }
  return out;
}

/**
 * Groups rows (ordered by internal id) into refunds as they stream past; Credit Memos take their
 * link rows from `links` (the second query, tenders.md §1.4) when given.
 */
export async function* mapRefundRows(
  rows: AsyncIterable<SuiteqlRow>,
  roles: ItemRoles = DEFAULT_ITEM_ROLES,
  options: { tenders?: PullTenderContext; links?: MemoLinks | (() => MemoLinks) } = {},
): AsyncGenerator<CanonicalRefundInput> {
  const tenders = options.tenders ?? pullTenderContext(roles);
  const linksOf = (id: string): readonly SuiteqlRow[] => {
    const links = typeof options.links === 'function' ? options.links() : options.links;
    return links?.get(id) ?? [];
  };
  let group: SuiteqlRow[] = [];
  const done = (): CanonicalRefundInput => {
    const head = group[0]!;
    return build(group, roles, tenders, text(head.type) === 'CustCred' ? linksOf(text(head.id)) : []);
  };
  for await (const row of rows) {
    if (group.length > 0 && text(group[0]!.id) !== text(row.id)) {
      yield done();
      group = [];
    }
    group.push(row);
  }
  if (group.length > 0) yield done();
}
