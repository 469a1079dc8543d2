import type { CanonicalRefund, Platform, RefundLine } from '../../../shared/model';
import { formatAmount, type MinorUnits, subtractMinor, sumMinor } from '../../../shared/money';
import { hasExchangeData, type SyncSplit, storefrontSplit } from '../tender-split';
import type { NetsuiteOrderContext, NsRef, SyncOptions } from '../types';
import { apiNumber, type BuildProblem, problem, sameSku } from './common';
import { EXCHANGE_REASON, GIFT_NOT_MAPPED, tenderMoney } from './tender-reasons';

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
  /** `tender`: a stored-value part as a negative line on the configured tender item (§1.4). */
  role: 'item' | 'shipping' | 'generic' | 'tax' | 'tender';
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
  /** NetSuite's own total of the main record: `total` less stored value on tender items (§1.4). */
  recordTotal: MinorUnits;
  /** Store credit recorded as a Credit Memo left open, without `createdFrom` or Customer Refund (§5.1). */
  openCredit: boolean;
  /** The source's split, in the record's currency (tenders §5). */
  split: SyncSplit | null;
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
    recordTotal: refund.total,
    openCredit: false,
    split: null,
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
  if (hasExchangeData(refund)) {
    problems.push(problem('exchange_not_syncable', EXCHANGE_REASON));
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

  // Tenders (§5.1): money as today; store credit only → an open Credit Memo; stored value beside
  // money → negative lines on the tender items; a gift card alone → the gift-card payment method.
  const split = splitInCurrency(refund, currency, total);
  build.split = split;
  const stored = split.storeCredit + split.giftCard;
  const giftMethod = methodFor(options, 'gift_card');
  const giftByMethod = split.giftCard > 0 && split.money === 0 && split.storeCredit === 0 && giftMethod !== undefined;
  const openCredit = stored > 0 && split.money === 0 && !giftByMethod;
  if (openCredit && split.giftCard > 0 && !options.tenderItems.gift_card && split.storeCredit === 0) {
    problems.push(problem('gift_card_not_mapped', GIFT_NOT_MAPPED));
    return build;
  }
  build.openCredit = openCredit;
  const onItems = !openCredit && !giftByMethod && stored > 0;
  if (onItems) {
    if (split.giftCard > 0 && !options.tenderItems.gift_card) {
      problems.push(problem('gift_card_not_mapped', GIFT_NOT_MAPPED));
      return build;
    }
    if (split.storeCredit > 0 && !options.tenderItems.store_credit) {
      problems.push(
        problem(
          'tender_item_missing',
          `Refund ${refund.id} paid ${tenderMoney(split.storeCredit, currency)} as store credit beside money: set the store-credit tender item ("tenderItems.store_credit") in the account's sync options so NetSuite records that part on it.`,
        ),
      );
      return build;
    }
  }
  if (openCredit) {
    notes.push(
      `Paid back as ${split.giftCard > 0 && split.storeCredit === 0 ? 'gift card' : 'store credit'} only: a Credit Memo without "Created From", left open (no Customer Refund), so the credit stays on the customer.`,
    );
  }

  const recordType = openCredit ? 'creditMemo' : chooseRecordType(order.billing, order.deposit !== null);
  build.recordType = recordType;
  if (onItems && recordType === 'customerRefund') {
    problems.push(
      problem(
        'tender_item_missing',
        `Order ${order.orderRef} is not billed: a Customer Refund against its deposit has no item lines to carry the ${tenderMoney(stored, currency)} of stored value. Bill the order first.`,
      ),
    );
    return build;
  }
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
    if (onItems) {
      if (split.storeCredit > 0)
        lines.push(tenderLine(options.tenderItems.store_credit, 'store credit', split.storeCredit));
      if (split.giftCard > 0) lines.push(tenderLine(options.tenderItems.gift_card, 'gift card', split.giftCard));
      notes.push(
        `The stored value (${tenderMoney(stored, currency)}) goes on the tender item${split.storeCredit > 0 && split.giftCard > 0 ? 's' : ''} as a negative line: NetSuite's record total is the money part, ${tenderMoney(total - stored, currency)}.`,
      );
    }
    // A shipping-only or tax-only refund still needs one positive line (NetSuite refuses a record without one).
    if (!lines.some((l) => l.amount > 0)) {
      problems.push(
        problem('no_positive_line', 'The record would have no positive line; NetSuite refuses such a refund.'),
      );
    }
  }
  build.lines = lines;
  const moneyTotal = subtractMinor(total, onItems ? stored : 0);
  build.recordTotal = moneyTotal;

  // The payment method of the money (or gift-card) part, mapped from the source gateway (§5.1).
  const method = giftByMethod ? giftMethod : methodFor(options, split.moneyGateway);
  const methodRef = method ? { paymentMethod: { id: method.id } } : {};
  if (!method && !openCredit) {
    notes.push(
      split.moneyGateway
        ? `No NetSuite payment method is mapped for gateway "${split.moneyGateway}" ("paymentMethods" in the sync options): the record takes the form's default method.`
        : "The storefront names no gateway for this refund: the record takes the form's default payment method.",
    );
  }

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
            : l.role === 'tender'
              ? `Refunded as ${l.sku}`
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
      body: {
        externalId,
        ...header,
        createdFrom: { id: order.billing.id },
        ...accountRef,
        ...methodRef,
        item: itemSublist,
      },
    });
  } else if (recordType === 'creditMemo' && openCredit) {
    // No `createdFrom` (the order reference is in otherRefNum / memo) and no Customer Refund: left open.
    build.writes.push({
      recordType,
      externalId,
      method: 'PUT',
      path: recordPath(recordType, externalId),
      body: { externalId, ...header, item: itemSublist },
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
        ...methodRef,
        total: apiNumber(moneyTotal, currency),
        apply: { items: [{ doc: { externalId }, apply: true, amount: apiNumber(moneyTotal, currency) }] },
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
        ...methodRef,
        total: apiNumber(total, currency),
        deposit: { items: [{ doc: { id: order.deposit.id }, apply: true, amount: apiNumber(total, currency) }] },
      },
    });
  }
  return build;
}

function methodFor(options: SyncOptions, gateway: string): SyncOptions['paymentMethods'][number] | undefined {
  const g = gateway.trim().toLowerCase();
  if (!g) return undefined;
  return options.paymentMethods.find((m) => m.gateway.trim().toLowerCase() === g);
}

function tenderLine(itemId: string, what: string, amount: MinorUnits): PlannedLine {
  return { role: 'tender', sku: what, itemId, quantity: 1, amount: -amount };
}

/**
 * The split in the record's currency: the refund's own when recorded in it, else from each
 * tender's presentment amount (the money part takes what the tenders do not name).
 */
function splitInCurrency(refund: CanonicalRefund, currency: string, total: MinorUnits): SyncSplit {
  const split = storefrontSplit(refund);
  if (currency === refund.currency) return split;
  const scale = (t: { amount: number; presentmentAmount: number | null }) => t.presentmentAmount ?? 0;
  const sum = (kinds: string[]) =>
    refund.tenders.filter((t) => kinds.includes(t.kind)).reduce((s, t) => s + scale(t), 0);
  const storeCredit = sum(['store_credit']);
  const giftCard = sum(['gift_card']);
  const exchange = sum(['exchange']);
  return { ...split, storeCredit, giftCard, exchange, money: total - storeCredit - giftCard - exchange };
}
