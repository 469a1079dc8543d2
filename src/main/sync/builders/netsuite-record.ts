import type { CanonicalRefund, Platform, RefundLine } from '../../../shared/model';
import { formatAmount, type MinorUnits, subtractMinor, sumMinor } from '../../../shared/money';
import type { NetsuiteOrderContext, NsRef, SyncOptions } from '../types';
import { apiNumber, type BuildProblem, problem, sameSku } from './common';

export type NetsuiteRecordType = 'cashRefund' | 'creditMemo' | 'customerRefund';

/** One write: an upsert by External ID (`PUT …/record/v1/<type>/eid:<externalId>`), safe to repeat. */
export interface NetsuiteWrite {
  recordType: NetsuiteRecordType;
  externalId: string;
  method: 'PUT';
  /** Path under `/services/rest`. */
  path: string;
  body: NetsuiteBody;
}

export interface NetsuiteItemLine {
  item: NsRef;
  quantity: number;
  amount: number;
  rate?: number;
  description: string;
}

export type NetsuiteBody = Record<string, unknown> & { externalId: string };

/** What the record will say, in minor units, for the checks and the push confirmation. */
export interface PlannedLine {
  role: 'item' | 'shipping' | 'generic' | 'tax';
  sku: string;
  itemId: string;
  quantity: number;
  amount: MinorUnits;
}

export interface NetsuiteBuild {
  direction: 'storefront_to_netsuite';
  sourceRefundId: string;
  orderRef: string;
  /** The main record: the one that carries the lines (Credit Memo of a Credit Memo + Customer Refund). */
  recordType: NetsuiteRecordType | null;
  externalId: string;
  currency: string;
  total: MinorUnits;
  lines: PlannedLine[];
  writes: NetsuiteWrite[];
  problems: BuildProblem[];
  notes: string[];
}

export interface NetsuiteBuildSettings {
  platform: Platform;
  lineItemRefunds: 'yes' | 'no' | 'unknown';
  options: SyncOptions;
}

/** `gid://shopify/Refund/123` → `123`; other ids unchanged. */
export function plainRefundId(id: string): string {
  const gid = /^gid:\/\/[^/]+\/[^/]+\/(.+)$/.exec(id.trim());
  return gid ? gid[1]! : id.trim();
}

/** External ID of the NetSuite record for a storefront refund (spec §4 form `shopify-refund-123456`). */
export function externalIdFor(platform: Platform, storefrontRefundId: string): string {
  return `${platform}-refund-${plainRefundId(storefrontRefundId)}`;
}

/** The Customer Refund that pays out a Credit Memo gets its own External ID beside it. */
export function payoutExternalId(externalId: string): string {
  return `${externalId}-cr`;
}

export function recordPath(type: NetsuiteRecordType, externalId: string): string {
  return `/record/v1/${type}/eid:${encodeURIComponent(externalId)}`;
}

/** How NetSuite's own Refund button chooses (refund-domain.md §1.3; Celigo adds the deposit case). */
export function chooseRecordType(
  billing: NetsuiteOrderContext['billing'],
  hasDeposit: boolean,
): NetsuiteRecordType | null {
  if (billing.type === 'cashSale') return 'cashRefund';
  if (billing.type === 'invoice') return 'creditMemo';
  return hasDeposit ? 'customerRefund' : null;
}

function sum(values: readonly RefundLine[], pick: (l: RefundLine) => number): MinorUnits {
  return sumMinor(values.map(pick));
}

/**
 * Storefront refund → the NetSuite record(s) the sync would write. Pure: the order context and the
 * options say everything about NetSuite that it needs. Problems are returned, never thrown, so a
 * dry run can show the would-be payload beside what is wrong with it.
 */
export function buildNetsuiteRecord(
  refund: CanonicalRefund,
  order: NetsuiteOrderContext | null,
  settings: NetsuiteBuildSettings,
): NetsuiteBuild {
  const problems: BuildProblem[] = [];
  const notes: string[] = [];
  const options = settings.options;
  const externalId = externalIdFor(settings.platform, refund.id);
  const build: NetsuiteBuild = {
    direction: 'storefront_to_netsuite',
    sourceRefundId: refund.id,
    orderRef: refund.orderRef,
    recordType: null,
    externalId,
    currency: refund.currency,
    total: refund.total,
    lines: [],
    writes: [],
    problems,
    notes,
  };
  if (refund.side !== 'storefront') {
    problems.push(
      problem('wrong_side', `Refund ${refund.id} is a NetSuite record; only storefront refunds sync into NetSuite.`),
    );
    return build;
  }
  if (refund.status !== 'ok') {
    problems.push(problem('not_ok', `Refund ${refund.id} is ${refund.status}; only completed refunds are synced.`));
    return build;
  }
  if (!refund.moneyMoved || refund.total <= 0) {
    problems.push(
      problem(
        'no_money_moved',
        `Refund ${refund.id} moved no money (no successful refund transaction): nothing to record in NetSuite.`,
      ),
    );
    return build;
  }
  if (!order) {
    problems.push(
      problem(
        'order_not_in_netsuite',
        `Order ${refund.orderRef || '(no reference)'} was not found in NetSuite. The connector only syncs refunds for orders it posted: sync the order first, or check the order reference.`,
      ),
    );
    return build;
  }

  // Currency: record in the currency NetSuite holds the order in (spec §3: shop vs presentment money).
  let currency = refund.currency;
  let total = refund.total;
  let generalOnly = settings.lineItemRefunds === 'no';
  if (order.currency !== refund.currency) {
    if (refund.presentment && refund.presentment.currency === order.currency) {
      currency = refund.presentment.currency;
      total = refund.presentment.total;
      generalOnly = true;
      notes.push(
        `NetSuite holds order ${order.orderRef} in ${currency}; the refund is recorded from the presentment amount ${formatAmount(total, currency)} ${currency} as one generic line (line amounts exist only in ${refund.currency}).`,
      );
    } else {
      problems.push(
        problem(
          'currency_mismatch',
          `Refund ${refund.id} is in ${refund.currency} but NetSuite holds order ${order.orderRef} in ${order.currency}; a record in the wrong currency would not reconcile.`,
        ),
      );
      return build;
    }
  }
  build.currency = currency;
  build.total = total;

  const recordType = chooseRecordType(order.billing, order.deposit !== null);
  build.recordType = recordType;
  if (!recordType) {
    problems.push(
      problem(
        'order_not_billed',
        `Order ${order.orderRef} has no Cash Sale, Invoice or Customer Deposit in NetSuite yet: bill it (Cash Sale if paid, Invoice if on terms) before its refund can be recorded.`,
      ),
    );
    return build;
  }

  const genericItem = options.genericItemId;
  const needItem = (id: string, role: string): string => {
    if (id) return id;
    if (genericItem) return genericItem;
    problems.push(
      problem(
        'generic_item_missing',
        `A ${role} line needs a generic refund item (an Other Charge for Sale item): set "genericItemId" in the account's sync options.`,
      ),
    );
    return '';
  };

  const lines: PlannedLine[] = [];
  if (recordType !== 'customerRefund') {
    const itemLines = refund.lines.filter((l) => l.role === 'item');
    const hasParts = refund.shipping > 0 || refund.tax > 0 || refund.lines.length > 0;
    if (generalOnly || (itemLines.length === 0 && !hasParts)) {
      const id = needItem('', 'generic refund');
      lines.push({ role: 'generic', sku: '', itemId: id, quantity: 1, amount: total });
      if (settings.lineItemRefunds === 'no')
        notes.push('The storefront cannot refund single lines: one generic refund line carries the total.');
    } else {
      for (const line of itemLines) {
        const nsSku = options.itemMap[line.sku] ?? line.sku;
        const item = order.items.find((i) => sameSku(i.sku, nsSku));
        if (!item) {
          problems.push(
            problem(
              'item_not_mapped',
              `SKU ${line.sku}${nsSku !== line.sku ? ` (mapped to ${nsSku})` : ''} is not an item of NetSuite order ${order.orderRef}: add it to the item mapping or correct the SKU (FarApp requires identical SKUs).`,
            ),
          );
        }
        lines.push({
          role: 'item',
          sku: line.sku,
          itemId: item?.itemId ?? '',
          quantity: line.quantity,
          amount: line.amount,
        });
      }
      const shippingFromLines = sum(
        refund.lines.filter((l) => l.role === 'shipping'),
        (l) => l.amount,
      );
      const shipping = shippingFromLines > 0 ? shippingFromLines : refund.shipping;
      if (shipping > 0) {
        lines.push({
          role: 'shipping',
          sku: '',
          itemId: needItem(options.shippingItemId, 'shipping'),
          quantity: 1,
          amount: shipping,
        });
      }
      const lineTax = sum(refund.lines, (l) => l.tax);
      const tax = refund.tax > 0 ? refund.tax : lineTax;
      if (tax > 0) {
        lines.push({ role: 'tax', sku: '', itemId: needItem(options.taxOnlyItemId, 'tax'), quantity: 1, amount: tax });
      }
      for (const line of refund.lines.filter((l) => l.role === 'generic')) {
        lines.push({
          role: 'generic',
          sku: '',
          itemId: needItem('', 'generic refund'),
          quantity: 1,
          amount: line.amount,
        });
      }
      const remainder = subtractMinor(total, sumMinor(lines.map((l) => l.amount)));
      if (remainder !== 0) {
        lines.push({
          role: 'generic',
          sku: '',
          itemId: needItem('', 'generic refund'),
          quantity: 1,
          amount: remainder,
        });
        notes.push(
          `${formatAmount(remainder, currency)} ${currency} of the refund is not tied to an item (discrepancy or manual amount): it goes on the generic refund item.`,
        );
      }
    }
    // A shipping-only or tax-only refund still needs one positive line (NetSuite refuses a record without one).
    if (!lines.some((l) => l.amount > 0)) {
      problems.push(
        problem('no_positive_line', 'The record would have no positive line; NetSuite refuses such a refund.'),
      );
    }
  }
  build.lines = lines;

  const currencyRef = options.currencyIds[currency];
  const header: Record<string, unknown> = {
    entity: { id: order.customerId },
    tranDate: refund.date,
    memo: `Refund ${plainRefundId(refund.id)} for order ${refund.orderRef}`,
    otherRefNum: refund.orderRef,
  };
  if (currencyRef) header.currency = { id: currencyRef };
  else notes.push(`No NetSuite currency id is configured for ${currency}; the record takes the customer's currency.`);
  if (order.subsidiaryId) header.subsidiary = { id: order.subsidiaryId };
  if (order.locationId) header.location = { id: order.locationId };

  const itemSublist = {
    items: lines.map((l): NetsuiteItemLine => {
      const amount = apiNumber(l.amount, currency);
      const out: NetsuiteItemLine = {
        item: { id: l.itemId },
        quantity: l.quantity,
        amount,
        description:
          l.role === 'item'
            ? l.sku
            : `${l.role === 'generic' ? 'Refund adjustment' : l.role === 'tax' ? 'Tax refund' : 'Shipping refund'}`,
      };
      if (l.quantity > 0 && l.amount % l.quantity === 0) out.rate = apiNumber(l.amount / l.quantity, currency);
      return out;
    }),
  };
  const accountRef = options.refundAccountId ? { account: { id: options.refundAccountId } } : {};

  if (recordType === 'cashRefund' && order.billing.type === 'cashSale') {
    build.writes.push({
      recordType,
      externalId,
      method: 'PUT',
      path: recordPath(recordType, externalId),
      body: { externalId, ...header, createdFrom: { id: order.billing.id }, ...accountRef, item: itemSublist },
    });
  } else if (recordType === 'creditMemo' && order.billing.type === 'invoice') {
    build.writes.push({
      recordType,
      externalId,
      method: 'PUT',
      path: recordPath(recordType, externalId),
      body: { externalId, ...header, createdFrom: { id: order.billing.id }, item: itemSublist },
    });
    const payout = payoutExternalId(externalId);
    build.writes.push({
      recordType: 'customerRefund',
      externalId: payout,
      method: 'PUT',
      path: recordPath('customerRefund', payout),
      body: {
        externalId: payout,
        customer: { id: order.customerId },
        tranDate: refund.date,
        memo: `Payout of credit memo for order ${refund.orderRef}`,
        ...(currencyRef ? { currency: { id: currencyRef } } : {}),
        ...accountRef,
        total: apiNumber(total, currency),
        apply: { items: [{ doc: { externalId }, apply: true, amount: apiNumber(total, currency) }] },
      },
    });
  } else if (recordType === 'customerRefund' && order.deposit) {
    if (order.deposit.amount < total) {
      problems.push(
        problem(
          'deposit_too_small',
          `The Customer Deposit on order ${order.orderRef} holds ${formatAmount(order.deposit.amount, currency)} ${currency}, less than the refund of ${formatAmount(total, currency)} ${currency}.`,
        ),
      );
    }
    notes.push('The order is not billed yet: the refund is a Customer Refund against its Customer Deposit.');
    build.writes.push({
      recordType,
      externalId,
      method: 'PUT',
      path: recordPath(recordType, externalId),
      body: {
        externalId,
        customer: { id: order.customerId },
        tranDate: refund.date,
        memo: `Refund ${plainRefundId(refund.id)} for order ${refund.orderRef}`,
        ...(currencyRef ? { currency: { id: currencyRef } } : {}),
        ...accountRef,
        total: apiNumber(total, currency),
        deposit: { items: [{ doc: { id: order.deposit.id }, apply: true, amount: apiNumber(total, currency) }] },
      },
    });
  }
  return build;
}
